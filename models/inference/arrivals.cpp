#include "models/inference/arrivals.hpp"

#include <algorithm>
#include <cmath>
#include <random>

namespace clustersim {

namespace {

/// Integral of the diurnal rate multiplier from 0 to t (the "operational time" of the warped process).
double warped_time(const PoissonArrivalParams& p, double t) {
  if (p.diurnal_amplitude <= 0) return t;
  const double w = 2 * M_PI / p.diurnal_period_s;
  return t + p.diurnal_amplitude / w * (std::sin(w * (t - p.diurnal_peak_s)) - std::sin(-w * p.diurnal_peak_s));
}

/// Inverse of warped_time by bisection (it is increasing when amplitude <= 1).
double unwarp(const PoissonArrivalParams& p, double u, double hint) {
  if (p.diurnal_amplitude <= 0) return u;
  double lo = std::max(0.0, hint), hi = std::max(lo, u) + p.diurnal_period_s;
  while (warped_time(p, hi) < u) hi += p.diurnal_period_s;
  for (int i = 0; i < 60 && hi - lo > 1e-9; ++i) {
    const double mid = 0.5 * (lo + hi);
    (warped_time(p, mid) < u ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

}  // namespace

std::vector<RequestArrival> poisson_arrivals(const PoissonArrivalParams& p) {
  std::vector<RequestArrival> out;
  if (!(p.rate_per_s > 0)) return out;
  std::mt19937_64 rng(p.seed);
  // Gamma(shape k, scale theta): mean k theta = 1/rate, CV = 1/sqrt(k).
  const double shape = 1.0 / (p.cv * p.cv);
  std::gamma_distribution<double> gap(shape, 1.0 / (p.rate_per_s * shape));
  std::exponential_distribution<double> input(1.0 / p.mean_input_tokens);
  std::exponential_distribution<double> output(1.0 / p.mean_output_tokens);
  auto draw = [&](std::exponential_distribution<double>& d, double mean) {
    return p.exponential_lengths ? std::max(1, static_cast<int>(std::lround(d(rng)))) : static_cast<int>(mean);
  };
  std::uniform_real_distribution<double> keep(0, 1);
  const double u_end = warped_time(p, p.end_s);
  double t = p.start_s;
  for (double u = warped_time(p, p.start_s) + gap(rng); u < u_end; u += gap(rng)) {
    t = unwarp(p, u, t);
    if (t >= p.end_s) break;
    int in, gen;
    if (p.lengths) {
      in = std::max(1, static_cast<int>(std::lround(sample_quantiles(p.lengths->input_tokens, keep(rng)))));
      gen = std::max(1, static_cast<int>(std::lround(sample_quantiles(p.lengths->output_tokens, keep(rng)))));
    } else {
      in = draw(input, p.mean_input_tokens);
      gen = draw(output, p.mean_output_tokens);
    }
    if (p.keep_fraction < 1 && keep(rng) >= p.keep_fraction) continue;
    out.push_back({t, in, gen, {}});
  }
  return out;
}

std::vector<RequestArrival> batch_arrivals(int count, int input_tokens, int output_tokens, double start_s) {
  return std::vector<RequestArrival>(std::max(0, count), RequestArrival{start_s, input_tokens, output_tokens, {}});
}

std::vector<RequestArrival> replay_trace(const std::vector<RequestArrival>& trace, double scale, double start_s,
                                         double end_s, double keep_fraction, uint64_t seed) {
  std::vector<RequestArrival> out;
  std::mt19937_64 rng(seed ^ 0x9e3779b97f4a7c15ULL);
  std::uniform_real_distribution<double> keep(0, 1);
  if (trace.empty()) return out;
  const double first = trace.front().time_s;
  const double span = trace.back().time_s - first;
  const double mean_gap = trace.size() > 1 ? span / (trace.size() - 1) : 1.0;
  const double period = (span + mean_gap) / scale;
  for (double offset = start_s; offset < end_s; offset += period) {
    for (const auto& r : trace) {
      const double t = offset + (r.time_s - first) / scale;
      if (t >= end_s) return out;
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
