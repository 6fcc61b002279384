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
