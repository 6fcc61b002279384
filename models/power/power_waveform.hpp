#pragma once
/// @file
/// A periodic GPU activity pattern: one period (a training step) as segments whose activity goes linearly
/// from a start to an end value (a constant phase has start = end; a pipeline fill or drain ramps). The mean
/// over a period is what the engine integrates for energy; the shape is what a high-resolution power trace
/// shows (synchronous swings of a job's GPUs).

#include <vector>

namespace clustersim {

struct WaveSegment {
  double duration_s = 0;
  double start_activity = 0;
  double end_activity = 0;
};

class PowerWaveform {
 public:
  PowerWaveform() = default;
  /// Segments of positive duration are kept in order; throws std::invalid_argument on a negative or
  /// non-finite duration or activity.
  explicit PowerWaveform(std::vector<WaveSegment> segments);

  double period_s() const { return period_s_; }
  bool empty() const { return period_s_ <= 0; }
  /// Mean activity over a period.
  double mean_activity() const { return period_s_ > 0 ? integral_ / period_s_ : 0; }
  double max_activity() const { return max_; }
  double min_activity() const { return min_; }
  /// Integral of the activity from phase 0 to `t_s` (any t >= 0: whole periods repeat), activity x s.
  double integral_to(double t_s) const;
  /// Every segment's activity raised to at least `floor` (a GPU power floor).
  PowerWaveform floored(double floor) const;
  const std::vector<WaveSegment>& segments() const { return segments_; }

 private:
  std::vector<WaveSegment> segments_;
  std::vector<double> cumulative_;  ///< integral at the start of each segment
  double period_s_ = 0, integral_ = 0, max_ = 0, min_ = 0;
};

}  // namespace clustersim
