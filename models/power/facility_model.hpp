#pragma once
/// @file
/// The facility around the IT load: how much power the site draws (cooling, power conversion, lighting) for
/// a given IT power. The cluster power model owns one and asks it for every facility figure (the time series,
/// the summary's mean and peak, the energy attributed to each job and service); nothing else applies a PUE.
///
/// Implementations: ConstantPue (models/power/constant_pue.hpp): facility = IT x PUE at all times.
///
/// A new facility model (a cooling/climate model whose overhead follows the outdoor temperature and the load,
/// issue 12) touches:
///   1. models/power/<name>.hpp/.cpp: a params struct (typed, no YAML) and a FacilityModel subclass;
///   2. sim/setup/facility_factory.cpp: build it from FacilitySpec (the keys it reads live in the spec and
///      the schema, sim/config);
///   3. tests/unit: its numbers.
/// The engine, the results and the writer need no change: they only call this interface. Times are simulated
/// seconds from the start of the run, so a model may vary over the run (ambient temperature, free cooling).

#include <string>

namespace clustersim {

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
};

}  // namespace clustersim
