#include "sim/config/software_profiles.hpp"

namespace clustersim {

namespace {

/// One setting of a profile: its key (under the job, or under its parallelism map), the profile's value and the
/// job's flag it sets (nullptr: the gradient reduction's precision, which sets grad_reduce_bytes).
struct Setting {
  const char* key;
  bool parallelism;
  std::string SoftwareSpec::*value;
  bool TrainingJobSpec::*flag;
};

const Setting kSettings[] = {
    {"flash_attention", false, &SoftwareSpec::flash_attention, &TrainingJobSpec::flash_attention},
    {"sequence_parallel", true, &SoftwareSpec::sequence_parallel, &TrainingJobSpec::sequence_parallel},
    {"distributed_optimizer", true, &SoftwareSpec::distributed_optimizer, &TrainingJobSpec::distributed_optimizer},
    {"overlap_grad_reduce", true, &SoftwareSpec::overlap_grad_reduce, &TrainingJobSpec::overlap_grad_reduce},
    {"overlap_tp_comm", true, &SoftwareSpec::overlap_tp_comm, &TrainingJobSpec::overlap_tp_comm},
    {"grad_reduce_dtype", true, &SoftwareSpec::grad_reduce_dtype, nullptr},
};

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
      if (s.flag != nullptr)
        job.*s.flag = value == "true";
      else
        job.grad_reduce_bytes = value == "fp32" ? 4.0 : 2.0;
      if (s.parallelism)
        out["parallelism"][s.key] = value;
      else
        out[s.key] = value;
    }
  }
}

}  // namespace clustersim
