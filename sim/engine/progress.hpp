#pragma once
/// @file
/// A progress line on stderr for runs longer than a few seconds, only when stderr is a terminal:
/// the phase, simulated time of total, wall time, and an ETA only while the simulated time advances at a steady
/// wall cost. Training jobs say which phase they are in (RunPhaseGuard): while one simulates steps flow by flow
/// ("detailed steps") or the rest is extrapolated at the measured step time ("steady state"), the wall time per
/// simulated second changes, so no ETA is shown. Redrawn at most 4 times a second.

#include <chrono>
#include <string>

namespace clustersim {

/// Training jobs in each phase now (the engine is single-threaded).
struct RunPhases {
  int detailed = 0;  ///< jobs simulating steps flow by flow
  int steady = 0;    ///< jobs extrapolating at their measured step time
};
RunPhases& run_phases();

/// Counts a job in a phase for its scope (released also when the actor is killed).
class RunPhaseGuard {
 public:
  explicit RunPhaseGuard(int RunPhases::*phase) : phase_(phase) { ++(run_phases().*phase_); }
  ~RunPhaseGuard() { --(run_phases().*phase_); }
  RunPhaseGuard(const RunPhaseGuard&) = delete;
  RunPhaseGuard& operator=(const RunPhaseGuard&) = delete;

 private:
  int RunPhases::*phase_;
};

/// The progress line's text: "[detailed steps: 2 jobs] simulated 5 min of 1 h (8%)  wall 3.1 s" (no ETA) while
/// a job is in detailed steps, "[steady state] ..." (no ETA) while some extrapolate, else with "ETA n s".
std::string progress_text(double sim_now_s, double total_s, double wall_s, const RunPhases& phases);

class ProgressLine {
 public:
  /// `enabled` false (or stderr not a terminal) makes every call a no-op.
  ProgressLine(double total_sim_s, bool enabled);
  /// Called on every simulated-time advance.
  void update(double sim_now_s);
  /// Clears the line.
  void finish();

 private:
  double total_s_;
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace clustersim
