#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "common/diagnostics.hpp"
#include "sim/cli/cli_common.hpp"
#include "sim/setup/feasibility.hpp"
#include "sim/sweep/sweep_runner.hpp"

namespace fs = std::filesystem;

namespace clustersim {

int run_sweep(const SweepCommandOptions& c) {
  return guarded([&] {
    if (!apply_budget(c.input)) return kExitInvalidInput;
    const auto overrides = parse_overrides(c.input.sets);
    LoadedExperiment exp = load_experiment(c.input.experiment, overrides);
    // --sweep axes: each value must load as an override of its key (exit 2 with the loader's message otherwise).
    for (const std::string& text : c.sweeps) {
      std::string error;
      if (!apply_sweep_override(text, exp.spec.sweep, error)) {
        std::fprintf(stderr, "clustersim: error: %s\n", error.c_str());
        return kExitInvalidInput;
      }
      const std::string key = text.substr(0, text.find('='));
      const SweepAxis& axis = *std::find_if(exp.spec.sweep.grid.begin(), exp.spec.sweep.grid.end(),
                                            [&](const SweepAxis& a) { return a.key == key; });
      for (const std::string& value : axis.values) {
        std::vector<Override> with = overrides;
        with.push_back({axis.key, value});
        load_experiment(c.input.experiment, with);  // throws ConfigError naming the key and the value
      }
    }
    std::string repeat_error;
    if (!add_repeat_axis(exp.spec.sweep, exp.spec.seed, repeat_error)) {
      std::fprintf(stderr, "%s: error: %s\n", c.input.experiment.c_str(), repeat_error.c_str());
      return kExitInvalidInput;
    }
    SweepOptions o;
    o.executable = c.executable;
    o.experiment_path = c.input.experiment;
    o.base_overrides = overrides;
    o.output_dir = c.output_dir.empty() ? exp.spec.sweep.output_dir : c.output_dir;
    o.jobs = c.jobs;
    o.merge_only = c.merge_only;
    std::string error;
    if (!parse_shard(c.shard, o.shard, error)) {
      std::fprintf(stderr, "clustersim: error: %s\n", error.c_str());
      return kExitInvalidInput;
    }
    if (exp.spec.sweep.grid.empty()) {
      std::fprintf(stderr, "%s: error: the experiment has no sweep.grid to run (add one, or --sweep KEY=V1,V2)\n",
                   c.input.experiment.c_str());
      return kExitInvalidInput;
    }
    // Before running any point: the run files' folder must be writable (exit 2 with the reason otherwise).
    prepare_output_dir((fs::path(o.output_dir) / run_file_name(0)).string(), exp, c.output_dir, "sweep.output_dir");
    return clustersim::run_sweep(exp, o);
  });
}

}  // namespace clustersim
