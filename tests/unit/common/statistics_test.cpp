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
