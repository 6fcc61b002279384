// Sweep axes as numbers (numeric coordinates of sweep.h5) and --sweep overrides of the grid.
#include <gtest/gtest.h>

#include "sim/sweep/sweep_plan.hpp"

namespace clustersim {
namespace {

TEST(SweepAxes, QuantitiesBecomeSiNumbers) {
  const NumericAxis link = numeric_axis({"400Gbps", "800Gbps", "1.6Tbps"});
  ASSERT_TRUE(link.numeric);
  EXPECT_EQ(link.units, "bit/s");
  EXPECT_EQ(link.values, (std::vector<double>{4e11, 8e11, 1.6e12}));
  const NumericAxis time = numeric_axis({"30min", "2h"});
  ASSERT_TRUE(time.numeric);
  EXPECT_EQ(time.units, "s");
  EXPECT_EQ(time.values, (std::vector<double>{1800, 7200}));
  const NumericAxis pue = numeric_axis({"1.1", "1.25"});
  ASSERT_TRUE(pue.numeric);
  EXPECT_EQ(pue.units, "1");
  EXPECT_EQ(pue.values, (std::vector<double>{1.1, 1.25}));
}

TEST(SweepAxes, NamesAndMixedFamiliesStayText) {
  EXPECT_FALSE(numeric_axis({"gen5", "gen6"}).numeric);
  EXPECT_FALSE(numeric_axis({"400Gbps", "30min"}).numeric);  // two families: not one axis of numbers
  EXPECT_FALSE(numeric_axis({}).numeric);
}

TEST(SweepAxes, SweepOverrideReplacesOrAppends) {
  SweepSpec s;
  s.grid = {{"fabric.link", {"400Gbps"}}, {"facility.pue", {"1.1"}}};
  std::string error;
  ASSERT_TRUE(apply_sweep_override("facility.pue=1.2,1.3", s, error)) << error;
  ASSERT_TRUE(apply_sweep_override("seed=1,2,3", s, error)) << error;
  ASSERT_EQ(s.grid.size(), 3u);
  EXPECT_EQ(s.grid[1].key, "facility.pue");  // kept its place
  EXPECT_EQ(s.grid[1].values, (std::vector<std::string>{"1.2", "1.3"}));
  EXPECT_EQ(s.grid[2].values, (std::vector<std::string>{"1", "2", "3"}));
  EXPECT_EQ(plan_sweep(s).size(), 6u);
  EXPECT_FALSE(apply_sweep_override("facility.pue", s, error));
  EXPECT_FALSE(apply_sweep_override("=1,2", s, error));
  EXPECT_FALSE(apply_sweep_override("seed=1,,2", s, error));
  EXPECT_FALSE(apply_sweep_override("seed=", s, error));
}

}  // namespace
}  // namespace clustersim
