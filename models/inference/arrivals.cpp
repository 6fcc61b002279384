#include "models/inference/arrivals.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>
#include <string>

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
  // warped_time(t) >= t - 2 amplitude / w: with amplitude <= 1 one period past u is enough; the cap keeps the
  // loop finite where u is too large for the period to advance it.
  for (int i = 0; i < 1000 && warped_time(p, hi) < u; ++i) hi += p.diurnal_period_s;
  for (int i = 0; i < 60 && hi - lo > 1e-9; ++i) {
    const double mid = 0.5 * (lo + hi);
    (warped_time(p, mid) < u ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

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

}  // namespace

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
  std::mt19937_64 rng(p.seed);
  // Gamma(shape k, scale theta): mean k theta = 1/rate, CV = 1/sqrt(k).
  const double shape = 1.0 / (p.cv * p.cv);
  std::gamma_distribution<double> gap(shape, 1.0 / (p.rate_per_s * shape));
  std::exponential_distribution<double> input(1.0 / p.mean_input_tokens);
  std::exponential_distribution<double> output(1.0 / p.mean_output_tokens);
  auto draw = [&](std::exponential_distribution<double>& d, double mean) {
    return p.exponential_lengths ? token_count(d(rng)) : token_count(std::floor(mean));
  };
  const double draws_allowed = max_draws(p.max_requests, p.keep_fraction);
  double draws = 0;
  std::uniform_real_distribution<double> keep(0, 1);
  const double u_end = warped_time(p, p.end_s);
  double t = p.start_s;
  for (double u = warped_time(p, p.start_s) + gap(rng); u < u_end; u += gap(rng)) {
    check_bound("poisson_arrivals", out.size(), p.max_requests, ++draws, draws_allowed);
    t = unwarp(p, u, t);
    if (t >= p.end_s) break;
    int in, gen;
    if (p.lengths) {
      in = token_count(sample_quantiles(p.lengths->input_tokens, keep(rng)));
      gen = token_count(sample_quantiles(p.lengths->output_tokens, keep(rng)));
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

std::vector<RequestArrival> batch_arrivals(long long count, double input_tokens, double output_tokens, double start_s,
                                           double keep_fraction, uint64_t seed, size_t max_requests) {
  const RequestArrival r{start_s, token_count(input_tokens), token_count(output_tokens), {}};
  std::vector<RequestArrival> out;
  if (keep_fraction >= 1) {
    check_bound("batch_arrivals", static_cast<size_t>(std::max(0LL, count)), max_requests, 0, 0);
    return std::vector<RequestArrival>(static_cast<size_t>(std::max(0LL, count)), r);
  }
  // The draws of thin_arrivals, in the same order.
  std::mt19937_64 rng(seed ^ 0x9e3779b97f4a7c15ULL);
  std::uniform_real_distribution<double> u(0, 1);
  for (long long i = 0; i < count; ++i) {
    if (u(rng) < keep_fraction) out.push_back(r);
    check_bound("batch_arrivals", out.size(), max_requests, 0, 0);
  }
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
