#pragma once
/// @file
/// A progress line on stderr for runs longer than a few seconds, only when stderr is a terminal:
/// simulated time of total, wall time, ETA. Redrawn at most 4 times a second.

#include <chrono>

namespace clustersim {

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
