#include "sim/engine/placement.hpp"

#include <stdexcept>

namespace clustersim {

Placement place_workload(const ExperimentSpec& spec) {
  Placement p;
  const int gps = spec.cluster.gpus_per_server;
  int next_server = 0;
  for (const auto& job : spec.training) {
    const int servers = (job.gpus + gps - 1) / gps;
    std::vector<int> ids;
    for (int i = 0; i < servers; ++i) ids.push_back(next_server++);
    p.job_servers.push_back(ids);
  }
  int gpu_in_server = 0;
  for (const auto& svc : spec.inference) {
    std::vector<ReplicaSlot> slots;
    for (int r = 0; r < svc.replicas; ++r) {
      // Disaggregated: the decode pool starts on a fresh server, so that KV transfers leave the server.
      const bool pool_start = svc.disaggregated() && r == svc.prefill_replicas && gpu_in_server > 0;
      if (gpu_in_server + svc.gpus() > gps || pool_start) {
        ++next_server;
        gpu_in_server = 0;
      }
      slots.push_back({next_server, gpu_in_server});
      gpu_in_server += svc.gpus();
    }
    p.replicas.push_back(slots);
  }
  p.servers_used = next_server + (gpu_in_server > 0 ? 1 : 0);
  if (p.servers_used > spec.cluster.servers)
    throw std::invalid_argument("the workload needs " + std::to_string(p.servers_used) + " servers, the cluster has " +
                                std::to_string(spec.cluster.servers));
  return p;
}

}  // namespace clustersim
