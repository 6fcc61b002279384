#include "common/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace clustersim {

namespace {

/// The order statistics quantile() interpolates between for q: indices lo and hi, weight of hi.
struct QuantilePosition {
  size_t lo, hi;
  double pos;
};

QuantilePosition quantile_position(size_t n, double q) {
  const double pos = q * (n - 1);
  const size_t lo = static_cast<size_t>(std::floor(pos));
  return {lo, std::min(lo + 1, n - 1), pos};
}

double interpolate(const std::vector<double>& v, const QuantilePosition& p) {
  return v[p.lo] + (p.pos - p.lo) * (v[p.hi] - v[p.lo]);
}

}  // namespace

double quantile(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  return sorted_quantile(values, q);
}

double sorted_quantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return std::numeric_limits<double>::quiet_NaN();
  return interpolate(sorted, quantile_position(sorted.size(), q));
}

std::vector<double> select_quantiles(std::vector<double>& values, const std::vector<double>& qs) {
  std::vector<double> out(qs.size(), std::numeric_limits<double>::quiet_NaN());
  if (values.empty()) return out;
  std::vector<size_t> order(qs.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&qs](size_t a, size_t b) { return qs[a] < qs[b]; });
  // Indices are requested in non-decreasing order, so one below `placed` is the last one placed. Every value
  // at or after `placed` is >= the values before it: each nth_element only needs the tail.
  size_t placed = 0;
  auto place = [&values, &placed](size_t i) {
    if (i < placed) return;
    std::nth_element(values.begin() + placed, values.begin() + i, values.end());
    placed = i + 1;
  };
  for (size_t k : order) {
    const QuantilePosition p = quantile_position(values.size(), qs[k]);
    place(p.lo);
    place(p.hi);
    out[k] = interpolate(values, p);
  }
  return out;
}

}  // namespace clustersim
