#pragma once
/// @file
/// Request arrival processes for inference services, deterministic for a given seed:
/// - renewal processes with exponential (Poisson) or Gamma inter-arrival times of a given coefficient of
///   variation (ServeGen fits Gamma/Weibull per client; CV > 1 is burstier than Poisson);
/// - an optional diurnal modulation of the rate, rate(t) = mean x (1 + amplitude x cos(2 pi (t - peak) / period)),
///   applied by warping time so that the process keeps its CV locally;
/// - a batch of N requests all present at t = start (the maximum-load benchmarks, trtllm-bench);
/// - the replay of a recorded trace with rate scaling.
/// Token lengths are fixed, exponential around their means, or drawn from an empirical quantile table
/// (models/inference/length_distribution, e.g. ServeGen).

#include <cstdint>
#include <vector>

#include "models/inference/length_distribution.hpp"

namespace clustersim {

struct RequestArrival {
  double time_s = 0;
  int input_tokens = 0;
  int output_tokens = 0;
  std::vector<uint32_t> prefix_blocks;  ///< hashes of the prompt's 512-token blocks (Mooncake); empty = unknown
};

struct PoissonArrivalParams {
  double rate_per_s = 1;
  double mean_input_tokens = 1024;
  double mean_output_tokens = 256;
  bool exponential_lengths = true;  ///< false: every request has the mean lengths
  double cv = 1;                    ///< coefficient of variation of inter-arrival times (1 = Poisson; Gamma otherwise)
  double diurnal_amplitude = 0;     ///< 0..1 relative swing of the rate over the day
  double diurnal_period_s = 86400;
  double diurnal_peak_s = 14 * 3600.0;  ///< time of the peak rate
  double start_s = 0;
  double end_s = 0;
  uint64_t seed = 42;
  double keep_fraction = 1;         ///< keep each arrival with this probability (fleet sampling, thin_arrivals)
  const LengthQuantiles* lengths = nullptr;  ///< empirical lengths (overrides the means); not owned
};

/// Arrivals in [start_s, end_s). Exponential lengths are rounded and at least 1 token.
std::vector<RequestArrival> poisson_arrivals(const PoissonArrivalParams& p);

/// `count` requests of fixed lengths, all arriving at `start_s` (offline maximum-load benchmark).
std::vector<RequestArrival> batch_arrivals(int count, int input_tokens, int output_tokens, double start_s);

/// Replays `trace` (times relative to its first request) from `start_s`, with inter-arrival times divided by
/// `scale` (scale 2 = twice the rate), repeating the trace cyclically until `end_s` (the period is the
/// trace's span plus its mean inter-arrival gap, divided by scale).
/// `keep_fraction` < 1 keeps each replayed request with that probability (seeded by `seed`).
std::vector<RequestArrival> replay_trace(const std::vector<RequestArrival>& trace, double scale, double start_s,
                                         double end_s, double keep_fraction = 1, uint64_t seed = 0);

/// Keeps each request with probability `fraction` (deterministic for `seed`): the arrivals one sampled
/// part of a fleet receives when a balanced router spreads the whole stream.
std::vector<RequestArrival> thin_arrivals(std::vector<RequestArrival> arrivals, double fraction, uint64_t seed);

}  // namespace clustersim
