#include "sim/results/power_trace_row.hpp"

namespace clustersim {

const RowTable<PowerTraceRow>& power_trace_table() {
  using R = PowerTraceRow;
  static const RowTable<PowerTraceRow> table{
      "power_trace",
      "time",
      {number("time", "s", "start of the bin", &R::time_s),
       number("it_power", "W", "IT power (mean over the bin, phase-resolved)", &R::it_power_w),
       number("facility_power", "W", "facility power (mean over the bin)", &R::facility_power_w),
       number("grid_power", "W", "power drawn from the grid: facility power less the battery's output",
              &R::grid_power_w)}};
  return table;
}

}  // namespace clustersim
