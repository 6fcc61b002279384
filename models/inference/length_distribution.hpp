#pragma once
/// @file
/// Empirical request-length distributions given as quantile tables (data/traces/alibaba-servegen-2025:
/// ServeGen's per-client PMFs merged, 1001 quantiles), sampled by inverse CDF with linear interpolation
/// between neighbouring quantiles.

#include <string>
#include <vector>

#include "spec/length_quantiles.hpp"

namespace clustersim {

/// The value at uniform draw u in [0, 1) of an equally spaced quantile table (linear interpolation).
double sample_quantiles(const std::vector<double>& quantiles, double u);

/// Mean of the distribution sample_quantiles draws from (mean of the interval midpoints).
double quantiles_mean(const std::vector<double>& quantiles);

}  // namespace clustersim
