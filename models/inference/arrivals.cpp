#include "models/inference/arrivals.hpp"

#include <algorithm>
#include <cmath>
#include <random>

namespace clustersim {

std::vector<RequestArrival> poisson_arrivals(const PoissonArrivalParams& p) {
  std::vector<RequestArrival> out;
  std::mt19937_64 rng(p.seed);
  std::exponential_distribution<double> gap(p.rate_per_s);
  std::exponential_distribution<double> input(1.0 / p.mean_input_tokens);
  std::exponential_distribution<double> output(1.0 / p.mean_output_tokens);
  auto draw = [&](std::exponential_distribution<double>& d, double mean) {
    return p.exponential_lengths ? std::max(1, static_cast<int>(std::lround(d(rng)))) : static_cast<int>(mean);
  };
  for (double t = p.start_s + gap(rng); t < p.end_s; t += gap(rng)) {
    const int in = draw(input, p.mean_input_tokens);
    const int gen = draw(output, p.mean_output_tokens);
    out.push_back({t, in, gen});
  }
  return out;
}

std::vector<RequestArrival> replay_trace(const std::vector<RequestArrival>& trace, double scale, double start_s,
                                         double end_s) {
  std::vector<RequestArrival> out;
  if (trace.empty()) return out;
  const double first = trace.front().time_s;
  const double span = trace.back().time_s - first;
  const double mean_gap = trace.size() > 1 ? span / (trace.size() - 1) : 1.0;
  const double period = (span + mean_gap) / scale;
  for (double offset = start_s; offset < end_s; offset += period) {
    for (const auto& r : trace) {
      const double t = offset + (r.time_s - first) / scale;
      if (t >= end_s) return out;
      out.push_back({t, r.input_tokens, r.output_tokens});
    }
  }
  return out;
}

}  // namespace clustersim
