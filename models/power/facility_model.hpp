#pragma once
/// @file
/// The facility around the IT load: how much power the site draws (cooling, power conversion, lighting) for
/// a given IT power. The cluster power model owns one and asks it for every facility figure (the time series,
/// the summary's mean and peak, the energy attributed to each job and service); nothing else applies a PUE.
///
/// Implementations: ConstantPue (models/power/constant_pue.hpp): facility = IT x PUE at all times;
/// CoolingFacility (models/power/cooling_facility.hpp): cooling plant, losses and weather, hour by hour.
///
/// A new facility model (a cooling/climate model whose overhead follows the outdoor temperature and the load,
/// issue 12) touches:
///   1. models/power/<name>.hpp/.cpp: a params struct (typed, no YAML) and a FacilityModel subclass;
///   2. sim/setup/facility_factory.cpp: build it from FacilitySpec (the keys it reads live in the spec and
///      the schema, sim/config);
///   3. tests/unit: its numbers.
/// The engine, the results and the writer need no change: they only call this interface (mean_breakdown gives the
/// /timeseries facility columns, varies() makes the summary integrate the samples, design_power_w the provisioned
/// power). Times are simulated seconds from the start of the run, so a model may vary over the run.

#include <limits>
#include <string>

namespace clustersim {

/// What a facility model says about an interval beyond its power (NaN where the model does not know).
struct FacilityBreakdown {
  static constexpr double kNone = std::numeric_limits<double>::quiet_NaN();
  double facility_w = 0;             ///< facility power, IT included, W
  double cooling_w = kNone;          ///< chillers, fans, pumps, heat rejection, W
  double electrical_loss_w = kNone;  ///< transformers, UPS, distribution, W
  double other_w = kNone;            ///< lighting, offices, storage, front-end network, W
  double dry_bulb_c = kNone;         ///< outdoor dry bulb (mean over the interval), C
  double wet_bulb_c = kNone;         ///< outdoor wet bulb, C
  double carbon_g_per_s = kNone;     ///< grid emissions of the facility power, gCO2e/s
  double water_l_per_s = kNone;      ///< water consumed (evaporation and blowdown), L/s
};

class FacilityModel {
 public:
  virtual ~FacilityModel() = default;

  /// Short name of the model ("constant_pue"), for messages and provenance.
  virtual std::string name() const = 0;

  /// Facility power (IT included) at simulated time `t_s` when the IT load draws `it_power_w`, W.
  virtual double facility_power_w(double it_power_w, double t_s) const = 0;

  /// Mean facility power over [t0_s, t1_s) when the IT load's mean over it is `mean_it_power_w`, W.
  /// A model whose overhead is not linear in the load approximates (the IT power within is not known).
  virtual double mean_facility_power_w(double mean_it_power_w, double t0_s, double t1_s) const = 0;

  /// Facility energy over [t0_s, t1_s) for `it_energy_j` of IT energy spread over it (a job's or a service's
  /// share), J.
  virtual double facility_energy_j(double it_energy_j, double t0_s, double t1_s) const = 0;

  /// The power usage effectiveness over [t0_s, t1_s): facility energy / IT energy (reported in /summary).
  virtual double pue(double t0_s, double t1_s) const = 0;

  /// mean_facility_power_w with whatever else the model knows of the interval (cooling, losses, weather,
  /// carbon, water). The default knows only the power.
  virtual FacilityBreakdown mean_breakdown(double mean_it_power_w, double t0_s, double t1_s) const {
    FacilityBreakdown b;
    b.facility_w = mean_facility_power_w(mean_it_power_w, t0_s, t1_s);
    return b;
  }

  /// True when the overhead depends on the time or not linearly on the load: the run's facility energy is then
  /// the sum of the sampled intervals' (not the run's mean IT power through the model), its PUE facility / IT
  /// energy, and its peak the highest sampled interval.
  virtual bool varies() const { return false; }

  /// The facility power a grid connection must carry for `design_it_w` of IT at full load in the worst hour, W.
  virtual double design_power_w(double design_it_w) const { return facility_power_w(design_it_w, 0); }
};

}  // namespace clustersim
