#include "spec/cluster_pools.hpp"

#include <algorithm>
#include <cassert>

namespace clustersim {

std::vector<PoolSpec> site_pools(const ClusterSpec& c) {
  long long taken = 0;
  for (const PoolSpec& p : c.pools) taken += p.servers;
  std::vector<PoolSpec> out;
  const long long main_servers = c.servers - taken;
  if (main_servers > 0 || c.pools.empty()) {
    PoolSpec m;
    m.name = c.name;
    m.gpu = c.gpu;
    m.server = c.server;
    m.servers = static_cast<int>(std::max(0LL, main_servers));
    m.gpus_per_server = c.gpus_per_server;
    m.scaleup_domain = c.scaleup_domain;
    m.scaleup_bandwidth_bps = c.scaleup_bandwidth_bps;
    m.nic_host_bandwidth_bps = c.nic_host_bandwidth_bps;
    m.power_cap_w = c.power_cap_w;
    out.push_back(m);
  }
  int next = out.empty() ? 0 : out.front().servers;
  for (PoolSpec p : c.pools) {
    p.first_server = next;
    p.servers = std::max(0, std::min(p.servers, c.servers - next));
    next += p.servers;
    out.push_back(p);
  }
  return out;
}

int pool_index(const std::vector<PoolSpec>& pools, const std::string& name) {
  if (name.empty()) return pools.empty() ? -1 : 0;
  for (size_t i = 0; i < pools.size(); ++i)
    if (pools[i].name == name) return static_cast<int>(i);
  return -1;
}

const PoolSpec& find_pool(const std::vector<PoolSpec>& pools, const std::string& name) {
  assert(!pools.empty());
  const int i = pool_index(pools, name);
  return pools[i < 0 ? 0 : i];
}

std::vector<int> pool_of_servers(const std::vector<PoolSpec>& pools) {
  std::vector<int> out;
  for (size_t i = 0; i < pools.size(); ++i) out.insert(out.end(), pools[i].servers, static_cast<int>(i));
  return out;
}

}  // namespace clustersim
