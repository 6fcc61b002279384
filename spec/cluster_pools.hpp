#pragma once
/// @file
/// The accelerator pools of a site (cluster.pools): each pool is a consecutive range of server ids on the one
/// fabric, so a pool whose size is a multiple of the leaf (pod) size has leaves (pods) of its own under the shared
/// upper tiers, and otherwise shares the leaf at its edge with the next pool. The main pool (cluster.gpu,
/// cluster.server, named cluster.name) holds the servers no pools entry takes and comes first; the single-pool form
/// (no pools) is the main pool alone.

#include <string>
#include <vector>

#include "spec/experiment_spec.hpp"

namespace clustersim {

/// The site's pools in server order, first_server set: the main pool first when it keeps servers
/// (cluster.servers minus the pools' servers > 0), then cluster.pools in file order. A pool past cluster.servers
/// (the loader reports it as an input error) gets what is left, possibly 0 servers.
std::vector<PoolSpec> site_pools(const ClusterSpec& cluster);

/// Index in `pools` of the pool named `name`; "" = 0 (the first pool). -1 when there is none of that name.
int pool_index(const std::vector<PoolSpec>& pools, const std::string& name);

/// The pool named `name` ("" = the first); the first pool when there is none of that name (the loader reports an
/// unknown name as an input error first).
const PoolSpec& find_pool(const std::vector<PoolSpec>& pools, const std::string& name);

/// The pool index of each server id (0 .. cluster.servers - 1).
std::vector<int> pool_of_servers(const std::vector<PoolSpec>& pools);

}  // namespace clustersim
