#pragma once
/// @file
/// What a grid operator asks of a power trace (a site's power at a fixed resolution, e.g. 10 ms): the true
/// peak and minimum, the fastest ramp, the swing (peak - minimum) and its main frequency; and what battery
/// storage between the site and the grid does to it.
///
/// Storage smoothing: the grid is asked for a moving average of the site's power (exponential, time constant
/// `smoothing_s`); the battery supplies or absorbs the difference within its power rating and its state of
/// charge (0..energy), losing (1 - sqrt(efficiency)) of the energy on each way in and out. Where it cannot,
/// the grid sees the rest. The average starts from the site's mean over the first time constant (the grid was
/// drawing about that before the window); the battery starts half full.

#include <vector>

namespace clustersim {

struct PowerSwingStats {
  double peak_w = 0;
  double min_w = 0;
  double mean_w = 0;
  double max_ramp_w_per_s = 0;   ///< largest |P(i+1) - P(i)| / dt
  double swing_w = 0;            ///< peak - min
  double main_frequency_hz = 0;  ///< of the largest Fourier component of the trace less its mean; 0 if flat
};

/// Statistics of `power_w` sampled every `dt_s` (an empty trace gives zeros).
PowerSwingStats power_swing_stats(const std::vector<double>& power_w, double dt_s);

struct StorageParams {
  double energy_j = 0;      ///< usable capacity, J; 0 = no storage
  double power_w = 0;       ///< charge/discharge rating, W
  double efficiency = 0.9;  ///< round trip
  double smoothing_s = 60;  ///< time constant of what the grid is asked for
};

struct StorageResult {
  std::vector<double> grid_w;           ///< what the grid sees
  double loss_j = 0;                    ///< energy lost in the battery over the trace
  double state_min = 0, state_max = 0;  ///< state of charge, fraction of the capacity
  double state_end = 0;                 ///< at the end (it starts at 0.5)
};

/// The grid's power with the battery of `p` between it and a site drawing `site_w` (every `dt_s`).
StorageResult smooth_with_storage(const std::vector<double>& site_w, double dt_s, const StorageParams& p);

}  // namespace clustersim
