#pragma once
/// @file
/// Small statistics helpers for results.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace clustersim {

/// The two-sided 95 % quantile of Student's t with `dof` degrees of freedom (t_0.975): tabulated for 1-30,
/// then z + (z^3 + z) / (4 dof) with z = 1.959964 (within 1e-3 of the exact value above 30). NaN for dof < 1.
double student_t_975(int dof);

/// Mean and 95 % confidence half-width (Student t, sample standard deviation) of `values`: for n = 1 the
/// half-width is NaN (no spread to estimate); NaN values are skipped.
struct MeanInterval {
  double mean = 0;
  double half_width = 0;
  int n = 0;
};
MeanInterval mean_interval_95(const std::vector<double>& values);

/// The q-quantile (0..1) of `values` with linear interpolation between order statistics (numpy's default);
/// NaN when empty. Sorts a copy: to read several quantiles of one vector use select_quantiles (or sort it once
/// and use sorted_quantile): same numbers bit for bit.
double quantile(std::vector<double> values, double q);

/// quantile() of `sorted`, which must be in ascending order (as std::sort leaves it): reads the two order
/// statistics around q, no copy, no sort. NaN when empty.
double sorted_quantile(const std::vector<double>& sorted, double q);

/// quantile(values, q) for each q of `qs` (any order), bit for bit, without a full sort: places only the
/// order statistics the interpolation reads (std::nth_element on ever smaller tails, ascending q), so a few
/// quantiles of n values cost O(n) instead of O(n log n) (about 0.3 s instead of 1.1 s per sort of 11M values).
/// Reorders `values` (their multiset is kept). NaN for every q when empty. Values must not be NaN.
std::vector<double> select_quantiles(std::vector<double>& values, const std::vector<double>& qs);

/// The value at uniform draw u in [0, 1] of an equally spaced quantile table (quantiles 0, 1/(n-1), ..., 1), by
/// linear interpolation between neighbouring quantiles (inverse-CDF sampling of an empirical distribution).
double sample_quantiles(const std::vector<double>& quantiles, double u);

/// Mean of the distribution sample_quantiles draws from (mean of the interval midpoints).
double quantiles_mean(const std::vector<double>& quantiles);

/// Multiplies a quantile table by mean / quantiles_mean(table): the same shape at `mean` (a factor of exactly 1 when
/// `mean` is the table's own mean).
void scale_quantiles_to_mean(std::vector<double>& quantiles, double mean);

/// Quantiles of a stream of non-negative values in bounded memory: exact (select_quantiles of every value) up to
/// `exact_limit` values, then a histogram of logarithmic buckets of ratio 1 + 2 x kRelativeError (values below
/// kSmallest share the first bucket): a quantile read there is the geometric middle of the bucket holding the
/// order statistic, within kRelativeError of it (of kSmallest below it). Deterministic; the exact phase
/// gives the numbers select_quantiles gives, bit for bit.
class QuantileSketch {
 public:
  static constexpr double kRelativeError = 1e-3;
  static constexpr double kSmallest = 1e-9;
  explicit QuantileSketch(size_t exact_limit = size_t{1} << 24) : exact_limit_(exact_limit) {}
  void add(double value);
  size_t count() const { return count_; }
  bool exact() const { return buckets_.empty(); }
  /// The quantiles (0..1) of everything added; NaN each when empty. The exact phase reorders its values.
  std::vector<double> quantiles(const std::vector<double>& qs);

 private:
  size_t bucket(double value) const;
  size_t exact_limit_;
  size_t count_ = 0;
  std::vector<double> values_;     ///< the exact phase
  std::vector<uint64_t> buckets_;  ///< the histogram phase
};

}  // namespace clustersim
