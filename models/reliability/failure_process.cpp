#include "models/reliability/failure_process.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <stdexcept>
#include <tuple>

#include "common/random.hpp"

namespace clustersim {

namespace {

/// FNV-1a of a class name: its stream does not depend on which other classes there are, nor on their order.
uint64_t name_hash(const std::string& name) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char ch : name) h = (h ^ ch) * 0x100000001b3ULL;
  return h;
}

}  // namespace

std::vector<ComponentFailure> draw_failures(const std::vector<FailureClassParams>& classes, double end_s, uint64_t seed,
                                            size_t max_failures) {
  std::vector<ComponentFailure> out;
  auto push = [&](ComponentFailure f) {
    if (out.size() >= max_failures)
      throw std::invalid_argument("more than " + std::to_string(max_failures) +
                                  " component failures drawn: lower the rates or the duration");
    out.push_back(f);
  };
  for (size_t c = 0; c < classes.size(); ++c) {
    const FailureClassParams& p = classes[c];
    if (!(p.rate_per_s >= 0) || !std::isfinite(p.rate_per_s) || p.components < 0 || !(p.weibull_shape > 0) ||
        !std::isfinite(p.weibull_shape))
      throw std::invalid_argument("failure class '" + p.name + "': rate " + std::to_string(p.rate_per_s) + "/s, " +
                                  std::to_string(p.components) + " components, shape " +
                                  std::to_string(p.weibull_shape));
    if (p.rate_per_s == 0 || p.components == 0 || !(end_s > 0)) continue;
    std::mt19937_64 rng(substream_seed(seed, name_hash(p.name)));
    const int cls = static_cast<int>(c);
    if (p.weibull_shape == 1) {
      const double rate = p.rate_per_s * p.components;
      for (double t = -std::log(uniform_open0(rng)) / rate; t < end_s; t += -std::log(uniform_open0(rng)) / rate) {
        const int k = std::min(p.components - 1, static_cast<int>(uniform_open1(rng) * p.components));
        push({t, cls, k});
      }
      continue;
    }
    const double inv_shape = 1 / p.weibull_shape;
    const double scale = 1 / (p.rate_per_s * std::tgamma(1 + inv_shape));
    for (int k = 0; k < p.components; ++k)
      for (double t = scale * std::pow(-std::log(uniform_open0(rng)), inv_shape); t < end_s;
           t += scale * std::pow(-std::log(uniform_open0(rng)), inv_shape))
        push({t, cls, k});
  }
  std::sort(out.begin(), out.end(), [](const ComponentFailure& a, const ComponentFailure& b) {
    return std::tie(a.time_s, a.failure_class, a.component) < std::tie(b.time_s, b.failure_class, b.component);
  });
  return out;
}

double mean_time_between_failures_s(const std::vector<FailureClassParams>& classes, const std::vector<double>& counts) {
  double rate = 0;
  for (size_t c = 0; c < classes.size() && c < counts.size(); ++c) rate += counts[c] * classes[c].rate_per_s;
  return rate > 0 ? 1 / rate : std::numeric_limits<double>::infinity();
}

}  // namespace clustersim
