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

size_t QuantileSketch::bucket(double value) const {
  if (!(value > kSmallest)) return 0;
  return 1 + static_cast<size_t>(std::log(value / kSmallest) / std::log1p(2 * kRelativeError));
}

void QuantileSketch::add(double value) {
  ++count_;
  if (buckets_.empty()) {
    values_.push_back(value);
    if (values_.size() <= exact_limit_) return;
    for (double v : values_) {  // past the limit: the histogram from now on
      const size_t b = bucket(v);
      if (b >= buckets_.size()) buckets_.resize(b + 1, 0);
      buckets_[b] += 1;
    }
    std::vector<double>().swap(values_);
    return;
  }
  const size_t b = bucket(value);
  if (b >= buckets_.size()) buckets_.resize(b + 1, 0);
  buckets_[b] += 1;
}

std::vector<double> QuantileSketch::quantiles(const std::vector<double>& qs) {
  if (buckets_.empty()) return select_quantiles(values_, qs);
  const double ratio = 1 + 2 * kRelativeError;
  std::vector<double> out;
  for (double q : qs) {
    const double rank = std::floor(std::clamp(q, 0.0, 1.0) * static_cast<double>(count_ - 1));  // 0-based
    uint64_t seen = 0;
    size_t b = 0;
    for (; b < buckets_.size(); ++b) {
      seen += buckets_[b];
      if (static_cast<double>(seen) > rank) break;
    }
    out.push_back(b == 0 ? kSmallest : kSmallest * std::pow(ratio, static_cast<double>(b) - 0.5));
  }
  return out;
}

double student_t_975(int dof) {
  // t_0.975 for 1..30 degrees of freedom (standard tables; e.g. NIST/SEMATECH e-Handbook, table 1.4.2.3.2).
  static const double kTable[] = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                                  2.201,  2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
                                  2.080,  2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
  if (dof < 1) return std::numeric_limits<double>::quiet_NaN();
  if (dof <= 30) return kTable[dof - 1];
  const double z = 1.959964;
  return z + (z * z * z + z) / (4.0 * dof);
}

MeanInterval mean_interval_95(const std::vector<double>& values) {
  MeanInterval out;
  double sum = 0;
  for (double v : values)
    if (!std::isnan(v)) sum += v, ++out.n;
  if (out.n == 0) return {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN(), 0};
  out.mean = sum / out.n;
  double squares = 0;
  for (double v : values)
    if (!std::isnan(v)) squares += (v - out.mean) * (v - out.mean);
  out.half_width = out.n > 1 ? student_t_975(out.n - 1) * std::sqrt(squares / (out.n - 1) / out.n)
                             : std::numeric_limits<double>::quiet_NaN();
  return out;
}

double sample_quantiles(const std::vector<double>& q, double u) {
  const double x = std::clamp(u, 0.0, 1.0) * (q.size() - 1);
  const size_t i = std::min(static_cast<size_t>(x), q.size() - 2);
  return q[i] + (x - i) * (q[i + 1] - q[i]);
}

double quantiles_mean(const std::vector<double>& q) {
  double sum = 0;
  for (size_t i = 0; i + 1 < q.size(); ++i) sum += 0.5 * (q[i] + q[i + 1]);
  return sum / (q.size() - 1);
}

void scale_quantiles_to_mean(std::vector<double>& q, double mean) {
  const double factor = mean / quantiles_mean(q);
  for (double& v : q) v *= factor;
}

}  // namespace clustersim
