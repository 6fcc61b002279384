// The electricity price of a site (sim/setup/facility_factory.hpp): facility.electricity_price, else its grid
// region's (carbon.yaml), else the catalog's default.
#include <gtest/gtest.h>

#include "sim/setup/facility_factory.hpp"

namespace clustersim {
namespace {

TEST(ElectricityPrice, SetThenRegionThenDefault) {
  FacilityData data;
  data.sites["phoenix"].carbon_region = "us-arizona";
  data.regions["us-arizona"].electricity_usd_per_kwh = 0.0811;
  data.regions["sg"].electricity_usd_per_kwh = 0;  // no price given
  FacilitySpec f;
  EXPECT_DOUBLE_EQ(electricity_usd_per_kwh(f, data, 0.0806), 0.0806);  // no site, no region: the default
  f.site = "phoenix";
  EXPECT_EQ(facility_region(f, data), "us-arizona");
  EXPECT_DOUBLE_EQ(electricity_usd_per_kwh(f, data, 0.0806), 0.0811);  // the site's region
  f.carbon_region = "sg";
  EXPECT_DOUBLE_EQ(electricity_usd_per_kwh(f, data, 0.0806), 0.0806);  // a region without a price: the default
  f.electricity_usd_per_kwh = 0.05;
  EXPECT_DOUBLE_EQ(electricity_usd_per_kwh(f, data, 0.0806), 0.05);  // set in the experiment: it wins
}

}  // namespace
}  // namespace clustersim
