#include "sim/engine/placement.hpp"

#include <xbt/asserts.h>

#include <stdexcept>
#include <string>

namespace clustersim {

std::vector<int> ServerAllocator::whole_servers(int count) {
  if (gpus_in_server_ > 0) {
    ++next_server_;
    gpus_in_server_ = 0;
  }
  std::vector<int> ids;
  for (int i = 0; i < count; ++i) ids.push_back(next_server_++);
  return ids;
}

ReplicaSlot ServerAllocator::gpus(int gpus, bool fresh_server) {
  xbt_assert(gpus >= 0, "internal error: a placement asks for %d GPUs", gpus);
  if (gpus_in_server_ + gpus > gpus_per_server_ || (fresh_server && gpus_in_server_ > 0)) {
    ++next_server_;
    gpus_in_server_ = 0;
  }
  const ReplicaSlot slot{next_server_, gpus_in_server_};
  gpus_in_server_ += gpus;
  return slot;
}

void ServerAllocator::check_fits(int cluster_servers) const {
  if (servers_used() > cluster_servers)
    throw std::invalid_argument("the workload needs " + std::to_string(servers_used()) + " servers, the cluster has " +
                                std::to_string(cluster_servers));
}

}  // namespace clustersim
