#pragma once
/// @file
/// The machinery every routed platform shares (routed_fat_tree.hpp, routed_dragonfly.hpp): one flat SimGrid zone
/// (a StarZone subclass computing each flow's route when the flow starts), a host and a link per server, the
/// frontend, and the K-connection weighting of routed_fat_tree.hpp's file comment: a server-to-server flow stands
/// for K = nics x connections_per_nic connections, its route lists the links of every connection (a link crossed
/// by n of them n times: n is its max-min weight) and every link's SimGrid bandwidth is K x its real bandwidth.
/// A topology's zone derives from RoutedZone and says how one connection goes: server to server, and up to the
/// top of the fabric (where the frontend hangs). Internal to topologies/.

#include <simgrid/kernel/routing/NetPoint.hpp>
#include <simgrid/kernel/routing/StarZone.hpp>
#include <simgrid/s4u.hpp>

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/cross_rail_routes.hpp"
#include "topologies/simgrid_platform.hpp"

namespace clustersim {

/// One split-duplex link: `up` towards the upper tier (or away from a server), `down` back.
struct RoutedCable {
  simgrid::kernel::resource::StandardLinkImpl* up = nullptr;
  simgrid::kernel::resource::StandardLinkImpl* down = nullptr;
  int upper = 0;  ///< the switch (or group) at the upper end, when the topology needs it
};

/// A flow's endpoints and one of its connections, as the switches see it.
struct RoutedConnection {
  long long src_nic = 0;  ///< server x nics + NIC
  long long dst_nic = 0;
  int qp = 0;  ///< which of the NIC pair's connections
};

/// splitmix64's finalizer: the routed platforms' hash.
uint64_t route_mix(uint64_t x);

using RouteLinks = std::vector<simgrid::kernel::resource::StandardLinkImpl*>;

class RoutedZone : public simgrid::kernel::routing::StarZone, public CrossRailRoutes {
 public:
  /// The root zone "fabric" (the engine owns it); `latency_s` per link crossed by a route (0: none). With
  /// `keep_routes` a pair's route is computed once, when it is first asked for, and kept (load-aware routings,
  /// whose choices depend on the routes chosen before).
  RoutedZone(int nics_per_server, int connections_per_nic, double latency_s, bool keep_routes = false);

  void get_local_route(const simgrid::kernel::routing::NetPoint* src, const simgrid::kernel::routing::NetPoint* dst,
                       simgrid::kernel::routing::Route* route, double* latency) final;

  /// keep_routes: forgets the kept routes of every pair with an end among `servers` (their indices) and takes their
  /// connections off the load that load-aware routings count, as when a job's flows end for good: the pairs are
  /// routed anew, on the load of the routes still kept, when they next talk. Returns the pairs released.
  size_t release_servers(const std::vector<int>& servers);
  /// The server index of `host` in this zone, or -1 when it is none of its servers.
  int server_index(const simgrid::s4u::Host* host) const;

  /// CrossRailRoutes: nics^2 x connections_per_nic connections, connections_per_nic from each source NIC to each
  /// destination NIC, each routed as the routing routes (load-aware routings: counted while routing, then taken off
  /// again: nothing is kept); one appearance weighs K / (nics^2 x connections_per_nic).
  double cross_rail_route(const simgrid::s4u::Host* src, const simgrid::s4u::Host* dst,
                          std::vector<simgrid::s4u::Link*>& links) override;

 protected:
  /// The server hosts "server-<s>" (phase-synchronous, their injection recorded) and their NICs' link
  /// "server-<s>-nics" (nics x min(link, host slot)); returns them in out.servers.
  void add_servers(const PlatformParams& pp, int servers, double link_bps, Platform& out);
  /// The frontend host and its link "frontend-link"; call after the topology's links (link order).
  void add_frontend(const PlatformParams& pp, Platform& out);
  /// A split-duplex link of `bandwidth_bps` (x K in SimGrid) named `name`.
  RoutedCable make_cable(const std::string& name, double bandwidth_bps, int upper);

  /// cross_rail_route needs the links' s4u interfaces: call before the links are made (costs a map entry per link).
  void record_link_interfaces() { record_ifaces_ = true; }

  const RoutedCable& server_link(int s) const { return servers_[s]; }
  int nics() const { return nics_; }
  /// A load-aware routing places one connection on `cell` (a cable's count in one direction): counted, and
  /// remembered for release_servers while a kept route is being computed.
  void place(int& cell) const {
    ++cell;
    if (placing_ != nullptr) placing_->push_back(&cell);
  }

  /// Connection c (leaving on NIC k, arriving on NIC c.dst_nic mod nics) from server s to server d: its links, the
  /// servers' own included.
  virtual void server_to_server(int s, int d, int k, const RoutedConnection& c, RouteLinks& links) const = 0;
  /// Connection c of NIC k of server s from the server to the top of the fabric (its link included); with `down`
  /// the same path the other way, from the top down to the server.
  virtual void climb(int s, int k, const RoutedConnection& c, RouteLinks& links, bool down) const = 0;

 private:
  static constexpr int kFrontend = -2;
  void note_endpoint(const simgrid::kernel::routing::NetPoint* np, int index);
  int endpoint(const simgrid::kernel::routing::NetPoint* np) const;

  int nics_ = 1;
  int connections_ = 1;  ///< K
  double latency_s_ = 0;
  std::vector<int> endpoint_;  ///< per netpoint id: server, kFrontend or -1
  std::vector<RoutedCable> servers_;
  RoutedCable frontend_;
  bool keep_routes_ = false;
  struct KeptRoute {
    RouteLinks links;
    std::vector<int*> placed;  ///< the load cells its connections were counted on
  };
  std::unordered_map<long long, KeptRoute> kept_;  ///< keep_routes: per (src, dst) endpoint pair
  mutable std::vector<int*>* placing_ = nullptr;   ///< the kept route being computed (place)
  /// with record_link_interfaces: every link's s4u interface (StandardLinkImpl is incomplete outside SimGrid)
  bool record_ifaces_ = false;
  std::unordered_map<const simgrid::kernel::resource::StandardLinkImpl*, simgrid::s4u::Link*> iface_;
};

}  // namespace clustersim
