#pragma once
/// @file
/// Request arrival processes for inference services, deterministic for a given seed:
/// - renewal processes with exponential (Poisson) or Gamma inter-arrival times of a given coefficient of
///   variation (ServeGen fits Gamma/Weibull per client; CV > 1 is burstier than Poisson);
/// - an optional diurnal modulation of the rate, rate(t) = mean x (1 + amplitude x cos(2 pi (t - peak) / period)),
///   applied by warping time so that the process keeps its CV locally;
/// - a batch of N requests all present at t = start (the maximum-load benchmarks, trtllm-bench);
/// - the replay of a recorded trace with rate scaling.
/// A sampled fleet keeps each arrival with probability keep_fraction < 1. The generators then draw the kept
/// stream directly, so that they cost what is kept, not what the whole fleet receives: a renewal process's
/// gap between kept arrivals is the sum of Geometric(keep_fraction) gaps (Gamma(N k, theta) for Gamma(k, theta)
/// gaps; exponential at rate x keep_fraction for Poisson), a replay skips Geometric(keep_fraction) - 1 rows
/// between kept ones, and a batch keeps Binomial(count, keep_fraction) requests. Exact in distribution; with
/// keep_fraction = 1 the draws are those of the unsampled generators.
/// Token lengths are fixed, exponential around their means, or drawn from an empirical quantile table
/// (common/statistics sample_quantiles: ServeGen's production lengths, MLPerf's datasets).

#include <cstddef>
#include <cstdint>
#include <vector>

#include "common/statistics.hpp"
#include "spec/length_quantiles.hpp"
#include "spec/request_arrival.hpp"

namespace clustersim {

/// `tokens` rounded to a whole token count in [1, kMaxRequestTokens] (NaN gives 1): never an overflow.
int token_count(double tokens);

/// The most requests a generator returns unless told otherwise (about 15 GB of requests): past it, and past
/// the matching number of draws, a generator throws std::length_error instead of growing without bound.
/// The run budget (sim/setup/run_budget) refuses such inputs at validation with the key to change.
constexpr size_t kDefaultMaxArrivals = 100'000'000;

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
  double keep_fraction = 1;  ///< keep each arrival with this probability (fleet sampling; see the file's note)
  const LengthQuantiles* lengths = nullptr;   ///< empirical lengths (overrides the means); not owned
  size_t max_requests = kDefaultMaxArrivals;  ///< bound on the arrivals kept (see kDefaultMaxArrivals)
};

/// Arrivals in [start_s, end_s). Lengths are rounded and saturated to [1, kMaxRequestTokens] (token_count).
/// Throws std::invalid_argument for a diurnal period that is not finite and > 0 and std::length_error past
/// `max_requests` kept: the loop always ends. With keep_fraction < 1 the work is one gap draw (and one
/// diurnal_unwarp) per kept arrival.
std::vector<RequestArrival> poisson_arrivals(const PoissonArrivalParams& p);

/// The diurnal warp ("operational time"): the integral of the rate multiplier
/// 1 + amplitude cos(2 pi (t - peak) / period) from 0 to t; t itself without a swing. Increasing for
/// amplitude <= 1 (the schema's range).
double diurnal_warp(const PoissonArrivalParams& p, double t);

/// The inverse of diurnal_warp: the t with diurnal_warp(p, t) = u, searched from `from` (the previous
/// arrival's time, diurnal_warp(p, from) <= u) by Newton steps safeguarded by bisection; about two
/// (sin, cos) pairs when u is near diurnal_warp(p, from), whatever the time of day. Accuracy: within 1e-9 s
/// of the exact inverse, as the bisection of the unsampled generator, beyond the rounding of diurnal_warp
/// itself (about ulp(u) / the rate multiplier at t). Returns u without a swing.
double diurnal_unwarp(const PoissonArrivalParams& p, double u, double from);

/// The inverse the unsampled generator uses (keep_fraction = 1): bisection from max(0, hint) until the bracket
/// is at most 1e-9 s wide (its middle: within 0.5e-9 s), each step comparing the computed warp with u. Its
/// results are bit for bit those of that plain bisection; for amplitude <= 0.99 only the steps near the root
/// evaluate the warp, the others being decided by the root found by Newton steps (over a day at 16/s: 10 sin and
/// 2 cos per arrival instead of 94 sin).
double diurnal_unwarp_bisection(const PoissonArrivalParams& p, double u, double hint);

/// `count` requests of fixed lengths, all arriving at `start_s` (offline maximum-load benchmark).
std::vector<RequestArrival> batch_arrivals(int count, int input_tokens, int output_tokens, double start_s);

/// The same batch with each request kept with probability `keep_fraction` (seeded by `seed`): with
/// keep_fraction < 1, Binomial(count, keep_fraction) requests in one draw, the distribution of the size of
/// thin_arrivals(batch_arrivals(...), keep_fraction, seed). Throws std::length_error past `max_requests` kept.
std::vector<RequestArrival> batch_arrivals(long long count, double input_tokens, double output_tokens, double start_s,
                                           double keep_fraction, uint64_t seed,
                                           size_t max_requests = kDefaultMaxArrivals);

/// A batch of `count` requests at `p.start_s` whose lengths follow `p` (exponential around the means, or
/// `p.lengths`' quantiles; the means when neither), each kept with probability `p.keep_fraction` (Binomial
/// draw, as above), lengths drawn in order from a generator seeded by `p.seed`. Throws std::length_error past
/// `p.max_requests` kept.
std::vector<RequestArrival> batch_arrivals(long long count, const PoissonArrivalParams& p);

/// Replays `trace` (times relative to its first request) from `start_s`, with inter-arrival times divided by
/// `scale` (scale 2 = twice the rate), repeating the trace cyclically until `end_s` (the period is the
/// trace's span plus its mean inter-arrival gap, divided by scale).
/// `keep_fraction` < 1 keeps each replayed request with that probability (seeded by `seed`), skipping
/// Geometric(keep_fraction) - 1 rows between kept ones: one draw per kept request.
/// The trace must be sorted, finite and, with several requests, span more than 0 s (trace_reader checks it),
/// and `scale` finite and > 0: otherwise std::invalid_argument. Past `max_requests` kept, std::length_error:
/// the loop always ends.
std::vector<RequestArrival> replay_trace(const std::vector<RequestArrival>& trace, double scale, double start_s,
                                         double end_s, double keep_fraction = 1, uint64_t seed = 0,
                                         size_t max_requests = kDefaultMaxArrivals);

/// replay_trace with a day shape: the replay runs in operational time (diurnal_warp of `shape`: its
/// diurnal_amplitude, period and peak) over [warp(start_s), warp(end_s)), and each replayed time u becomes the
/// clock time t with warp(t) = u (diurnal_unwarp). The rate then follows the trace's mean rate x (1 + amplitude
/// x cos(2 pi (t - peak) / period)) while the trace's own bursts and lengths stay; the mean rate over whole
/// periods is the trace's. Amplitude 0 is replay_trace exactly. Same errors as replay_trace.
std::vector<RequestArrival> replay_trace_diurnal(const std::vector<RequestArrival>& trace, double scale, double start_s,
                                                 double end_s, const PoissonArrivalParams& shape,
                                                 double keep_fraction = 1, uint64_t seed = 0,
                                                 size_t max_requests = kDefaultMaxArrivals);
/// Requests replay_trace generates per second of replay, before thinning (for size estimates): the trace's
/// requests per period. 0 for an empty trace.
double replay_rate_per_s(const std::vector<RequestArrival>& trace, double scale);

/// Keeps each request with probability `fraction` (deterministic for `seed`): the arrivals one sampled
/// part of a fleet receives when a balanced router spreads the whole stream.
std::vector<RequestArrival> thin_arrivals(std::vector<RequestArrival> arrivals, double fraction, uint64_t seed);

}  // namespace clustersim
