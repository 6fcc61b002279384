#include "sim/results/power_sample_row.hpp"

namespace clustersim {

const RowTable<PowerSampleRow>& power_sample_table() {
  using R = PowerSampleRow;
  static const RowTable<PowerSampleRow> table{
      "timeseries",
      "time",
      {number("time", "s", "start of the sampling interval", &R::time_s),
       number("it_power", "W", "IT power (mean over the interval)", &R::it_power_w),
       number("facility_power", "W", "facility power = IT power x PUE (mean over the interval)", &R::facility_power_w),
       number("gpu_power", "W", "GPU power (mean over the interval)", &R::gpu_power_w),
       number("server_power", "W", "non-GPU server power (mean over the interval)", &R::server_power_w),
       number("network_power", "W", "network power: switches, transceivers, NICs", &R::network_power_w),
       number("gpu_activity", "1", "mean GPU activity (0 idle, 1 at board power limit)", &R::gpu_activity)}};
  return table;
}

}  // namespace clustersim
