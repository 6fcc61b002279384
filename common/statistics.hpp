#pragma once
/// @file
/// Small statistics helpers for results.

#include <vector>

namespace clustersim {

/// The q-quantile (0..1) of `values` with linear interpolation between order statistics (numpy's default);
/// NaN when empty. Sorts a copy: to read several quantiles of one vector, sort it once and use
/// sorted_quantile (same numbers bit for bit).
double quantile(std::vector<double> values, double q);

/// quantile() of `sorted`, which must be in ascending order (as std::sort leaves it): reads the two order
/// statistics around q, no copy, no sort. NaN when empty.
double sorted_quantile(const std::vector<double>& sorted, double q);

}  // namespace clustersim
