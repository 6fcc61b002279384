#pragma once
/// @file
/// Small statistics helpers for results.

#include <vector>

namespace clustersim {

/// The q-quantile (0..1) of `values` with linear interpolation between order statistics (numpy's default);
/// NaN when empty.
double quantile(std::vector<double> values, double q);

}  // namespace clustersim
