#pragma once
/// @file
/// Hands out servers to workloads (sim/engine/workload.hpp), in the order run_experiment places them: each
/// workload kind in registry order, its instances in file order. Training jobs take whole servers (so that a
/// job's tensor-parallel groups stay inside servers); inference replicas are packed gpus_per_server / tp to a
/// server; a disaggregated service's decode pool starts on a new server after its prefill pool (so that KV
/// transfers cross the fabric). Topology-aware placement (a scheduler) comes later, as its own allocator.

#include <string>
#include <vector>

#include "spec/experiment_spec.hpp"

namespace clustersim {

/// A replica's place: its server and the first of its GPUs there.
struct ReplicaSlot {
  int server = 0;
  int first_gpu = 0;
};

/// The most replicas of `slots` on one server (a service's replicas per server; 1 when empty).
int replicas_per_server(const std::vector<ReplicaSlot>& slots);

/// A cursor over a pool's servers (ids from `first_server` on): whatever a workload takes comes after what earlier
/// ones took.
class ServerAllocator {
 public:
  explicit ServerAllocator(int gpus_per_server, int first_server = 0)
      : gpus_per_server_(gpus_per_server), first_server_(first_server), next_server_(first_server) {}

  /// `count` whole servers in a row, starting on a server nobody has used.
  std::vector<int> whole_servers(int count);

  /// `gpus` GPUs on one server: after the GPUs already taken on the current server when they fit, else from
  /// GPU 0 of the next server. `fresh_server` moves to the next server when the current one is partly used.
  ReplicaSlot gpus(int gpus, bool fresh_server = false);

  int gpus_per_server() const { return gpus_per_server_; }

  /// Servers used so far (a partly used server counts).
  int servers_used() const { return next_server_ - first_server_ + (gpus_in_server_ > 0 ? 1 : 0); }

  /// Throws std::invalid_argument ("the workload needs N servers, the cluster has M") when more than
  /// `cluster_servers` servers are used (the loader validates this first).
  void check_fits(int cluster_servers) const;

 private:
  int gpus_per_server_;
  int first_server_ = 0;
  int next_server_ = 0;     ///< the current server
  int gpus_in_server_ = 0;  ///< GPUs of the current server already taken
};

/// One ServerAllocator per accelerator pool of the site (spec/cluster_pools.hpp, in site_pools order): a
/// workload takes its servers from its pool's.
class SiteAllocator {
 public:
  SiteAllocator(const std::vector<PoolSpec>& pools, int gpus_per_server);

  /// The allocator of the pool named `name` ("" = the first; an unknown name is the first, the loader reports it).
  ServerAllocator& pool(const std::string& name);

  /// The index of the pool named `name`, as pool() finds it.
  int pool_index(const std::string& name) const;

  /// Servers used in each pool.
  std::vector<int> servers_used() const;

  /// Throws std::invalid_argument ("pool 'P': the workload needs N servers, the cluster has M") for a pool used
  /// past its servers.
  void check_fits() const;

 private:
  std::vector<PoolSpec> pools_;
  std::vector<ServerAllocator> allocators_;
};

}  // namespace clustersim
