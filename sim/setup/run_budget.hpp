#pragma once
/// @file
/// The size guard of a run: before anything big is built, estimate the memory and the work (wall time) a run
/// will need from the experiment alone (requests generated for the detailed replicas, time-series samples,
/// servers of the fabric, training actors and their flows) and refuse, as an input error at the key to
/// change, a run whose estimate exceeds a limit: memory 8 GB (`--max-memory` or $CLUSTERSIM_MAX_MEMORY raise
/// it), work 4 h (`--max-work` or $CLUSTERSIM_MAX_WORK). The work is dominated by SimGrid's platform build,
/// which grows with the square of the servers (16,384 servers: 9 s, 32,768: 99 s on this machine; 1M: about a
/// day).
///
/// It also reads every inference trace (sim/config/trace_reader), so that `validate` reports bad trace rows
/// at file:line, and checks the token lengths of synthetic arrivals (at most kMaxRequestTokens). The estimate
/// is arithmetic on the spec plus one read of each (small) trace: 1M servers are refused in milliseconds. The
/// per-item costs are measured on this build (see run_budget.cpp) and rounded up.

#include <string>
#include <vector>

#include "common/diagnostics.hpp"
#include "sim/config/schema.hpp"
#include "spec/experiment_spec.hpp"

namespace clustersim {

/// The default memory limit of a run, bytes.
constexpr double kDefaultMaxMemoryBytes = 8e9;

/// The memory limit in force, bytes: set_max_memory_bytes, else $CLUSTERSIM_MAX_MEMORY (e.g. "16GB"), else
/// kDefaultMaxMemoryBytes.
double max_memory_bytes();

/// Sets the limit for this process and its children ($CLUSTERSIM_MAX_MEMORY, so that sweep points inherit
/// it).
void set_max_memory_bytes(double bytes);

/// Parses a memory size ("8GB", "512MiB", "1e10B"); false and `error` when it is not one.
bool parse_memory_size(const std::string& text, double& bytes, std::string& error);

/// The default work limit of a run, s of estimated wall time.
constexpr double kDefaultMaxWorkSeconds = 4 * 3600.0;

/// The work limit in force, s: set_max_work_seconds, else $CLUSTERSIM_MAX_WORK (e.g. "12h"), else the
/// default.
double max_work_seconds();

/// Sets the work limit for this process and its children ($CLUSTERSIM_MAX_WORK).
void set_max_work_seconds(double seconds);

/// Parses a duration ("4h", "90min"); false and `error` when it is not one.
bool parse_work_limit(const std::string& text, double& seconds, std::string& error);

/// Applies `--max-memory` and `--max-work` (either may be empty = unchanged); false and `error` on bad text.
bool apply_budget_flags(const std::string& max_memory, const std::string& max_work, std::string& error);

/// One part of a run's estimated memory.
struct BudgetItem {
  std::string key;   ///< the experiment key that sets its size (where the error points)
  std::string what;  ///< "3.6e+12 power samples (duration / output.sample_interval)"
  double bytes = 0;
  double seconds = 0;  ///< estimated wall time
  std::string hint;    ///< what to change
};

/// What a run of `spec` will need, largest item first. `trace_rates` gives, per inference service, the
/// requests per second its trace replays (0 for non-trace services; see replay_rate_per_s).
std::vector<BudgetItem> estimate_run(const ExperimentSpec& spec, const std::vector<double>& trace_rates);

/// Reads and checks each inference trace, checks synthetic token lengths, estimates the run and reports an
/// estimate above max_memory_bytes() or max_work_seconds() at the key of its largest item. Returns false when
/// the run is over a limit (the caller then skips the checks that build the fabric).
bool check_run_budget(const ExperimentSpec& spec, const ResolvedConfig& resolved, Diagnostics& diags);

}  // namespace clustersim
