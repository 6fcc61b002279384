// LeastLoadedIndex against a scan from the range's start (the lowest index among the least loaded), on random
// loads, ranges and changes.
#include "sim/engine/least_loaded_index.hpp"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace clustersim {
namespace {

int scan(const std::vector<int>& load, int begin, int end) {
  int best = begin;
  for (int k = begin + 1; k < end; ++k)
    if (load[k] < load[best]) best = k;
  return best;
}

TEST(LeastLoadedIndex, AgreesWithAScan) {
  std::mt19937 rng(3);
  for (int n : {1, 2, 3, 7, 16, 33, 1250}) {
    LeastLoadedIndex index(n);
    std::vector<int> load(n, 0);
    EXPECT_EQ(index.argmin(0, n), 0);
    for (int step = 0; step < 3000; ++step) {
      const int i = static_cast<int>(rng() % n);
      load[i] = static_cast<int>(rng() % 5);  // few values: many ties
      index.set(i, load[i]);
      const int begin = static_cast<int>(rng() % n);
      const int end = begin + 1 + static_cast<int>(rng() % (n - begin));
      ASSERT_EQ(index.argmin(begin, end), scan(load, begin, end)) << n << " [" << begin << ", " << end << ")";
    }
  }
}

}  // namespace
}  // namespace clustersim
