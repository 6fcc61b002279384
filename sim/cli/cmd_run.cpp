#include <iostream>

#include "common/diagnostics.hpp"
#include "sim/cli/cli_common.hpp"
#include "sim/cli/simgrid_cfg.hpp"
#include "sim/engine/simulation.hpp"
#include "sim/output/output_path.hpp"
#include "sim/output/summary_printer.hpp"
#include "sim/results/results.hpp"

namespace clustersim {

int run_run(const RunCommandOptions& o) {
  return guarded([&] {
    if (!apply_budget(o.input)) return kExitInvalidInput;
    Diagnostics d;
    check_simgrid_settings(o.simgrid_cfg, d);
    if (!d.empty()) throw ConfigError(d);
    const PreparedExperiment prepared = prepare_input(o.input);
    const LoadedExperiment& exp = prepared.experiment;
    RunOptions ro;
    ro.progress = o.progress;
    ro.command_line = o.command_line;
    for (const auto& c : o.simgrid_cfg) ro.simgrid_args.push_back("--cfg=" + c);
    for (const auto& l : o.simgrid_log) ro.simgrid_args.push_back("--log=" + l);
    const std::string path = o.output.empty() ? exp.spec.output.path : o.output;
    // Before simulating: the results file must be writable and must not be an input of the run.
    const OutputPathCheck out_check = prepare_results_path(path, input_files(exp));
    if (!out_check.error.empty()) {
      Diagnostics bad;
      bad.add({o.output.empty() ? o.input.experiment : "-o " + o.output, 0, 0}, o.output.empty() ? "output.path" : "",
              out_check.error, out_check.hint);
      throw ConfigError(bad);
    }
    for (const auto& note : out_check.notes) std::cerr << "clustersim: " << note << "\n";  // even with -q
    const RunResults results = run_experiment(prepared, ro);
    write_results_h5(results, path);
    if (!o.quiet) std::cout << format_run_summary(results) << "\nresults: " << path << "\n";
    return kExitOk;
  });
}

}  // namespace clustersim
