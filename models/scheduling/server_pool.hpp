#pragma once
/// @file
/// The free servers a cluster scheduler hands out, by where they sit in the fabric: each server's group (a
/// fat-tree leaf, a rail-optimized scalable unit, a dragonfly group) and pod. Topology-aware (packed)
/// placement puts a job under as few groups and pods as possible, best fit first, so that its traffic stays
/// low in the fabric and large holes stay whole for large jobs; linear placement takes the lowest numbers.

#include <map>
#include <set>
#include <utility>
#include <vector>

#include "spec/kinds.hpp"

namespace clustersim {

/// Where a set of servers sits: how many groups and pods it touches, against the fewest possible.
struct PlacementSpread {
  int groups = 0;
  int pods = 0;
  int min_groups = 0;  ///< ceil(servers / the largest group size): a perfectly packed job
};

/// The servers of the largest group of `group_of` (indexed by server id, the whole fabric).
int largest_group(const std::vector<int>& group_of);

/// Groups and pods that `servers` touch (`group_of` and `pod_of` indexed by server id); min_groups from the
/// fabric's `largest_group`.
PlacementSpread placement_spread(const std::vector<int>& servers, const std::vector<int>& group_of,
                                 const std::vector<int>& pod_of, int largest_group);

class ServerPool {
 public:
  /// `servers`: the ids the scheduler owns (all free at first). `group_of` and `pod_of` are indexed by server id
  /// and cover every id of `servers`. Throws std::invalid_argument when they do not, or on a repeated id.
  ServerPool(const std::vector<int>& servers, std::vector<int> group_of, std::vector<int> pod_of);

  int total() const { return total_; }
  int free() const { return free_; }

  /// Takes `count` free servers (1 <= count <= free(), else std::invalid_argument). Packed: the group with the
  /// fewest free servers that holds the whole job; else the pod with the fewest free servers that holds it,
  /// filled from its fullest-free groups down, the last part best fit; else pods from the most free down, the
  /// same way inside each. Lowest ids first inside a group. Linear: the lowest free ids.
  std::vector<int> take(int count, PlacementKind kind);

  /// Returns servers taken earlier (std::invalid_argument for one that is not taken or not owned).
  void give_back(const std::vector<int>& servers);

  /// A job smaller than a server: `gpus` GPUs (1 <= gpus < gpus_per_server) on one server, the partly used server
  /// with the fewest free GPUs that holds them (best fit, then the lowest id), else a whole free server taken as
  /// take(1, kind). Returns the server, or -1 when no server has room (nothing is taken then).
  int take_gpus(int gpus, int gpus_per_server, PlacementKind kind);

  /// Returns `gpus` GPUs of `server` taken by take_gpus; a server whose GPUs are all back is whole and free again.
  void give_back_gpus(int server, int gpus);

  /// Free GPUs of the partly used servers (each between 1 and gpus_per_server - 1), for the policy.
  std::vector<int> partial_free_gpus() const;

  /// Lending (tidal sharing): servers of the pool's universe (those given at construction) leave it and come back.
  /// Takes free servers out of the pool (std::invalid_argument for one not owned or not free).
  void withdraw(const std::vector<int>& servers);
  /// Takes `server` back from the pool: out at once when free (returns true), else it is draining (returns
  /// false): it takes no new job, and leaves the pool when its jobs give it back.
  bool reclaim(int server);
  /// Puts servers of the universe back (withdrawn ones free, draining ones kept). std::invalid_argument for one
  /// outside the universe or already owned and not draining.
  void restore(const std::vector<int>& servers);
  bool draining(int server) const { return draining_.count(server) > 0; }
  /// Whether `server` is one of the pool's servers now (taken or free; not withdrawn nor reclaimed).
  bool owns(int server) const {
    return server >= 0 && server < static_cast<int>(owned_.size()) && owned_[server] && !draining(server);
  }
  /// Whether `server` was given at construction (the pool's universe).
  bool in_universe(int server) const {
    return server >= 0 && server < static_cast<int>(universe_.size()) && universe_[server];
  }

  /// Groups and pods `servers` touch (placement_spread).
  PlacementSpread spread(const std::vector<int>& servers) const {
    return placement_spread(servers, group_of_, pod_of_, largest_group_);
  }

 private:
  std::vector<int> take_from_groups(std::vector<int> groups, int count);
  std::vector<int> take_linear(int count);

  std::vector<int> group_of_, pod_of_;
  std::vector<std::set<int>> free_in_group_;  ///< by group id: free server ids
  std::vector<int> free_in_pod_;              ///< by pod id
  std::vector<std::vector<int>> groups_of_pod_;
  std::vector<char> owned_, is_free_;      ///< by server id
  std::vector<char> universe_;             ///< by server id: given at construction
  std::set<int> draining_;                 ///< reclaimed while in use
  std::map<int, int> used_gpus_;           ///< partly or fully used by small jobs: server -> GPUs taken
  std::set<std::pair<int, int>> partial_;  ///< (free GPUs, server) of the partly used servers
  int gpus_per_server_ = 0;                ///< of the small jobs (set by take_gpus)
  int total_ = 0, free_ = 0;
  int largest_group_ = 1;  ///< of the whole fabric (group_of), not only of the pool's servers
};

}  // namespace clustersim
