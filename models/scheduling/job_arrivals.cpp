#include "models/scheduling/job_arrivals.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <stdexcept>

#include "common/random.hpp"

namespace clustersim {

namespace {

/// Redraws of a run time outside [run_min_s, run_max_s] before it is clamped.
constexpr int kRunRedraws = 1000;

constexpr double kTwoPi = 6.283185307179586476925286766559;

/// Standard normal by Box-Muller (the cosine branch): two uniforms.
double standard_normal(std::mt19937_64& rng) {
  const double u1 = uniform_open0(rng);
  const double u2 = uniform_open1(rng);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(kTwoPi * u2);
}

void require(bool ok, const std::string& what) {
  if (!ok) throw std::invalid_argument("draw_jobs: " + what);
}

/// Cumulative weights of the GPU sizes, checked.
std::vector<double> cumulative_weights(const SyntheticJobParams& p) {
  require(!p.gpu_sizes.empty(), "gpu_sizes is empty");
  require(p.gpu_sizes.size() == p.gpu_weights.size(), "gpu_sizes has " + std::to_string(p.gpu_sizes.size()) +
                                                          " entries but gpu_weights " +
                                                          std::to_string(p.gpu_weights.size()));
  std::vector<double> cumulative;
  double total = 0;
  for (size_t i = 0; i < p.gpu_sizes.size(); ++i) {
    require(p.gpu_sizes[i] >= 1, "gpu_sizes[" + std::to_string(i) + "] is " + std::to_string(p.gpu_sizes[i]) +
                                     ": a job takes at least 1 GPU");
    require(std::isfinite(p.gpu_weights[i]) && p.gpu_weights[i] >= 0,
            "gpu_weights[" + std::to_string(i) + "] must be finite and >= 0");
    total += p.gpu_weights[i];
    cumulative.push_back(total);
  }
  require(total > 0 && std::isfinite(total),
          "gpu_weights sum to " + std::to_string(total) + ", not a finite value > 0");
  return cumulative;
}

}  // namespace

std::pair<double, double> lognormal_from_median_mean(double median, double mean) {
  if (!(std::isfinite(median) && std::isfinite(mean) && median > 0 && mean >= median))
    throw std::invalid_argument("log-normal run time: need 0 < median <= mean, both finite (median " +
                                std::to_string(median) + " s, mean " + std::to_string(mean) + " s)");
  return {std::log(median), std::sqrt(2.0 * std::log(mean / median))};
}

std::vector<JobArrival> draw_jobs(const SyntheticJobParams& p) {
  require(std::isfinite(p.rate_per_s) && p.rate_per_s > 0, "rate_per_s must be finite and > 0");
  require(std::isfinite(p.start_s), "start_s must be finite");
  require(p.end_s >= p.start_s, "end_s must be >= start_s");
  require(p.max_jobs >= 0 && p.max_jobs <= kMaxDrawnJobs,
          "max_jobs must be in [0, " + std::to_string(kMaxDrawnJobs) + "] (0 = no cap)");
  require(p.max_jobs > 0 || std::isfinite(p.end_s), "an infinite end_s needs max_jobs > 0");
  require(p.max_jobs > 0 || p.rate_per_s * (p.end_s - p.start_s) <= kMaxDrawnJobs,
          "rate_per_s x (end_s - start_s) expects more than " + std::to_string(kMaxDrawnJobs) +
              " jobs: shorten the span or set max_jobs");
  const std::vector<double> cumulative = cumulative_weights(p);
  const auto [mu, sigma] = lognormal_from_median_mean(p.run_median_s, p.run_mean_s);
  require(p.run_min_s >= 0, "run_min_s must be >= 0");
  require(p.run_max_s >= p.run_min_s, "run_max_s must be >= run_min_s");

  std::mt19937_64 rng(p.seed);
  auto draw_run = [&, mu = mu, sigma = sigma] {
    if (sigma == 0) return std::clamp(p.run_median_s, p.run_min_s, p.run_max_s);
    double run = 0;
    for (int draw = 0; draw <= kRunRedraws; ++draw) {
      run = std::exp(mu + sigma * standard_normal(rng));
      if (run >= p.run_min_s && run <= p.run_max_s) return run;
    }
    return std::clamp(run, p.run_min_s, p.run_max_s);
  };

  std::vector<JobArrival> out;
  const size_t cap = p.max_jobs > 0 ? static_cast<size_t>(p.max_jobs) : std::numeric_limits<size_t>::max();
  double t = p.start_s;
  while (out.size() < cap) {
    t += -std::log(uniform_open0(rng)) / p.rate_per_s;
    if (!(t < p.end_s)) break;
    // Gaps below half an ulp of t leave it in place: times so large for their rate could loop without end.
    if (out.size() >= static_cast<size_t>(kMaxDrawnJobs))
      throw std::invalid_argument("draw_jobs: more than " + std::to_string(kMaxDrawnJobs) +
                                  " jobs drawn: the rate is too high for times this large");
    const double x = uniform_open1(rng) * cumulative.back();
    const size_t i = std::min<size_t>(std::upper_bound(cumulative.begin(), cumulative.end(), x) - cumulative.begin(),
                                      cumulative.size() - 1);
    JobArrival job;
    job.submit_s = t;
    job.gpus = p.gpu_sizes[i];
    job.run_s = draw_run();
    job.source = "draw " + std::to_string(out.size());
    out.push_back(std::move(job));
  }
  return out;
}

std::vector<JobArrival> scale_jobs(std::vector<JobArrival> jobs, double time_scale, double gpu_scale, int gpu_multiple,
                                   double run_scale, double until_s) {
  auto require_scale = [](double v, const char* name) {
    if (!(std::isfinite(v) && v > 0))
      throw std::invalid_argument(std::string("scale_jobs: ") + name + " must be finite and > 0");
  };
  require_scale(time_scale, "time_scale");
  require_scale(gpu_scale, "gpu_scale");
  require_scale(run_scale, "run_scale");
  if (gpu_multiple < 1) throw std::invalid_argument("scale_jobs: gpu_multiple must be >= 1");
  if (std::isnan(until_s)) throw std::invalid_argument("scale_jobs: until_s is NaN");
  constexpr double kRelativeSlack = 1e-9;  // 24 GPUs x (1/3) is 8, whatever the rounding of 1/3
  size_t kept = 0;
  for (auto& job : jobs) {
    const double submit = job.submit_s / time_scale;
    if (!(submit < until_s)) continue;
    const double multiples = job.gpus * gpu_scale / gpu_multiple;
    const double whole = std::max(1.0, std::ceil(multiples * (1 - kRelativeSlack)));
    if (!(whole * gpu_multiple <= std::numeric_limits<int>::max()))
      throw std::invalid_argument("scale_jobs: " + job.source + ": " + std::to_string(job.gpus) + " GPUs x " +
                                  std::to_string(gpu_scale) + " is beyond an int");
    JobArrival& out = jobs[kept++];
    if (&out != &job) out = std::move(job);
    out.submit_s = submit;
    out.gpus = static_cast<int>(whole) * gpu_multiple;
    out.run_s *= run_scale;
  }
  jobs.resize(kept);
  return jobs;
}

}  // namespace clustersim
