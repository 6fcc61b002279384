#pragma once
/// @file
/// Request arrival processes for inference services: a Poisson process with exponential or fixed token
/// lengths, and the replay of a recorded trace with rate scaling. Deterministic for a given seed.

#include <cstdint>
#include <vector>

namespace clustersim {

struct RequestArrival {
  double time_s = 0;
  int input_tokens = 0;
  int output_tokens = 0;
};

struct PoissonArrivalParams {
  double rate_per_s = 1;
  double mean_input_tokens = 1024;
  double mean_output_tokens = 256;
  bool exponential_lengths = true;  ///< false: every request has the mean lengths
  double start_s = 0;
  double end_s = 0;
  uint64_t seed = 42;
};

/// Arrivals in [start_s, end_s). Exponential lengths are rounded and at least 1 token.
std::vector<RequestArrival> poisson_arrivals(const PoissonArrivalParams& p);

/// Replays `trace` (times relative to its first request) from `start_s`, with inter-arrival times divided by
/// `scale` (scale 2 = twice the rate), repeating the trace cyclically until `end_s` (the period is the
/// trace's span plus its mean inter-arrival gap, divided by scale).
std::vector<RequestArrival> replay_trace(const std::vector<RequestArrival>& trace, double scale, double start_s,
                                         double end_s);

}  // namespace clustersim
