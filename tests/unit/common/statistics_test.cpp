#include "common/statistics.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

using namespace clustersim;

TEST(Statistics, SortedQuantileInterpolates) {
  EXPECT_DOUBLE_EQ(sorted_quantile({1, 2, 3, 4}, 0.5), 2.5);  // numpy.quantile([1,2,3,4], .5)
  EXPECT_DOUBLE_EQ(sorted_quantile({1, 2, 3, 4, 5}, 0.99), 4.96);
  EXPECT_DOUBLE_EQ(sorted_quantile({1, 2, 3, 4, 5}, 0.0), 1);
  EXPECT_DOUBLE_EQ(sorted_quantile({1, 2, 3, 4, 5}, 1.0), 5);
  EXPECT_DOUBLE_EQ(sorted_quantile({7}, 0.9), 7);
  EXPECT_TRUE(std::isnan(sorted_quantile({}, 0.5)));
}

TEST(Statistics, SortedQuantileEqualsQuantileBitForBit) {
  std::mt19937_64 rng(7);
  std::lognormal_distribution<double> dist(-3, 1.5);
  for (size_t n : {2u, 3u, 10u, 101u, 4097u}) {
    std::vector<double> values(n);
    for (double& v : values) v = dist(rng);
    std::vector<double> sorted = values;
    std::sort(sorted.begin(), sorted.end());
    for (double q : {0.0, 0.01, 0.1, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1.0})
      EXPECT_EQ(sorted_quantile(sorted, q), quantile(values, q)) << "n " << n << " q " << q;
  }
}

TEST(Statistics, SelectQuantilesEqualsQuantileBitForBit) {
  std::mt19937_64 rng(11);
  std::lognormal_distribution<double> dist(-3, 1.5);
  std::uniform_int_distribution<int> small(0, 5);  // many ties
  // Any order, repeats, the ends, neighbouring order statistics.
  const std::vector<double> qs = {0.99, 0.5, 0.9, 0.5, 0.0, 1.0, 0.999, 0.01, 0.25, 0.2501};
  for (size_t n : {1u, 2u, 3u, 10u, 101u, 4097u, 100003u}) {
    for (bool ties : {false, true}) {
      std::vector<double> values(n);
      for (double& v : values) v = ties ? small(rng) * 0.1 : dist(rng);
      std::vector<double> work = values;
      const std::vector<double> got = select_quantiles(work, qs);
      ASSERT_EQ(got.size(), qs.size());
      for (size_t k = 0; k < qs.size(); ++k)
        EXPECT_EQ(got[k], quantile(values, qs[k])) << "n " << n << " q " << qs[k] << " ties " << ties;
      std::sort(work.begin(), work.end());
      std::sort(values.begin(), values.end());
      EXPECT_EQ(work, values);  // only reordered
    }
  }
}

TEST(Statistics, SelectQuantilesOfNothingIsNaN) {
  std::vector<double> none;
  const std::vector<double> got = select_quantiles(none, {0.5, 0.99});
  ASSERT_EQ(got.size(), 2u);
  EXPECT_TRUE(std::isnan(got[0]) && std::isnan(got[1]));
  std::vector<double> some = {3, 1, 2};
  EXPECT_TRUE(select_quantiles(some, {}).empty());
}

namespace clustersim {
namespace {

// QuantileSketch: exact (select_quantiles' numbers) up to its limit, then log buckets within 0.1% of the exact
// order statistic, on a long-tailed stream (latencies from 1 ms to ~100 s).
TEST(QuantileSketch, ExactThenWithinItsStatedError) {
  std::vector<double> all;
  QuantileSketch small(1000), large(1000000);
  uint64_t x = 12345;
  for (int i = 0; i < 200000; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    const double u = static_cast<double>(x >> 11) / 9007199254740992.0;
    const double v = 1e-3 * std::exp(11.5 * u * u);  // 1 ms .. ~99 s
    all.push_back(v);
    small.add(v);
    large.add(v);
  }
  const std::vector<double> qs = {0.0, 0.5, 0.9, 0.99, 1.0};
  std::vector<double> copy = all;
  const std::vector<double> exact = select_quantiles(copy, qs);
  EXPECT_TRUE(large.exact());
  EXPECT_EQ(large.quantiles(qs), exact);
  EXPECT_FALSE(small.exact());
  EXPECT_EQ(small.count(), all.size());
  std::sort(all.begin(), all.end());
  const std::vector<double> approx = small.quantiles(qs);
  for (size_t k = 0; k < qs.size(); ++k) {
    // The order statistic the sketch reads (floor of q x (n - 1)) and the interpolated one differ by less than
    // the gap between neighbours; both lie within the stated error of the bucket's middle.
    const double order_stat = all[static_cast<size_t>(std::floor(qs[k] * (all.size() - 1)))];
    EXPECT_NEAR(approx[k], order_stat, QuantileSketch::kRelativeError * order_stat * 1.0001) << qs[k];
  }
  QuantileSketch empty;
  EXPECT_TRUE(std::isnan(empty.quantiles({0.5})[0]));
}

}  // namespace
}  // namespace clustersim

// Student t and the 95 % interval of sweep repeats (sweep.h5 /points), by hand.
TEST(MeanInterval, StudentTTableAndAsymptote) {
  EXPECT_DOUBLE_EQ(clustersim::student_t_975(1), 12.706);
  EXPECT_DOUBLE_EQ(clustersim::student_t_975(2), 4.303);
  EXPECT_DOUBLE_EQ(clustersim::student_t_975(30), 2.042);
  EXPECT_NEAR(clustersim::student_t_975(60), 2.000, 1e-3);   // tables: 2.000
  EXPECT_NEAR(clustersim::student_t_975(120), 1.980, 1e-3);  // tables: 1.980
  EXPECT_TRUE(std::isnan(clustersim::student_t_975(0)));
}

TEST(MeanInterval, ThreeValuesByHand) {
  // 1, 2, 3: mean 2, sample sd 1, half-width 4.303 x 1 / sqrt(3) = 2.4843.
  const clustersim::MeanInterval m = clustersim::mean_interval_95({1, 2, 3});
  EXPECT_EQ(m.n, 3);
  EXPECT_DOUBLE_EQ(m.mean, 2);
  EXPECT_NEAR(m.half_width, 4.303 / std::sqrt(3.0), 1e-12);
  const clustersim::MeanInterval one = clustersim::mean_interval_95({5, NAN});  // NaN skipped; n = 1: no spread
  EXPECT_EQ(one.n, 1);
  EXPECT_DOUBLE_EQ(one.mean, 5);
  EXPECT_TRUE(std::isnan(one.half_width));
}
