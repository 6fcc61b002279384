#include "sim/cli/cli_common.hpp"

#include <cstdio>
#include <iostream>

#include <yaml-cpp/yaml.h>

#include "common/diagnostics.hpp"
#include "sim/output/output_path.hpp"
#include "sim/setup/feasibility.hpp"
#include "sim/setup/run_budget.hpp"

namespace clustersim {

int guarded(const std::function<int()>& body) {
  try {
    return body();
  } catch (const ConfigError& e) {
    std::cerr << e.diagnostics().format() << "\n";
    return kExitInvalidInput;
  } catch (const std::exception& e) {
    std::cerr << "clustersim: error: " << e.what() << "\n";
    return kExitSimulationFailure;
  }
}

bool apply_budget(const ExperimentInput& in) {
  std::string error;
  if (apply_budget_flags(in.max_memory, in.max_work, error)) return true;
  std::fprintf(stderr, "clustersim: error: %s\n", error.c_str());
  return false;
}

std::vector<Override> parse_overrides(const std::vector<std::string>& sets) {
  std::vector<Override> out;
  Diagnostics diags;
  for (const auto& s : sets) {
    Override o;
    std::string error;
    if (parse_override(s, o, error))
      out.push_back(o);
    else
      diags.add({"--set " + s, 0, 0}, "", error, "write --set key.path=value, for example --set fabric.link=800Gbps");
  }
  if (!diags.empty()) throw ConfigError(diags);
  return out;
}

LoadedExperiment load_input(const ExperimentInput& in) {
  return load_experiment(in.experiment, parse_overrides(in.sets));
}

PreparedExperiment prepare_input(const ExperimentInput& in) {
  return prepare_experiment(in.experiment, parse_overrides(in.sets));
}

std::vector<std::string> input_files(const LoadedExperiment& exp) {
  std::vector<std::string> files = {exp.source_path};
  try {
    const YAML::Node catalogs = YAML::Load(exp.resolved_yaml)["catalog_files"];
    for (size_t i = 0; catalogs.IsSequence() && i < catalogs.size(); ++i) files.push_back(catalogs[i].Scalar());
  } catch (const YAML::Exception&) {
  }
  for (const auto& service : exp.spec.inference)
    if (service.arrivals.kind == ArrivalKind::kTrace && !service.arrivals.trace.empty())
      files.push_back(service.arrivals.trace);
  return files;
}

void prepare_output_dir(const std::string& file, const LoadedExperiment& exp, const std::string& cli_dir,
                        const std::string& key) {
  const OutputPathCheck check = prepare_results_path(file, input_files(exp));
  if (!check.error.empty()) {
    Diagnostics d;
    d.add({cli_dir.empty() ? exp.source_path : "-o " + cli_dir, 0, 0}, cli_dir.empty() ? key : "", check.error,
          check.hint);
    throw ConfigError(d);
  }
  for (const auto& note : check.notes)
    if (note.rfind("created", 0) == 0) std::cerr << "clustersim: " << note << "\n";
}

}  // namespace clustersim
