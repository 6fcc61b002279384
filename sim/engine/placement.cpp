#include "sim/engine/placement.hpp"

#include <xbt/asserts.h>

#include <algorithm>
#include <map>
#include <stdexcept>
#include <string>

#include "spec/cluster_pools.hpp"

namespace clustersim {

int replicas_per_server(const std::vector<ReplicaSlot>& slots) {
  std::map<int, int> on;
  int most = 1;
  for (const ReplicaSlot& r : slots) most = std::max(most, ++on[r.server]);
  return most;
}

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

SiteAllocator::SiteAllocator(const std::vector<PoolSpec>& pools, int gpus_per_server) : pools_(pools) {
  for (const PoolSpec& p : pools_) allocators_.emplace_back(gpus_per_server, p.first_server);
  xbt_assert(!allocators_.empty(), "internal error: a site without pools");
}

int SiteAllocator::pool_index(const std::string& name) const {
  const int i = clustersim::pool_index(pools_, name);
  return i < 0 ? 0 : i;
}

ServerAllocator& SiteAllocator::pool(const std::string& name) { return allocators_[pool_index(name)]; }

std::vector<int> SiteAllocator::servers_used() const {
  std::vector<int> out;
  for (const ServerAllocator& a : allocators_) out.push_back(a.servers_used());
  return out;
}

void SiteAllocator::check_fits() const {
  if (allocators_.size() == 1) return allocators_[0].check_fits(pools_[0].servers);
  for (size_t i = 0; i < allocators_.size(); ++i) try {
      allocators_[i].check_fits(pools_[i].servers);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument("pool '" + pools_[i].name + "': " + e.what());
    }
}

}  // namespace clustersim
