#include "sim/config/software_profiles.hpp"

namespace clustersim {

namespace {

/// One setting of a profile: its key (under the job, or under its parallelism map) and where it lands in the spec.
struct Setting {
  const char* key;
  bool parallelism;
  std::string SoftwareSpec::*value;
};

const Setting kSettings[] = {
    {"flash_attention", false, &SoftwareSpec::flash_attention},
    {"sequence_parallel", true, &SoftwareSpec::sequence_parallel},
    {"distributed_optimizer", true, &SoftwareSpec::distributed_optimizer},
    {"overlap_grad_reduce", true, &SoftwareSpec::overlap_grad_reduce},
    {"overlap_tp_comm", true, &SoftwareSpec::overlap_tp_comm},
    {"grad_reduce_dtype", true, &SoftwareSpec::grad_reduce_dtype},
};

void set_spec(TrainingJobSpec& job, const std::string& key, const std::string& value) {
  const bool on = value == "true";
  if (key == "flash_attention") job.flash_attention = on;
  if (key == "sequence_parallel") job.sequence_parallel = on;
  if (key == "distributed_optimizer") job.distributed_optimizer = on;
  if (key == "overlap_grad_reduce") job.overlap_grad_reduce = on;
  if (key == "overlap_tp_comm") job.overlap_tp_comm = on;
  if (key == "grad_reduce_dtype") job.grad_reduce_bytes = value == "fp32" ? 4.0 : 2.0;
}

}  // namespace

void apply_software_profiles(const YAML::Node& input, const Catalog& catalog, ResolvedConfig& resolved,
                             ExperimentSpec& spec, Diagnostics& diags) {
  const YAML::Node jobs = input["workload"] ? input["workload"]["training"] : YAML::Node();
  if (!jobs || !jobs.IsSequence()) return;
  for (size_t i = 0; i < jobs.size() && i < spec.training.size(); ++i) {
    TrainingJobSpec& job = spec.training[i];
    if (job.software.empty()) continue;
    const std::string path = "workload.training[" + std::to_string(i) + "]";
    const auto profile = catalog.software.find(job.software);
    if (profile == catalog.software.end()) {
      diags.add(resolved.location_of(path + ".software"), path + ".software",
                "unknown software profile '" + job.software + "'",
                did_you_mean(job.software, catalog_names(catalog.software)));
      continue;
    }
    const YAML::Node written = jobs[i];
    YAML::Node out = resolved.tree["workload"]["training"][i];
    for (const Setting& s : kSettings) {
      const std::string& value = profile->second.*s.value;
      const YAML::Node own =
          s.parallelism ? (written["parallelism"] ? written["parallelism"][s.key] : YAML::Node()) : written[s.key];
      if (value.empty() || (own && own.IsDefined())) continue;
      set_spec(job, s.key, value);
      if (s.parallelism)
        out["parallelism"][s.key] = value;
      else
        out[s.key] = value;
    }
  }
}

}  // namespace clustersim
