#pragma once
/// @file
/// One replica served without SimGrid: the scheduler and the iteration model of the simulator's replica
/// actor driven by a plain event loop. For tests (queueing behaviour) and for quick what-ifs; the
/// simulator itself runs replicas as SimGrid actors (sim/engine/inference_service).

#include <vector>

#include "models/inference/request.hpp"
#include "models/inference/scheduler.hpp"
#include "models/inference/serving_model.hpp"

namespace clustersim {

struct ReplicaRunStats {
  long iterations = 0;  ///< iterations simulated
  long steps = 0;       ///< loop steps (a decode stretch of many iterations is one step)
  double end_s = 0;     ///< time the last request finished
  double busy_s = 0;
  long preemptions = 0;
};

/// Serves `requests` (sorted by arrival time) to completion. `stretches`: advance decode-only stretches
/// in one step (exact, see ServingModel::repeated_time_s) instead of iteration by iteration.
ReplicaRunStats run_replica(const ServingModel& model, const SchedulerParams& params,
                            std::vector<ServingRequest>& requests, bool stretches = true);

}  // namespace clustersim
