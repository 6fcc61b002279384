#pragma once
/// @file
/// One row of the `failures` table: a component failure of the run (failures.*) and what it did to the
/// training jobs (sim/engine/job_scheduler replays them).

#include <cstdint>
#include <string>

#include "sim/results/column_table.hpp"

namespace clustersim {

struct FailureRow {
  double time_s = 0;
  std::string failure_class;  ///< catalog failure class
  int64_t component = 0;      ///< GPU, server, NIC or leaf index, by the class's scope
  int64_t servers = 0;        ///< servers it cut off
  int64_t first_server = 0;   ///< the first of them (-1: none)
  double repair_s = 0;        ///< how long they are out (0: a restart clears it)
  std::string job;            ///< the job it stopped (or whose spare it took); "" = none
  /// interrupted (a running job stopped), spare (a job's idle hot spare), stopping (a job already stopping),
  /// idle (free servers only), degraded (a spine or core: bandwidth), service (an inference service's servers:
  /// not modelled), none (no such switch in this fabric)
  std::string effect;
};

/// The `failures` group: dimension `failure`.
const RowTable<FailureRow>& failure_table();

}  // namespace clustersim
