#include "models/power/cooling_facility.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace clustersim {

namespace {

constexpr double kKelvin = 273.15;
constexpr double kJPerKwh = 3.6e6;

void require(bool ok, const std::string& what) {
  if (!ok) throw std::invalid_argument("cooling facility: " + what);
}

bool finite_in(double v, double lo, double hi) { return std::isfinite(v) && v >= lo && v <= hi; }

}  // namespace

CoolingFacility::CoolingFacility(const CoolingFacilityParams& params, const WeatherParams& weather)
    : p_(params), weather_(weather), coef_(Weather::kHours) {
  require(std::isfinite(p_.design_it_w) && p_.design_it_w > 0, "design IT power must be > 0");
  require(finite_in(p_.liquid_share, 0, 1), "liquid share must be in [0, 1]");
  require(
      finite_in(p_.loss_no_load, 0, 1) && finite_in(p_.loss_proportional, 0, 1) && finite_in(p_.loss_quadratic, 0, 1),
      "electrical loss fractions must be in [0, 1]");
  require(finite_in(p_.other_w, 0, 1e12), "other power must be >= 0");
  require(finite_in(p_.carnot_fraction_water, 0.01, 1) && finite_in(p_.carnot_fraction_air, 0.01, 1),
          "Carnot fractions must be in (0, 1]");
  require(p_.cycles_of_concentration > 1, "cycles of concentration must be > 1");
  require(p_.carbon_hourly_factor.empty() || p_.carbon_hourly_factor.size() == 24, "24 hourly carbon factors");
  require(p_.air.delta_t_k > 0 && p_.liquid.delta_t_k > 0, "loop temperature rise must be > 0");
  for (int h = 0; h < Weather::kHours; ++h) {
    const double db = weather_.dry_bulb().at(h), wb = weather_.wet_bulb().at(h);
    HourCoefficients a = loop_coefficients(p_.air, db, wb, true);
    if (p_.airside_economizer) a = airside(a, db, wb);
    const HourCoefficients l = loop_coefficients(p_.liquid, db, wb, false);
    coef_[h] = {a.air_w_per_w, l.air_w_per_w, a.air_l_per_j, l.air_l_per_j, a.free_share_air};
  }
  // PUE at design load over any interval in O(1): the cumulative design-load PUE-hours of the year.
  design_pue_hours_.assign(Weather::kHours + 1, 0);
  for (int h = 0; h < Weather::kHours; ++h)
    design_pue_hours_[h + 1] = design_pue_hours_[h] + at_hour(p_.design_it_w, h).facility_w / p_.design_it_w;
}

double CoolingFacility::design_pue_hours_until(double u) const {
  const double years = std::floor(u / Weather::kHours);
  const double within = u - years * Weather::kHours;
  const int h = std::min(static_cast<int>(within), Weather::kHours - 1);
  return years * design_pue_hours_.back() + design_pue_hours_[h] +
         (within - h) * (design_pue_hours_[h + 1] - design_pue_hours_[h]);
}

double CoolingFacility::chiller_cop(double supply_c, double sink_c, bool water_cooled) const {
  const double evap_k = supply_c - p_.evaporator_approach_k + kKelvin;
  const double cond_k = sink_c + (water_cooled ? p_.condenser_approach_water_k : p_.condenser_approach_air_k) + kKelvin;
  const double lift = cond_k - evap_k;
  const double fraction = water_cooled ? p_.carnot_fraction_water : p_.carnot_fraction_air;
  return lift <= 0 ? p_.cop_max : std::min(p_.cop_max, fraction * evap_k / lift);
}

HourCoefficients CoolingFacility::loop_coefficients(const CoolingLoopParams& loop, double db, double wb,
                                                    bool air_path) const {
  const double supply = loop.supply_c, ret = loop.supply_c + loop.delta_t_k;
  const bool tower = loop.sink == HeatSink::kCoolingTower;
  // What the rejection can deliver alone: tower water near the wet bulb, dry cooler fluid near the dry bulb;
  // adiabatic pads pre-cool the air when the dry cooler alone cannot reach the supply.
  double air_in = db;
  double out = tower ? wb + p_.tower_approach_k + p_.economizer_hx_approach_k
                     : db + p_.dry_cooler_approach_k + p_.economizer_hx_approach_k;
  double precool_k = 0;
  if (loop.sink == HeatSink::kAdiabatic && out > supply) {
    air_in = db - p_.adiabatic_effectiveness * std::max(db - wb, 0.0);
    precool_k = db - air_in;
    out = air_in + p_.dry_cooler_approach_k + p_.economizer_hx_approach_k;
  }
  const double free_share = std::clamp((ret - out) / (ret - supply), 0.0, 1.0);
  const double cop = chiller_cop(supply, tower ? wb + p_.tower_approach_k : air_in, tower);
  const double chiller = (1 - free_share) / cop;
  const double rejected = 1 + chiller;  // per W of heat: the heat and the chiller's work
  HourCoefficients c;
  c.air_w_per_w =
      chiller + loop.pump_w_per_w + loop.fan_w_per_w + rejected * (tower ? p_.tower_fan_w_per_w : p_.dry_fan_w_per_w);
  const double makeup = p_.cycles_of_concentration / (p_.cycles_of_concentration - 1);
  const double per_j = p_.water_l_per_kwh / kJPerKwh * makeup;
  if (tower) c.air_l_per_j = rejected * p_.tower_latent_share * per_j;
  if (precool_k > 0) c.air_l_per_j = rejected * std::min(1.0, precool_k / p_.adiabatic_coil_air_rise_k) * per_j;
  c.free_share_air = air_path ? free_share : 0;
  return c;
}

HourCoefficients CoolingFacility::airside(const HourCoefficients& plant, double db, double wb) const {
  double air = db, precool_k = 0;
  if (db > p_.airside_max_dry_bulb_c && p_.air.sink != HeatSink::kDryCooler) {
    air = db - p_.adiabatic_effectiveness * std::max(db - wb, 0.0);
    precool_k = db - air;
  }
  const double f = std::clamp((p_.airside_max_dry_bulb_c + p_.hall_air_rise_k - air) / p_.hall_air_rise_k, 0.0, 1.0);
  const double makeup = p_.cycles_of_concentration / (p_.cycles_of_concentration - 1);
  HourCoefficients c;
  c.air_w_per_w = p_.air.fan_w_per_w + (1 - f) * (plant.air_w_per_w - p_.air.fan_w_per_w);
  c.air_l_per_j = (1 - f) * plant.air_l_per_j +
                  f * std::min(1.0, precool_k / p_.hall_air_rise_k) * p_.water_l_per_kwh / kJPerKwh * makeup;
  c.free_share_air = f + (1 - f) * plant.free_share_air;
  return c;
}

FacilityBreakdown CoolingFacility::at_hour(double it_w, int hour) const {
  const int h = Weather::index(hour);
  const HourCoefficients& c = coef_[h];
  FacilityBreakdown b;
  b.electrical_loss_w =
      p_.design_it_w * p_.loss_no_load + it_w * p_.loss_proportional + it_w * it_w / p_.design_it_w * p_.loss_quadratic;
  const double liquid_heat = it_w * p_.liquid_share;
  const double air_heat = it_w - liquid_heat + b.electrical_loss_w;
  b.cooling_w = air_heat * c.air_w_per_w + liquid_heat * c.liquid_w_per_w;
  b.other_w = p_.other_w;
  b.facility_w = it_w + b.electrical_loss_w + b.cooling_w + b.other_w;
  b.water_l_per_s = air_heat * c.air_l_per_j + liquid_heat * c.liquid_l_per_j;
  const double factor = p_.carbon_hourly_factor.empty() ? 1.0 : p_.carbon_hourly_factor[h % 24];
  b.carbon_g_per_s = b.facility_w * p_.carbon_g_per_kwh * factor / kJPerKwh;
  b.dry_bulb_c = weather_.dry_bulb_c(h);
  b.wet_bulb_c = weather_.wet_bulb_c(h);
  return b;
}

FacilityBreakdown CoolingFacility::mean_breakdown(double it_w, double t0_s, double t1_s) const {
  const double u0 = p_.start_hour_of_year + t0_s / 3600.0, u1 = p_.start_hour_of_year + t1_s / 3600.0;
  if (!(u1 > u0)) return at_hour(it_w, static_cast<int>(Weather::index(static_cast<int64_t>(std::floor(u0)))));
  FacilityBreakdown sum;
  sum.cooling_w = sum.electrical_loss_w = sum.other_w = sum.dry_bulb_c = sum.wet_bulb_c = sum.carbon_g_per_s =
      sum.water_l_per_s = 0;
  for (double u = u0; u < u1;) {
    const double k = std::floor(u);
    const double next = std::min(k + 1, u1);
    const double w = (next - u) / (u1 - u0);
    const FacilityBreakdown b = at_hour(it_w, Weather::index(static_cast<int64_t>(k)));
    sum.facility_w += w * b.facility_w;
    sum.cooling_w += w * b.cooling_w;
    sum.electrical_loss_w += w * b.electrical_loss_w;
    sum.other_w += w * b.other_w;
    sum.dry_bulb_c += w * b.dry_bulb_c;
    sum.wet_bulb_c += w * b.wet_bulb_c;
    sum.carbon_g_per_s += w * b.carbon_g_per_s;
    sum.water_l_per_s += w * b.water_l_per_s;
    u = next;
  }
  return sum;
}

double CoolingFacility::facility_power_w(double it_power_w, double t_s) const {
  return at_hour(it_power_w, Weather::index(static_cast<int64_t>(std::floor(p_.start_hour_of_year + t_s / 3600.0))))
      .facility_w;
}

double CoolingFacility::mean_facility_power_w(double mean_it_power_w, double t0_s, double t1_s) const {
  return mean_breakdown(mean_it_power_w, t0_s, t1_s).facility_w;
}

double CoolingFacility::pue(double t0_s, double t1_s) const {
  const double u0 = p_.start_hour_of_year + t0_s / 3600.0, u1 = p_.start_hour_of_year + t1_s / 3600.0;
  if (!(u1 > u0)) return facility_power_w(p_.design_it_w, t0_s) / p_.design_it_w;
  return (design_pue_hours_until(u1) - design_pue_hours_until(u0)) / (u1 - u0);
}

double CoolingFacility::facility_energy_j(double it_energy_j, double t0_s, double t1_s) const {
  // A group's share: its IT energy at the site's PUE over its interval at design load (the group's own load
  // does not set the plant's).
  return it_energy_j * pue(t0_s, t1_s);
}

double CoolingFacility::design_power_w(double design_it_w) const {
  double worst = 0;
  for (int h = 0; h < Weather::kHours; ++h) worst = std::max(worst, at_hour(design_it_w, h).facility_w);
  return worst;
}

}  // namespace clustersim
