#include "sim/results/power_sample_row.hpp"

namespace clustersim {

const RowTable<PowerSampleRow>& power_sample_table() {
  using R = PowerSampleRow;
  static const RowTable<PowerSampleRow> table{
      "timeseries",
      "time",
      {number("time", "s", "start of the sampling interval", &R::time_s),
       number("it_power", "W", "IT power (mean over the interval)", &R::it_power_w),
       number("facility_power", "W", "facility power (mean over the interval), from the facility model",
              &R::facility_power_w),
       number("gpu_power", "W", "GPU power (mean over the interval)", &R::gpu_power_w),
       number("server_power", "W", "non-GPU server power (mean over the interval)", &R::server_power_w),
       number("network_power", "W", "network power: switches, transceivers, NICs", &R::network_power_w),
       number("gpu_activity", "1", "mean GPU activity (0 idle, 1 at board power limit)", &R::gpu_activity),
       number("pue", "1", "facility power / IT power of the interval", &R::pue),
       number("cooling_power", "W", "cooling: chillers, fans, pumps, heat rejection (NaN: constant-pue)",
              &R::cooling_power_w),
       number("electrical_loss_power", "W", "transformer, UPS and distribution losses (NaN: constant-pue)",
              &R::electrical_loss_power_w),
       number("outdoor_dry_bulb", "C", "outdoor dry-bulb temperature, mean over the interval (NaN: constant-pue)",
              &R::outdoor_dry_bulb_c),
       number("outdoor_wet_bulb", "C", "outdoor wet-bulb temperature, mean over the interval (NaN: constant-pue)",
              &R::outdoor_wet_bulb_c),
       number("carbon_rate", "g/s", "grid emissions of the facility power, gCO2e/s (NaN: no carbon region)",
              &R::carbon_rate_g_per_s),
       number("water_rate", "L/s", "water consumed by the heat rejection (NaN: constant-pue)",
              &R::water_rate_l_per_s)}};
  return table;
}

}  // namespace clustersim
