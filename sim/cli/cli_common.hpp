#pragma once
/// @file
/// What the subcommands of sim/cli share: the exit-code guard, the experiment loading they all start with
/// (run budget flags, --set overrides), and the input files of a run (a results file must be none of them).

#include <functional>
#include <string>
#include <vector>

#include "sim/cli/commands.hpp"
#include "sim/config/experiment_loader.hpp"
#include "sim/setup/feasibility.hpp"

namespace clustersim {

/// Runs `body` and turns what it throws into the exit code: ConfigError prints its diagnostics and gives
/// kExitInvalidInput, any other std::exception prints "clustersim: error: ..." and gives
/// kExitSimulationFailure.
int guarded(const std::function<int()>& body);

/// Applies the run budget flags of `in`; false with the message printed to stderr when they are invalid.
bool apply_budget(const ExperimentInput& in);

/// Parses every --set of `in`; bad syntax throws ConfigError.
std::vector<Override> parse_overrides(const std::vector<std::string>& sets);

/// Loads the experiment of `in` with its overrides (throws ConfigError on invalid input).
LoadedExperiment load_input(const ExperimentInput& in);

/// Loads it and keeps the fabric its check built (run and describe-fabric build the fabric once).
PreparedExperiment prepare_input(const ExperimentInput& in);

/// The files a run reads: the experiment, its catalog files and trace files.
std::vector<std::string> input_files(const LoadedExperiment& exp);

/// Before a sweep or a plan runs anything: `file` (in its output folder) must be writable and none of the inputs;
/// missing folders are created (said on stderr). Throws ConfigError at `-o DIR` (when `cli_dir` is given) or at
/// the experiment's `key` (sweep.output_dir, plan.output_dir).
void prepare_output_dir(const std::string& file, const LoadedExperiment& exp, const std::string& cli_dir,
                        const std::string& key);

}  // namespace clustersim
