#pragma once
/// @file
/// The simplest facility: a constant power usage effectiveness, facility power = IT power x PUE at every
/// instant, whatever the load or the weather.

#include <string>

#include "models/power/facility_model.hpp"

namespace clustersim {

struct ConstantPueParams {
  double pue = 1.0;  ///< facility / IT power, >= 1
};

class ConstantPue final : public FacilityModel {
 public:
  /// Throws std::invalid_argument when pue < 1 or is not finite.
  explicit ConstantPue(const ConstantPueParams& params);

  std::string name() const override { return "constant_pue"; }

  double facility_power_w(double it_power_w, double t_s) const override { return it_power_w * p_.pue; }

  double mean_facility_power_w(double mean_it_power_w, double t0_s, double t1_s) const override {
    return mean_it_power_w * p_.pue;
  }

  double facility_energy_j(double it_energy_j, double t0_s, double t1_s) const override { return it_energy_j * p_.pue; }

  double pue(double t0_s, double t1_s) const override { return p_.pue; }

 private:
  ConstantPueParams p_;
};

}  // namespace clustersim
