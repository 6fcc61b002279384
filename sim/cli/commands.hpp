#pragma once
/// @file
/// The subcommands of `clustersim`, one function each (sim/cli/cmd_<name>.cpp); main.cpp only declares the
/// CLI11 options into these structs and calls the function of the subcommand given. Every function returns
/// the process exit code: kExitOk, kExitSimulationFailure (a run or an anchor failed, or an unexpected
/// error), kExitInvalidInput (the input is wrong: diagnostics on stderr). None throws.
///
/// A new subcommand: its options struct and `int run_<name>(const <Name>Options&)` here, its own
/// cmd_<name>.cpp, and its options in main.cpp.

#include <string>
#include <vector>

namespace clustersim {

constexpr int kExitOk = 0;
constexpr int kExitSimulationFailure = 1;
constexpr int kExitInvalidInput = 2;

/// What every subcommand that reads an experiment file takes.
struct ExperimentInput {
  std::string experiment;         ///< the experiment YAML file
  std::vector<std::string> sets;  ///< --set key.path=value overrides, in order
  std::string max_memory;         ///< --max-memory (the run budget, sim/setup/run_budget.hpp); empty: default
  std::string max_work;           ///< --max-work; empty: default
};

/// `clustersim run`: simulate an experiment and write its results file.
struct RunCommandOptions {
  ExperimentInput input;
  std::string output;                    ///< -o; empty: output.path of the experiment
  bool progress = true;                  ///< false with --no-progress
  bool quiet = false;                    ///< -q: no summary
  std::vector<std::string> simgrid_cfg;  ///< --simgrid-cfg KEY:VALUE, each checked first
  std::vector<std::string> simgrid_log;  ///< --log SETTING (SimGrid log control, checked by the option parser)
  std::string command_line;              ///< the whole command line (results provenance)
};
int run_run(const RunCommandOptions& o);

/// `clustersim validate`: check an experiment file without simulating.
int run_validate(const ExperimentInput& o);

/// `clustersim describe [topic]`: catalogs and experiment keys with units (sim/cli/describe.hpp).
int run_describe(const std::string& topic, const std::string& prefix = "");

/// `clustersim describe-fabric`: an experiment's fabric inventory, power and bisection, no simulation.
int run_describe_fabric(const ExperimentInput& o);

/// `clustersim sweep`: run the grid under `sweep:` of an experiment.
struct SweepCommandOptions {
  ExperimentInput input;
  std::string output_dir;           ///< -o; empty: sweep.output_dir
  int jobs = 1;                     ///< points run in parallel
  std::string shard = "0/1";        ///< i/N or auto
  bool merge_only = false;          ///< only merge finished runs into sweep.h5
  std::vector<std::string> sweeps;  ///< --sweep KEY=V1,V2: an axis added to sweep.grid (or replacing its axis)
  std::string executable;           ///< this program (the points run as child processes)
};
int run_sweep(const SweepCommandOptions& o);

/// `clustersim plan`: the smallest size meeting the plan's conditions for every choice (sim/sweep/plan_runner.hpp).
struct PlanCommandOptions {
  ExperimentInput input;
  std::string output_dir;  ///< -o; empty: plan.output_dir
  int jobs = 1;
  std::string executable;
};
int run_plan(const PlanCommandOptions& o);

/// `clustersim report`: one self-contained HTML page from a run file or a sweep (scripts/clustersim_report.py,
/// run with Debian's python3 or $CLUSTERSIM_PYTHON; installed beside the data in share/clustersim/python).
struct ReportCommandOptions {
  std::string input;   ///< a run file, a sweep directory or its sweep.h5
  std::string output;  ///< -o: the HTML file
};
int run_report(const ReportCommandOptions& o);
/// The report helper's path ("" when it is not found).
std::string report_script();

/// `clustersim validate-models`: run the published anchors and print predicted vs published.
struct ValidateModelsCommandOptions {
  int jobs = 1;                   ///< anchors run in parallel
  std::string only;               ///< comma-separated anchor ids; empty: all
  std::string keep_dir;           ///< keep the run files here; empty: a temporary folder
  std::string anchors_dir;        ///< anchor files; empty: data/validation
  double max_median_pct = -1;     ///< exit 1 above this median |error| of predictions (%); < 0: no limit
  double max_error_pct = -1;      ///< exit 1 when a prediction's |error| exceeds this (%); < 0: no limit
  bool cross_validate = false;    ///< also leave one out in each fit group (data/validation/fits.yaml)
  double max_cv_median_pct = -1;  ///< exit 1 above this median out-of-sample |error| (%); < 0: no limit
  double max_cv_error_pct = -1;   ///< exit 1 when an out-of-sample |error| exceeds this (%); < 0: no limit
  std::string write_bands;        ///< write the uncertainty bands (spec/uncertainty.hpp) here; "" = no
  std::string executable;         ///< this program (the anchors run as child processes)
};
int run_validate_models(const ValidateModelsCommandOptions& o);

}  // namespace clustersim
