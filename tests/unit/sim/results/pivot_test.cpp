// pivot (sim/results/table.hpp): a long table of (time, service) rows as 2-D variables over (time, service).
#include <gtest/gtest.h>

#include <cmath>

#include "sim/results/table.hpp"

namespace clustersim {
namespace {

TEST(Pivot, LongRowsBecomeAGridWithGapsAsNaN) {
  TableResult t{"service_timeseries", "sample", {}, ""};
  t.columns.push_back({"sample", "1", "sample index", std::vector<int64_t>{0, 1, 2, 3, 4}});
  t.columns.push_back({"time", "s", "sample time", std::vector<double>{1, 1, 2, 2, 3}});
  t.columns.push_back({"service", "", "name", std::vector<std::string>{"b", "a", "b", "a", "b"}});
  t.columns.push_back({"running", "1", "requests admitted", std::vector<double>{10, 20, 11, 21, 12}});
  t.columns.push_back({"note", "", "text", std::vector<std::string>{"x", "x", "x", "x", "x"}});
  const GridResult g = pivot(t, "service_series", "time", "service", {"sample"});
  EXPECT_EQ(g.group, "service_series");
  EXPECT_EQ(g.rows.name, "time");
  EXPECT_EQ(std::get<std::vector<double>>(g.rows.values), (std::vector<double>{1, 2, 3}));
  EXPECT_EQ(std::get<std::vector<std::string>>(g.columns.values), (std::vector<std::string>{"b", "a"}));  // first seen
  ASSERT_EQ(g.variables.size(), 1u);  // sample skipped, text left out
  const auto& v = g.variables[0];
  EXPECT_EQ(v.name, "running");
  EXPECT_EQ(v.units, "1");
  ASSERT_EQ(v.values.size(), 6u);  // 3 times x 2 services, row by row
  EXPECT_EQ(v.values[0], 10);
  EXPECT_EQ(v.values[1], 20);
  EXPECT_EQ(v.values[2], 11);
  EXPECT_EQ(v.values[3], 21);
  EXPECT_EQ(v.values[4], 12);
  EXPECT_TRUE(std::isnan(v.values[5]));  // service a has no sample at t = 3
}

TEST(Pivot, MissingKeysGiveAnEmptyGrid) {
  TableResult t{"x", "row", {}, ""};
  t.columns.push_back({"time", "s", "t", std::vector<double>{1}});
  const GridResult g = pivot(t, "g", "time", "service");
  EXPECT_TRUE(g.variables.empty());
}

}  // namespace
}  // namespace clustersim
