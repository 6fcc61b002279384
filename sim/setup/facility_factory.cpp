#include "sim/setup/facility_factory.hpp"

#include <stdexcept>
#include <string>

#include "models/power/constant_pue.hpp"

namespace clustersim {

double design_it_power_w(const FacilitySpec& facility, double full_load_it_w) {
  return facility.design_it_power_w > 0 ? facility.design_it_power_w : full_load_it_w;
}

void cooling_params(const FacilitySpec& f, const FacilityData& data, double design_it_w, CoolingFacilityParams& p,
                    WeatherParams& w) {
  auto c = [&data](const char* name) { return data.constant(name); };
  p.design_it_w = design_it_w;
  HeatRejectionKind sink_kind = f.heat_rejection;
  if (sink_kind == HeatRejectionKind::kAuto)
    sink_kind =
        f.cooling == CoolingKind::kAirChiller ? HeatRejectionKind::kCoolingTower : HeatRejectionKind::kAdiabatic;
  const HeatSink sink = sink_kind == HeatRejectionKind::kCoolingTower ? HeatSink::kCoolingTower
                        : sink_kind == HeatRejectionKind::kDryCooler  ? HeatSink::kDryCooler
                                                                      : HeatSink::kAdiabatic;
  p.air = {c("chilled_water_supply_c"), c("chilled_water_delta_t_k"), sink, c("pump_power_fraction"),
           c("crah_fan_power_fraction")};
  switch (f.cooling) {
    case CoolingKind::kAirChiller:
      p.liquid_share = 0;
      p.liquid = p.air;
      break;
    case CoolingKind::kDirectLiquid:
      p.liquid_share = c("liquid_heat_capture_fraction");
      p.liquid = {c("liquid_supply_temperature_c"), c("liquid_loop_delta_t_k"), sink, c("pump_power_fraction"), 0};
      break;
    case CoolingKind::kImmersion:
      p.liquid_share = c("immersion_heat_capture_fraction");
      p.liquid = {c("immersion_supply_temperature_c"), c("liquid_loop_delta_t_k"), sink, c("pump_power_fraction"), 0};
      break;
  }
  if (f.liquid_share > 0 && f.cooling != CoolingKind::kAirChiller) p.liquid_share = f.liquid_share;
  p.airside_economizer = f.economizer == EconomizerKind::kAirSide;
  p.airside_max_dry_bulb_c = c("airside_economizer_max_dry_bulb_c");
  p.hall_air_rise_k = c("hall_air_rise_k");
  p.loss_no_load = c("electrical_loss_no_load");
  p.loss_proportional = c("electrical_loss_proportional");
  p.loss_quadratic = c("electrical_loss_quadratic");
  p.other_w = f.other_power_w > 0 ? f.other_power_w
                                  : (c("lighting_misc_fraction") + c("storage_frontend_fraction")) * design_it_w;
  p.tower_approach_k = c("cooling_tower_approach_c");
  p.dry_cooler_approach_k = c("dry_cooler_approach_c");
  p.economizer_hx_approach_k = c("waterside_economizer_approach_c");
  p.adiabatic_effectiveness = c("adiabatic_effectiveness");
  p.adiabatic_coil_air_rise_k = c("adiabatic_coil_air_rise_k");
  p.tower_fan_w_per_w = c("tower_fan_w_per_w");
  p.dry_fan_w_per_w = c("dry_fan_w_per_w");
  p.carnot_fraction_water = c("chiller_carnot_fraction");
  p.carnot_fraction_air = c("chiller_carnot_fraction_air");
  p.evaporator_approach_k = c("evaporator_approach_k");
  p.condenser_approach_water_k = c("condenser_approach_water_k");
  p.condenser_approach_air_k = c("condenser_approach_air_k");
  p.cop_max = c("chiller_cop_max");
  p.water_l_per_kwh = c("evaporation_l_per_kwh_heat");
  p.tower_latent_share = c("tower_latent_share");
  p.cycles_of_concentration = c("cycles_of_concentration");
  std::string error;
  if (!parse_facility_start(f.start, p.start_hour_of_year, error)) throw std::invalid_argument(error);
  const std::string region = facility_region(f, data);
  w.seed = static_cast<uint64_t>(f.weather_seed);
  w.constant_dry_bulb_c = f.outdoor_temperature_c;
  w.constant_humidity_pct = f.outdoor_humidity_pct;
  if (!f.site.empty()) {
    const ClimateSite& s = data.sites.at(f.site);
    w.dry_bulb_mean_c = s.dry_bulb_mean_c;
    w.daily_range_c = s.daily_range_c;
    w.relative_humidity_pct = s.relative_humidity_pct;
    w.daily_sd_c = s.daily_sd_c;
  }
  if (!region.empty()) {
    const CarbonRegion& r = data.regions.at(region);
    p.carbon_g_per_kwh = r.intensity_g_per_kwh;
    p.carbon_hourly_factor = r.hourly_factor;
  }
}

std::string facility_region(const FacilitySpec& f, const FacilityData& data) {
  if (!f.carbon_region.empty()) return f.carbon_region;
  const auto s = data.sites.find(f.site);
  return s == data.sites.end() ? std::string() : s->second.carbon_region;
}

double electricity_usd_per_kwh(const FacilitySpec& f, const FacilityData& data, double fallback_usd_per_kwh) {
  if (f.electricity_usd_per_kwh > 0) return f.electricity_usd_per_kwh;
  const auto r = data.regions.find(facility_region(f, data));
  if (r != data.regions.end() && r->second.electricity_usd_per_kwh > 0) return r->second.electricity_usd_per_kwh;
  return fallback_usd_per_kwh;
}

std::unique_ptr<const FacilityModel> make_facility_model(const FacilitySpec& facility, const FacilityData& data,
                                                         double full_load_it_w) {
  switch (facility.model) {
    case FacilityModelKind::kConstantPue: {
      ConstantPueParams params;
      params.pue = facility.pue;
      return std::make_unique<ConstantPue>(params);
    }
    case FacilityModelKind::kCooling: {
      CoolingFacilityParams params;
      WeatherParams weather;
      cooling_params(facility, data, design_it_power_w(facility, full_load_it_w), params, weather);
      return std::make_unique<CoolingFacility>(params, weather);
    }
  }
  throw std::logic_error("make_facility_model: facility model " + std::string(kind_name(facility.model)) +
                         " has no factory");
}

}  // namespace clustersim
