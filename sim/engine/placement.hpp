#pragma once
/// @file
/// Places training jobs and inference replicas on servers: contiguous blocks in file order, training jobs
/// first (whole servers, so that a job's tensor-parallel groups stay inside servers), then inference replicas
/// packed gpus_per_server / tp to a server; a disaggregated service's decode pool starts on a new server
/// after its prefill pool (so that KV transfers cross the fabric). Topology-aware placement comes later.

#include <vector>

#include "spec/experiment_spec.hpp"

namespace clustersim {

struct ReplicaSlot {
  int server = 0;
  int first_gpu = 0;
};

struct Placement {
  std::vector<std::vector<int>> job_servers;         ///< per training job, server ids
  std::vector<std::vector<ReplicaSlot>> replicas;    ///< per service, one slot per replica
  int servers_used = 0;
};

/// Throws std::invalid_argument when the workload does not fit (the loader validates this first).
Placement place_workload(const ExperimentSpec& spec);

}  // namespace clustersim
