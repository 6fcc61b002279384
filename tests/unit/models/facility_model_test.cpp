// The facility model: ConstantPue, the factory that builds it from the experiment, and the power model that
// owns it and is the only place facility figures come from.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>

#include "models/power/cluster_power.hpp"
#include "models/power/constant_pue.hpp"
#include "sim/setup/facility_factory.hpp"
#include "tests/unit/test_specs.hpp"

namespace clustersim {
namespace {

using test::h100;

TEST(ConstantPue, MultipliesPowerAndEnergyAtAnyTime) {
  const ConstantPue f({1.25});
  EXPECT_EQ(f.name(), "constant_pue");
  EXPECT_DOUBLE_EQ(f.facility_power_w(1000, 0), 1250);
  EXPECT_DOUBLE_EQ(f.facility_power_w(1000, 86400), 1250);
  EXPECT_DOUBLE_EQ(f.mean_facility_power_w(800, 10, 20), 1000);
  EXPECT_DOUBLE_EQ(f.facility_energy_j(3.6e6, 0, 3600), 4.5e6);
  EXPECT_DOUBLE_EQ(f.pue(0, 3600), 1.25);
}

TEST(ConstantPue, RejectsAPueBelowOne) {
  EXPECT_THROW(ConstantPue({0.9}), std::invalid_argument);
  EXPECT_THROW(ConstantPue({std::nan("")}), std::invalid_argument);
  EXPECT_NO_THROW(ConstantPue({1.0}));
}

TEST(FacilityFactory, BuildsConstantPueFromTheSpec) {
  FacilitySpec spec;
  spec.pue = 1.37;
  const auto f = make_facility_model(spec);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->name(), "constant_pue");
  EXPECT_EQ(f->pue(0, 1), 1.37);
  EXPECT_EQ(f->facility_power_w(100.0, 5), 100.0 * 1.37);  // bit for bit what results had before
}

/// A facility whose overhead grows over the run: proves the power model asks the facility model (with the
/// time) for every facility figure instead of applying a PUE itself.
class RampingFacility final : public FacilityModel {
 public:
  std::string name() const override { return "ramp"; }

  double facility_power_w(double it_w, double t_s) const override { return it_w * (1 + t_s / 100); }

  double mean_facility_power_w(double it_w, double t0_s, double t1_s) const override {
    return it_w * (1 + (t0_s + t1_s) / 200);
  }

  double facility_energy_j(double it_j, double t0_s, double t1_s) const override {
    return it_j * (1 + (t0_s + t1_s) / 200);
  }

  double pue(double t0_s, double t1_s) const override { return 1 + (t0_s + t1_s) / 200; }
};

TEST(ClusterPowerFacility, EveryFacilityFigureComesFromTheFacilityModel) {
  ServerSpec s{"hgx", 8, 1000, 4600};
  const ClusterPowerModel m({{{h100(), s, 1, 8}}, 0}, std::make_unique<RampingFacility>());
  const double it = m.at(4, 0).it_w;
  EXPECT_DOUBLE_EQ(m.at(4, 0).facility_w, it);
  EXPECT_DOUBLE_EQ(m.at(4, 50).facility_w, it * 1.5);
  EXPECT_DOUBLE_EQ(m.mean_over(40, 0, 10).facility_w, m.at(4, 0).it_w * 1.05);
  EXPECT_DOUBLE_EQ(m.group_facility_energy_j(8, 40, 0, 100), m.group_it_energy_j(8, 40, 100) * 1.5);
  EXPECT_EQ(m.facility().name(), "ramp");
}

TEST(ClusterPowerFacility, NeedsAFacilityModel) {
  ServerSpec s{"hgx", 8, 1000, 4600};
  EXPECT_THROW(ClusterPowerModel({{{h100(), s, 1, 8}}, 0}, nullptr), std::invalid_argument);
}

}  // namespace
}  // namespace clustersim
