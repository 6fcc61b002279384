#pragma once
/// @file
/// Component failures of a cluster over time: each class of components (GPUs, servers, NIC links, leaf switches)
/// fails at a rate per component-hour, with times between a component's failures exponential (a superposed
/// Poisson process over the class) or Weibull of a given shape with the same mean (a renewal process per
/// component; shape < 1 = infant mortality, > 1 = wear-out). Pure and deterministic for a seed: the draws use
/// std::mt19937_64 and our own inverse-CDF arithmetic (common/random.hpp).
///
/// What a failure does (which servers it cuts off, how long they are repaired) is the caller's (sim/setup,
/// sim/engine); here a failure is a time, a class and a component index.

#include <cstdint>
#include <string>
#include <vector>

namespace clustersim {

/// One class of identical components.
struct FailureClassParams {
  std::string name;
  int components = 0;        ///< how many the cluster has
  double rate_per_s = 0;     ///< failures per component-second (the mean; 0 = never)
  double weibull_shape = 1;  ///< 1 = exponential
};

/// One failure: when, of which class (an index of the params), which component.
struct ComponentFailure {
  double time_s = 0;
  int failure_class = 0;
  int component = 0;
};

/// The failures of every class over [0, end_s), in time order (ties: class, then component). Exponential: the
/// class's failures are a Poisson process of rate components x rate (gaps -ln(u) / (n rate), one uniform each)
/// and each picks its component uniformly (one uniform). Weibull of shape k: each component's first failure and
/// the gaps after it are scale x (-ln u)^(1/k), scale = 1 / (rate Gamma(1 + 1/k)) (the mean gap 1 / rate); the
/// process starts fresh at t = 0 (every component new). Each class draws from its own stream, so adding a class
/// leaves the others' draws unchanged. Throws std::invalid_argument on a negative or
/// non-finite rate, components < 0, a shape <= 0, or more than `max_failures` failures in all. Class c's stream
/// is seeded from `seed` and the FNV-1a hash of its name (two classes of one name draw alike).
std::vector<ComponentFailure> draw_failures(const std::vector<FailureClassParams>& classes, double end_s, uint64_t seed,
                                            size_t max_failures = 10'000'000);

/// The mean time between failures of a set of components: 1 / sum(count_c x rate_c) (infinity when it is 0).
/// `counts[c]` components of class c.
double mean_time_between_failures_s(const std::vector<FailureClassParams>& classes, const std::vector<double>& counts);

}  // namespace clustersim
