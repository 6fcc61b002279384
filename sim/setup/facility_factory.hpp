#pragma once
/// @file
/// Builds the facility model of an experiment from its `facility` section: ConstantPue (facility.pue) or
/// CoolingFacility, whose params come from the data files (data/facility/*.yaml, FacilityData) and the keys.
/// See models/power/facility_model.hpp for what else a new model touches.

#include <memory>

#include "models/power/cooling_facility.hpp"
#include "models/power/facility_model.hpp"
#include "spec/experiment_spec.hpp"
#include "spec/facility_data.hpp"

namespace clustersim {

/// The design IT power of `facility`: facility.design_it_power, or `full_load_it_w` when it is 0, W.
double design_it_power_w(const FacilitySpec& facility, double full_load_it_w);

/// The cooling model's params and weather from the keys and the data (throws std::out_of_range for a site,
/// region or constant the data lacks: the loader reported it already).
void cooling_params(const FacilitySpec& facility, const FacilityData& data, double design_it_w,
                    CoolingFacilityParams& params, WeatherParams& weather);

/// The facility model `facility` asks for. `full_load_it_w` (the cluster with every GPU at its power limit)
/// is the default design IT power of the cooling model.
/// The grid region of a facility: facility.carbon_region, else its site's (data/facility/climate.yaml), else "".
std::string facility_region(const FacilitySpec& facility, const FacilityData& data);

/// The electricity price of a site, USD/kWh: facility.electricity_price when set, else its region's
/// (data/facility/carbon.yaml electricity_usd_per_kwh; the data is read for facility.model cooling), else
/// `fallback_usd_per_kwh` (calibration cost_electricity_usd_per_kwh).
double electricity_usd_per_kwh(const FacilitySpec& facility, const FacilityData& data, double fallback_usd_per_kwh);

std::unique_ptr<const FacilityModel> make_facility_model(const FacilitySpec& facility, const FacilityData& data = {},
                                                         double full_load_it_w = 0);

}  // namespace clustersim
