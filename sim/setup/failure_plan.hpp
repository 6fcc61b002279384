#pragma once
/// @file
/// From the experiment's failures and storage sections and the catalog's failure classes to what the engine
/// replays: every component failure of the run with the servers it cuts off and their repair time, each server's
/// straggler slowdown, the times a failure costs a job (detection, restart), the checkpoint store, and the
/// mean time between failures of a job of a given size. Deterministic for the experiment's seed.

#include <string>
#include <vector>

#include "models/reliability/checkpoint.hpp"
#include "models/reliability/failure_process.hpp"
#include "spec/experiment_spec.hpp"
#include "topologies/topology.hpp"

namespace clustersim {

/// One failure as the engine sees it.
struct FailureEvent {
  double time_s = 0;
  int failure_class = 0;     ///< an index of FailurePlan::class_names
  int component = 0;         ///< within its scope (GPU, server, NIC or leaf index)
  std::vector<int> servers;  ///< the servers it cuts off (their jobs stop)
  double repair_s = 0;       ///< they are out this long (0: back at once)
  int plane = -1;            ///< a spine's: the index of FailurePlan::planes it degrades (no server cut off)
};

struct FailurePlan {
  bool active = false;  ///< failures.enabled or forced failures: jobs checkpoint, stop, restart
  std::vector<std::string> class_names;
  std::vector<FailureScope> scopes;
  std::vector<FailureClassParams> classes;  ///< rates as used (rate_scale applied)
  std::vector<FailureEvent> events;         ///< in time order
  double detection_s = 0, restart_s = 0;
  CheckpointStore store;
  std::vector<double> server_slowdown;  ///< by server id: 1, or the straggler slowdown (empty: no straggler)
  int gpus_per_server = 8;
  int servers_per_group = 1;       ///< of the largest fabric group (a packed job's leaves: servers / it)
  std::vector<SpinePlane> planes;  ///< the fabric's spine planes (spine failures degrade one)
  /// Mean time between failures that stop a job of `gpus` GPUs on `servers` servers spanning `leaves` fabric
  /// groups (each GPU is one GPU and one NIC link; each server one server; each group one leaf).
  double job_mtbf_s(int gpus, int servers, int leaves) const;
  /// job_mtbf_s of a job of `gpus` GPUs on whole servers, packed under the fewest leaves.
  double packed_job_mtbf_s(int gpus) const;
};

/// The plan of `spec` on a cluster of `servers` servers (`group_of`: each server's fabric group). Inactive (and
/// empty) without failures; the stragglers are drawn whenever their fraction is above 0.
/// `planes`: the fabric's spine planes (BuiltTopology::spine_planes).
FailurePlan make_failure_plan(const ExperimentSpec& spec, const Catalog& catalog, const std::vector<int>& group_of,
                              const std::vector<SpinePlane>& planes);

}  // namespace clustersim
