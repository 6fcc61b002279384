#pragma once
/// @file
/// Where training jobs come from, as lists of JobArrival (spec/job_arrival.hpp) that the engine turns into
/// training jobs for a cluster scheduler: synthetic draws (Poisson submissions, a discrete GPU-count
/// distribution, log-normal run times) and the scaling of any list (a trace replayed faster, on a larger
/// cluster). Pure and deterministic for a seed: the draws use std::mt19937_64 and our own inverse-CDF and
/// Box-Muller arithmetic, not std::*_distribution (whose output differs between standard libraries).

#include <string>
#include <utility>
#include <vector>

#include "spec/job_arrival.hpp"

namespace clustersim {

/// The most jobs draw_jobs returns: max_jobs above it, or an uncapped draw expecting more (rate x span), is
/// refused (about 0.5 GB of jobs; a cluster scheduler sees far fewer).
constexpr int kMaxDrawnJobs = 10'000'000;

/// Synthetic jobs: Poisson submissions at rate_per_s over [start_s, end_s) (at most max_jobs; 0 = no cap),
/// GPUs drawn from the discrete distribution {gpu_sizes, gpu_weights} (weights need not sum to 1), run time
/// log-normal with the given median and mean (sigma^2 = 2 ln(mean/median); mean >= median > 0; equal = constant),
/// truncated to [run_min_s, run_max_s] by redrawing (give up after 1000 redraws -> clamp). Deterministic for a seed:
/// use std::mt19937_64 and your own inverse-CDF/Box-Muller arithmetic (NOT std::*_distribution, whose output
/// differs between standard libraries).
struct SyntheticJobParams {
  double rate_per_s = 0;
  double start_s = 0;
  double end_s = 0;  ///< may be infinite when max_jobs > 0
  int max_jobs = 0;
  std::vector<int> gpu_sizes;
  std::vector<double> gpu_weights;
  double run_median_s = 0;
  double run_mean_s = 0;
  double run_min_s = 0;
  double run_max_s = 1e18;
  unsigned long long seed = 1;
};

/// The jobs of `p`, in submit order; source "draw K" (K = 0, 1, ...). Each job takes, in this order, one
/// uniform for its exponential gap (-ln(u) / rate, u in (0, 1]), one for its GPU count (the first size whose
/// cumulative weight exceeds u x total) and two per run-time draw (Box-Muller, the cosine branch). A truncated
/// run time is redrawn up to 1000 times, then clamped to [run_min_s, run_max_s]; a constant run time (mean =
/// median) is the median clamped, without draws. Truncation moves the median and mean away from the parameters.
/// Throws std::invalid_argument on bad params: a rate that is not finite and > 0, start not finite, end < start
/// (or NaN), an infinite end without max_jobs, max_jobs < 0 or > kMaxDrawnJobs, more than kMaxDrawnJobs expected
/// without max_jobs, empty or unequal gpu_sizes/gpu_weights, a size < 1, a weight negative or not finite, weights
/// summing to 0, a bad median/mean (see lognormal_from_median_mean), run_min_s < 0 or run_max_s < run_min_s.
std::vector<JobArrival> draw_jobs(const SyntheticJobParams& p);

/// Log-normal (mu, sigma) of a median and a mean: mu = ln(median), sigma = sqrt(2 ln(mean / median)).
/// Throws std::invalid_argument unless 0 < median <= mean, both finite.
std::pair<double, double> lognormal_from_median_mean(double median, double mean);

/// Scales a list: submit times divided by time_scale (2 = twice the rate), GPUs multiplied by gpu_scale and
/// rounded UP to a multiple of `gpu_multiple` (e.g. 8: whole servers; a product within 1e-9 relative of a
/// multiple counts as that multiple, so 24 x 1/3 stays 8), run times multiplied by run_scale; keeps order and
/// sources; drops jobs whose scaled submit time is >= until_s (infinity: none). A job keeps at least
/// gpu_multiple GPUs. Throws std::invalid_argument for a scale that is not finite and > 0, gpu_multiple < 1,
/// until_s NaN, or a scaled GPU count beyond int.
std::vector<JobArrival> scale_jobs(std::vector<JobArrival> jobs, double time_scale, double gpu_scale, int gpu_multiple,
                                   double run_scale, double until_s);

}  // namespace clustersim
