#include "models/power/power_waveform.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace clustersim {

PowerWaveform::PowerWaveform(std::vector<WaveSegment> segments) {
  bool first = true;
  for (const WaveSegment& s : segments) {
    const auto bad = [](double v) { return !std::isfinite(v) || v < 0; };
    if (bad(s.duration_s) || bad(s.start_activity) || bad(s.end_activity))
      throw std::invalid_argument("power waveform: a segment has a negative or non-finite duration or activity");
    if (s.duration_s <= 0) continue;
    cumulative_.push_back(integral_);
    segments_.push_back(s);
    period_s_ += s.duration_s;
    integral_ += 0.5 * (s.start_activity + s.end_activity) * s.duration_s;
    const double hi = std::max(s.start_activity, s.end_activity), lo = std::min(s.start_activity, s.end_activity);
    max_ = first ? hi : std::max(max_, hi);
    min_ = first ? lo : std::min(min_, lo);
    first = false;
  }
}

double PowerWaveform::integral_to(double t_s) const {
  if (period_s_ <= 0 || t_s <= 0) return 0;
  const double periods = std::floor(t_s / period_s_);
  double rest = t_s - periods * period_s_;
  double sum = periods * integral_;
  for (size_t i = 0; i < segments_.size(); ++i) {
    const WaveSegment& s = segments_[i];
    if (rest >= s.duration_s) {
      rest -= s.duration_s;
      continue;
    }
    const double slope = (s.end_activity - s.start_activity) / s.duration_s;
    return sum + cumulative_[i] + s.start_activity * rest + 0.5 * slope * rest * rest;
  }
  return sum + integral_;
}

PowerWaveform PowerWaveform::floored(double floor) const {
  std::vector<WaveSegment> out;
  for (const WaveSegment& s : segments_) {
    if (s.start_activity >= floor && s.end_activity >= floor) {
      out.push_back(s);
    } else if (s.start_activity == s.end_activity || (s.start_activity <= floor && s.end_activity <= floor)) {
      out.push_back({s.duration_s, std::max(s.start_activity, floor), std::max(s.end_activity, floor)});
    } else {
      // A ramp across the floor: flat at the floor until it crosses, then the ramp.
      const double x = s.duration_s * (floor - s.start_activity) / (s.end_activity - s.start_activity);
      if (s.start_activity < floor) {
        out.push_back({x, floor, floor});
        out.push_back({s.duration_s - x, floor, s.end_activity});
      } else {
        out.push_back({x, s.start_activity, floor});
        out.push_back({s.duration_s - x, floor, floor});
      }
    }
  }
  return PowerWaveform(std::move(out));
}

}  // namespace clustersim
