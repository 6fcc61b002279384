#pragma once
/// @file
/// One training job as a workload source gives it: what the synthetic generator (models/scheduling/job_arrivals)
/// draws and the job trace reader (sim/input/job_trace_reader) reads. Here, below both layers, as
/// spec/request_arrival.hpp is for requests.

#include <string>

namespace clustersim {

/// One job as a workload source gives it: when it is submitted, how many GPUs it asks for, how long it runs
/// alone (its work, as run time on an idle cluster) and where it came from.
struct JobArrival {
  double submit_s = 0;
  int gpus = 0;
  double run_s = 0;
  std::string source;  ///< e.g. "openb-pod-0123" or "draw 17"
};

}  // namespace clustersim
