#pragma once
/// @file
/// A physical facility: facility power = IT + electrical losses + cooling + other (lighting, offices, storage,
/// front-end network), hour by hour with the site's weather (models/power/weather.hpp).
///
/// Electrical losses (transformers, UPS, distribution): design x no_load + IT x proportional + IT^2 / design x
/// quadratic. Heat = IT + losses. Up to two cooling loops take it: a liquid loop (direct-to-chip cold plates or
/// immersion: `liquid_share` of the IT heat, supply `liquid_supply_c`) and the air path (the rest and the
/// losses: CRAH fans, chilled water at `air_supply_c`). Each loop's heat goes to the outdoor heat rejection:
///   sink = wet bulb (cooling tower), dry bulb (dry cooler), or with adiabatic assist, when the dry cooler alone
///   cannot reach the supply, the dry bulb pre-cooled towards the wet bulb by the pads' effectiveness;
///   economizer: the loop leaves the rejection at sink + approach (+ heat exchanger approach); the share it can
///   take alone is (return - that) / (return - supply), clamped to [0, 1] (free cooling: fans and pumps only);
///   chiller: the rest, at COP = carnot_fraction x T_evap / (T_cond - T_evap), T_evap = supply - evaporator
///   approach, T_cond = condenser sink + condenser approach (tower water: wet bulb + tower approach; air-cooled:
///   dry bulb, or pre-cooled air);
///   fans and pumps: proportional to the heat each moves (air fans and chilled water pumps to the air path's heat,
///   liquid pumps to the liquid loop's, rejection fans to the heat rejected = heat + chiller power).
/// Air-side economizer (option): outdoor air into the hall; its share f = (max + rise - air) / rise clamped, the
/// chilled-water plant takes 1 - f; evaporative assist water as for adiabatic pads with the hall's air rise.
/// Water: evaporative towers evaporate latent_share x heat rejected x water_per_kwh; adiabatic pads evaporate
/// heat rejected x water_per_kwh x (pre-cooling / coil air rise); both x the make-up factor C / (C - 1) of
/// `cycles_of_concentration`. Dry coolers use none.
/// Cooling and water are linear in the heat at a given hour, so their coefficients are precomputed per hour;
/// a mean over an interval integrates over the hours it spans at the interval's mean IT power.

#include <cstdint>
#include <string>
#include <vector>

#include "models/power/facility_model.hpp"
#include "models/power/weather.hpp"

namespace clustersim {

/// How a loop rejects its heat outdoors.
enum class HeatSink { kCoolingTower, kDryCooler, kAdiabatic };

struct CoolingLoopParams {
  double supply_c = 18;  ///< coolant supply to the load, C
  double delta_t_k = 8;  ///< return - supply, K
  HeatSink sink = HeatSink::kCoolingTower;
  double pump_w_per_w = 0.01;  ///< loop pumps per W of heat moved
  double fan_w_per_w = 0;      ///< air movers at the load (CRAH/CRAC fans) per W of heat (air path only)
};

struct CoolingFacilityParams {
  double design_it_w = 0;   ///< IT capacity: sets the load fraction and the no-load losses, W (> 0)
  double liquid_share = 0;  ///< share of IT heat into the liquid loop, 0..1
  /// Air-side economizer: outdoor air (evaporatively pre-cooled unless the sink is a dry cooler) takes the air
  /// path's heat alone up to `airside_max_dry_bulb_c`, a share of it up to that + `hall_air_rise_k`; the chilled
  /// water plant the rest.
  bool airside_economizer = false;
  double airside_max_dry_bulb_c = 24;
  double hall_air_rise_k = 12;
  CoolingLoopParams air;     ///< the air path (always present: the losses and the residual IT heat)
  CoolingLoopParams liquid;  ///< the liquid loop (when liquid_share > 0)
  // Electrical chain (fractions of W).
  double loss_no_load = 0.01;       ///< x design IT
  double loss_proportional = 0.03;  ///< x IT
  double loss_quadratic = 0.01;     ///< x IT^2 / design IT
  double other_w = 0;               ///< lighting, offices, storage, front-end network, W (constant)
  // Heat rejection and chillers.
  double tower_approach_k = 4;            ///< tower leaving water - wet bulb
  double dry_cooler_approach_k = 6;       ///< dry cooler leaving fluid - dry bulb (or pre-cooled air)
  double economizer_hx_approach_k = 2;    ///< plate heat exchanger between rejection and loop
  double adiabatic_effectiveness = 0.8;   ///< pad saturation effectiveness: air cooled by eff x (db - wb)
  double adiabatic_coil_air_rise_k = 10;  ///< air temperature rise across the dry cooler coil (sets the air flow)
  double tower_fan_w_per_w = 0.01;        ///< tower fans + condenser pumps per W rejected
  double dry_fan_w_per_w = 0.02;          ///< dry cooler fans per W rejected
  double carnot_fraction_water = 0.6;     ///< chiller COP / Carnot COP, water-cooled condenser
  double carnot_fraction_air = 0.45;      ///< chiller COP / Carnot COP, air-cooled condenser
  double evaporator_approach_k = 2;       ///< refrigerant evaporating below the leaving chilled water
  double condenser_approach_water_k = 6;  ///< refrigerant condensing above the entering condenser water
  double condenser_approach_air_k = 15;   ///< refrigerant condensing above the entering air
  double cop_max = 20;                    ///< cap of the chiller COP at small lifts
  // Water.
  double water_l_per_kwh = 1.47;       ///< evaporated per kWh of latent heat (latent heat of vaporisation)
  double tower_latent_share = 0.85;    ///< share of a tower's heat rejected by evaporation
  double cycles_of_concentration = 5;  ///< make-up = evaporation x C / (C - 1)
  // Carbon.
  double carbon_g_per_kwh = 0;               ///< grid intensity, mean over the day
  std::vector<double> carbon_hourly_factor;  ///< 24 multipliers by local hour, or empty
  // Calendar.
  double start_hour_of_year = 0;  ///< local hour of the year at simulated t = 0
};

/// The heat coefficients of one hour (per W of heat of each path).
struct HourCoefficients {
  double air_w_per_w = 0;     ///< cooling power per W of air-path heat
  double liquid_w_per_w = 0;  ///< cooling power per W of liquid-loop heat
  double air_l_per_j = 0;     ///< water per J of air-path heat, L
  double liquid_l_per_j = 0;  ///< water per J of liquid-loop heat, L
  double free_share_air = 0;  ///< economizer share of the air path (diagnostics)
};

class CoolingFacility final : public FacilityModel {
 public:
  /// Throws std::invalid_argument on a parameter out of its physical range.
  CoolingFacility(const CoolingFacilityParams& params, const WeatherParams& weather);

  std::string name() const override { return "cooling"; }
  double facility_power_w(double it_power_w, double t_s) const override;
  double mean_facility_power_w(double mean_it_power_w, double t0_s, double t1_s) const override;
  double facility_energy_j(double it_energy_j, double t0_s, double t1_s) const override;
  double pue(double t0_s, double t1_s) const override;
  FacilityBreakdown mean_breakdown(double mean_it_power_w, double t0_s, double t1_s) const override;
  bool varies() const override { return true; }
  double design_power_w(double design_it_w) const override;

  /// The breakdown at IT power `it_w` during hour `hour` of the year (index into the weather).
  FacilityBreakdown at_hour(double it_w, int hour) const;

  /// Chiller COP lifting from `supply_c` chilled water to a condenser sink at `sink_c` (water or air).
  double chiller_cop(double supply_c, double sink_c, bool water_cooled) const;

  const Weather& weather() const { return weather_; }
  const HourCoefficients& coefficients(int hour) const { return coef_[Weather::index(hour)]; }

 private:
  /// The air path's coefficients with an air-side economizer in front of the chilled-water `plant`.
  HourCoefficients airside(const HourCoefficients& plant, double db, double wb) const;
  HourCoefficients loop_coefficients(const CoolingLoopParams& loop, double dry_c, double wet_c, bool air_path) const;

  CoolingFacilityParams p_;
  Weather weather_;
  std::vector<HourCoefficients> coef_;
  std::vector<double> design_pue_hours_;  ///< [h]: the sum of the design-load PUE of hours 0 .. h-1

  /// The design-load PUE integrated from hour 0 of the first year to hour `u` (any year), PUE x h.
  double design_pue_hours_until(double u) const;
};

}  // namespace clustersim
