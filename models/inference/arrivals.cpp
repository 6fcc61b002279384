#include "models/inference/arrivals.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>

namespace clustersim {

namespace {

/// Throws std::length_error when a generator has kept `kept` > `max` requests or drawn `drawn` > max_drawn.
void check_bound(const char* generator, size_t kept, size_t max, double drawn, double max_drawn) {
  if (kept <= max && drawn <= max_drawn) return;
  throw std::length_error(std::string(generator) + ": more than " + std::to_string(max) + " requests (" +
                          std::to_string(kept) + " kept of " + std::to_string(static_cast<long long>(drawn)) +
                          " drawn): the run budget check (--max-memory) should have refused this input");
}

/// The draws allowed for `max` kept requests at `keep_fraction`.
double max_draws(size_t max, double keep_fraction) {
  return static_cast<double>(max) / std::clamp(keep_fraction, 1e-6, 1.0) + 1000.0;
}

/// The inverse of diurnal_warp from `from` (see diurnal_unwarp), to within `tolerance` s in exact arithmetic.
double newton_unwarp(const PoissonArrivalParams& p, double u, double from, double tolerance) {
  const double a = p.diurnal_amplitude;
  if (a <= 0) return u;
  const double w = 2 * M_PI / p.diurnal_period_s, r = a / w, s0 = std::sin(-w * p.diurnal_peak_s);
  // diurnal_warp(t) - t lies in [r (-1 - s0), r (1 - s0)]: so does u - root. The slack covers rounding.
  const double slack = 1e-12 * (std::abs(u) + r) + 1e-9;
  double lo = std::max(from, u - r * (1 - s0) - slack), hi = std::max(lo, u + r * (1 + s0) + slack);
  // Newton's error after a step d from t is at most a w e^2 / (2 warp'(t)), e the error before it (<= 2 |d|
  // while a w |d| / warp'(t) <= 1/4): stop once that bound is below the tolerance.
  double t = lo;
  for (int i = 0; i < 200; ++i) {
    const double phase = w * (t - p.diurnal_peak_s);
    const double f = t + r * (std::sin(phase) - s0) - u;
    if (f == 0) return t;
    (f < 0 ? lo : hi) = t;
    if (hi - lo <= tolerance) return 0.5 * (lo + hi);
    const double slope = 1 + a * std::cos(phase);
    const double step = -f / slope;
    const double next = t + step;
    if (slope > 0 && next > lo && next < hi) {
      const double q = a * w * std::abs(step) / slope;
      if (q <= 0.25 && 2 * q * std::abs(step) <= tolerance) return next;
      t = next;
    } else {
      t = 0.5 * (lo + hi);
    }
  }
  return t;
}

/// Failures before the first success of Bernoulli trials of probability p (0 < p < 1), `log1m_p` = log(1 - p):
/// floor(log U / log(1 - p)) for U uniform in (0, 1], so P(result >= k) = (1 - p)^k. One 64-bit draw.
double geometric_failures(std::mt19937_64& rng, double log1m_p) {
  const double u = static_cast<double>((rng() >> 11) + 1) * 0x1.0p-53;
  return std::floor(std::log(u) / log1m_p);
}

/// A request's prompt and output lengths: empirical quantiles, exponential around the means, or the means.
class LengthSampler {
 public:
  explicit LengthSampler(const PoissonArrivalParams& p)
      : p_(p), input_(1.0 / p.mean_input_tokens), output_(1.0 / p.mean_output_tokens) {}

  /// (input, output) tokens; draws the prompt's length first.
  std::pair<int, int> draw(std::mt19937_64& rng) {
    if (p_.lengths) {
      const int in = token_count(sample_quantiles(p_.lengths->input_tokens, unit_(rng)));
      return {in, token_count(sample_quantiles(p_.lengths->output_tokens, unit_(rng)))};
    }
    const int in = one(input_, p_.mean_input_tokens, rng);
    return {in, one(output_, p_.mean_output_tokens, rng)};
  }

 private:
  int one(std::exponential_distribution<double>& d, double mean, std::mt19937_64& rng) const {
    return p_.exponential_lengths ? token_count(d(rng)) : token_count(std::floor(mean));
  }

  const PoissonArrivalParams& p_;
  std::exponential_distribution<double> input_, output_;
  std::uniform_real_distribution<double> unit_{0, 1};
};

/// poisson_arrivals with keep_fraction in (0, 1): the kept stream drawn directly (see the header's note).
std::vector<RequestArrival> sampled_renewal_arrivals(const PoissonArrivalParams& p) {
  std::vector<RequestArrival> out;
  std::mt19937_64 rng(p.seed);
  const double shape = 1.0 / (p.cv * p.cv), scale = 1.0 / (p.rate_per_s * shape);
  const bool poisson = shape == 1;
  std::exponential_distribution<double> exp_gap(p.rate_per_s * p.keep_fraction);
  std::gamma_distribution<double> gamma_gap;
  const double log1m_keep = std::log1p(-p.keep_fraction);
  // The sum of N ~ Geometric(keep) iid Gamma(shape, scale) gaps is Gamma(N shape, scale).
  auto gap = [&] {
    if (poisson) return exp_gap(rng);
    const double n = 1 + geometric_failures(rng, log1m_keep);
    return gamma_gap(rng, std::gamma_distribution<double>::param_type(n * shape, scale));
  };
  LengthSampler lengths(p);
  const double u_end = diurnal_warp(p, p.end_s);
  double t = p.start_s;
  for (double u = diurnal_warp(p, p.start_s) + gap(); u < u_end; u += gap()) {
    check_bound("poisson_arrivals", out.size(), p.max_requests, static_cast<double>(out.size() + 1), HUGE_VAL);
    t = diurnal_unwarp(p, u, t);
    if (t >= p.end_s) break;
    const auto [in, gen] = lengths.draw(rng);
    out.push_back({t, in, gen, {}});
  }
  return out;
}

}  // namespace

double diurnal_warp(const PoissonArrivalParams& p, double t) {
  if (p.diurnal_amplitude <= 0) return t;
  const double w = 2 * M_PI / p.diurnal_period_s;
  return t + p.diurnal_amplitude / w * (std::sin(w * (t - p.diurnal_peak_s)) - std::sin(-w * p.diurnal_peak_s));
}

double diurnal_unwarp(const PoissonArrivalParams& p, double u, double from) {
  return newton_unwarp(p, u, from, 0.5e-9);
}

std::vector<RequestArrival> replay_trace_diurnal(const std::vector<RequestArrival>& trace, double scale, double start_s,
                                                 double end_s, const PoissonArrivalParams& shape, double keep_fraction,
                                                 uint64_t seed, size_t max_requests) {
  if (shape.diurnal_amplitude <= 0)
    return replay_trace(trace, scale, start_s, end_s, keep_fraction, seed, max_requests);
  std::vector<RequestArrival> out = replay_trace(trace, scale, diurnal_warp(shape, start_s), diurnal_warp(shape, end_s),
                                                 keep_fraction, seed, max_requests);
  double from = start_s;
  for (RequestArrival& r : out) {
    r.time_s = std::max(from, diurnal_unwarp(shape, r.time_s, from));  // sorted in, sorted out
    from = r.time_s;
  }
  return out;
}

double diurnal_unwarp_bisection(const PoissonArrivalParams& p, double u, double hint) {
  const double a = p.diurnal_amplitude;
  if (a <= 0) return u;
  double lo = std::max(0.0, hint), hi = std::max(lo, u) + p.diurnal_period_s;
  // For amplitude <= 0.99 the comparisons of points far from the root are decided by the root, found by
  // Newton's method; only points within `margin` of it evaluate the warp. The computed warp at t is within
  // 4 eps (|t| + |peak| + 2 period) of the exact one and the warp's slope is >= 1 - a: farther than `margin`
  // from the root (itself within 1e-10 s plus that rounding over 1 - a), the computed warp cannot lie on the
  // other side of u (a 16-fold safety on the rounding).
  const bool shortcut = a <= 0.99;
  const double eps = std::numeric_limits<double>::epsilon();
  const double rounding = 4 * eps * (std::abs(u) + std::abs(lo) + std::abs(p.diurnal_peak_s) + 2 * p.diurnal_period_s);
  const double margin = 2e-10 + 16 * rounding / (1 - a);
  const double root = shortcut ? newton_unwarp(p, u, lo, 1e-10) : 0;
  // diurnal_warp's expression, with its constant term computed once.
  const double w = 2 * M_PI / p.diurnal_period_s, r = a / w, s0 = std::sin(-w * p.diurnal_peak_s);
  auto below = [&](double t) {  // diurnal_warp(p, t) < u as computed
    if (shortcut && t < root - margin) return true;
    if (shortcut && t > root + margin) return false;
    return t + r * (std::sin(w * (t - p.diurnal_peak_s)) - s0) < u;
  };
  // diurnal_warp(t) >= t - 2 amplitude / w: with amplitude <= 1 one period past u is enough; the cap keeps the
  // loop finite where u is too large for the period to advance it.
  for (int i = 0; i < 1000 && below(hi); ++i) hi += p.diurnal_period_s;
  int i = 0;
  // The steps decided by the root, without branches to mispredict (they are half of the time).
  for (; shortcut && i < 60 && hi - lo > 1e-9; ++i) {
    const double mid = 0.5 * (lo + hi);
    if (std::abs(mid - root) <= margin) break;
    const bool left = mid < root;
    lo = left ? mid : lo;
    hi = left ? hi : mid;
  }
  for (; i < 60 && hi - lo > 1e-9; ++i) {
    const double mid = 0.5 * (lo + hi);
    (below(mid) ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

int token_count(double tokens) {
  if (!(tokens >= 1)) return 1;
  if (tokens >= kMaxRequestTokens) return static_cast<int>(kMaxRequestTokens);
  return static_cast<int>(std::round(tokens));
}

std::vector<RequestArrival> poisson_arrivals(const PoissonArrivalParams& p) {
  std::vector<RequestArrival> out;
  if (!(p.rate_per_s > 0)) return out;
  if (p.diurnal_amplitude > 0 && !(p.diurnal_period_s > 0 && std::isfinite(p.diurnal_period_s)))
    throw std::invalid_argument("poisson_arrivals: the diurnal period must be finite and > 0");
  if (p.keep_fraction < 1) return p.keep_fraction > 0 ? sampled_renewal_arrivals(p) : out;
  std::mt19937_64 rng(p.seed);
  // Gamma(shape k, scale theta): mean k theta = 1/rate, CV = 1/sqrt(k).
  const double shape = 1.0 / (p.cv * p.cv);
  std::gamma_distribution<double> gap(shape, 1.0 / (p.rate_per_s * shape));
  LengthSampler lengths(p);
  const double draws_allowed = max_draws(p.max_requests, p.keep_fraction);
  double draws = 0;
  std::uniform_real_distribution<double> keep(0, 1);
  const double u_end = diurnal_warp(p, p.end_s);
  double t = p.start_s;
  for (double u = diurnal_warp(p, p.start_s) + gap(rng); u < u_end; u += gap(rng)) {
    check_bound("poisson_arrivals", out.size(), p.max_requests, ++draws, draws_allowed);
    t = diurnal_unwarp_bisection(p, u, t);
    if (t >= p.end_s) break;
    const auto [in, gen] = lengths.draw(rng);
    if (p.keep_fraction < 1 && keep(rng) >= p.keep_fraction) continue;
    out.push_back({t, in, gen, {}});
  }
  return out;
}

std::vector<RequestArrival> batch_arrivals(int count, int input_tokens, int output_tokens, double start_s) {
  return std::vector<RequestArrival>(std::max(0, count), RequestArrival{start_s, input_tokens, output_tokens, {}});
}

std::vector<RequestArrival> batch_arrivals(long long count, double input_tokens, double output_tokens, double start_s,
                                           double keep_fraction, uint64_t seed, size_t max_requests) {
  const RequestArrival r{start_s, token_count(input_tokens), token_count(output_tokens), {}};
  std::vector<RequestArrival> out;
  if (keep_fraction >= 1) {
    check_bound("batch_arrivals", static_cast<size_t>(std::max(0LL, count)), max_requests, 0, 0);
    return std::vector<RequestArrival>(static_cast<size_t>(std::max(0LL, count)), r);
  }
  if (!(keep_fraction > 0) || count <= 0) return out;
  std::mt19937_64 rng(seed ^ 0x9e3779b97f4a7c15ULL);
  const long long kept = std::binomial_distribution<long long>(count, keep_fraction)(rng);
  check_bound("batch_arrivals", static_cast<size_t>(kept), max_requests, static_cast<double>(count), HUGE_VAL);
  return std::vector<RequestArrival>(static_cast<size_t>(kept), r);
}

std::vector<RequestArrival> batch_arrivals(long long count, const PoissonArrivalParams& p) {
  if (!p.exponential_lengths && p.lengths == nullptr)
    return batch_arrivals(count, std::floor(p.mean_input_tokens), std::floor(p.mean_output_tokens), p.start_s,
                          p.keep_fraction, p.seed, p.max_requests);
  std::vector<RequestArrival> out = batch_arrivals(count, 1, 1, p.start_s, p.keep_fraction, p.seed, p.max_requests);
  std::mt19937_64 rng(p.seed ^ 0x6c8e9cf570932bd5ULL);
  LengthSampler lengths(p);
  for (RequestArrival& r : out) std::tie(r.input_tokens, r.output_tokens) = lengths.draw(rng);
  return out;
}

namespace {
/// The replay period of `trace` at `scale` (span + mean gap, over scale); throws std::invalid_argument when
/// it is not finite and > 0 (an unsorted trace, or several requests at one instant) or scale is not.
double replay_period(const std::vector<RequestArrival>& trace, double scale) {
  const double first = trace.front().time_s;
  const double span = trace.back().time_s - first;
  const double mean_gap = trace.size() > 1 ? span / static_cast<double>(trace.size() - 1) : 1.0;
  const double period = (span + mean_gap) / scale;
  if (!(scale > 0 && std::isfinite(scale)) || !(period > 0 && std::isfinite(period)) || !std::isfinite(first))
    throw std::invalid_argument("replay_trace: the trace's replay period is " + std::to_string(period) + " s (span " +
                                std::to_string(span) + " s, " + std::to_string(trace.size()) + " requests, scale " +
                                std::to_string(scale) + "): a trace must be sorted and span more than 0 s");
  return period;
}
}  // namespace

double replay_rate_per_s(const std::vector<RequestArrival>& trace, double scale) {
  return trace.empty() ? 0.0 : static_cast<double>(trace.size()) / replay_period(trace, scale);
}

std::vector<RequestArrival> replay_trace(const std::vector<RequestArrival>& trace, double scale, double start_s,
                                         double end_s, double keep_fraction, uint64_t seed, size_t max_requests) {
  std::vector<RequestArrival> out;
  std::mt19937_64 rng(seed ^ 0x9e3779b97f4a7c15ULL);
  std::uniform_real_distribution<double> keep(0, 1);
  if (trace.empty()) return out;
  const double first = trace.front().time_s;
  const double period = replay_period(trace, scale);
  if (keep_fraction < 1) {
    if (!(keep_fraction > 0)) return out;
    // Rows are numbered across cycles (cycle = row / size); Geometric(keep) - 1 rows are skipped before each
    // kept one. Past 2^53 rows the numbering is no longer exact: the bound throws first.
    const double log1m_keep = std::log1p(-keep_fraction), rows = static_cast<double>(trace.size());
    for (double row = geometric_failures(rng, log1m_keep);; row += 1 + geometric_failures(rng, log1m_keep)) {
      const double cycle = std::floor(row / rows), offset = start_s + cycle * period;
      if (offset >= end_s) return out;
      check_bound("replay_trace", out.size(), max_requests, row, 0x1.0p53);
      const RequestArrival& r = trace[std::min(trace.size() - 1, static_cast<size_t>(row - cycle * rows))];
      const double t = offset + (r.time_s - first) / scale;
      if (t >= end_s) return out;
      out.push_back(r);
      out.back().time_s = t;
    }
  }
  const double draws_allowed = max_draws(max_requests, keep_fraction);
  double draws = 0;
  // Every cycle replays at least its first row, so the draws bound ends the loop even when the period is
  // below the clock's resolution.
  for (double offset = start_s; offset < end_s; offset += period) {
    for (const auto& r : trace) {
      const double t = offset + (r.time_s - first) / scale;
      if (t >= end_s) return out;
      check_bound("replay_trace", out.size(), max_requests, ++draws, draws_allowed);
      if (keep_fraction < 1 && keep(rng) >= keep_fraction) continue;
      out.push_back(r);
      out.back().time_s = t;
    }
  }
  return out;
}

std::vector<RequestArrival> thin_arrivals(std::vector<RequestArrival> arrivals, double fraction, uint64_t seed) {
  if (fraction >= 1) return arrivals;
  std::mt19937_64 rng(seed ^ 0x9e3779b97f4a7c15ULL);
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<RequestArrival> out;
  out.reserve(static_cast<size_t>(arrivals.size() * fraction * 1.1) + 1);
  for (auto& a : arrivals)
    if (u(rng) < fraction) out.push_back(std::move(a));
  return out;
}

}  // namespace clustersim
