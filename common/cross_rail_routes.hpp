#pragma once
/// @file
/// What a routed rail-optimized platform without PXN (fabric.pxn false) offers the collectives: the route an
/// all-to-all flow's data takes when it leaves on the sending GPU's NIC and crosses rails. Declared here so that the
/// collectives (sim/collectives) can ask for it without including the platforms (topologies/routed_zone.hpp
/// implements it); the servers of such platforms carry kCrossRailAllToAllProperty (host_properties.hpp).

#include <simgrid/kernel/routing/NetZoneImpl.hpp>
#include <simgrid/s4u.hpp>

#include <vector>

namespace clustersim {

class CrossRailRoutes {
 public:
  virtual ~CrossRailRoutes() = default;
  /// The links of an all-to-all flow from server `src` to server `dst` whose data goes from every source NIC to
  /// every destination NIC (a link once per connection crossing it), appended to `links`; returns the weight of one
  /// appearance against the links' bandwidths, route_to's appearances weighing 1.
  virtual double cross_rail_route(const simgrid::s4u::Host* src, const simgrid::s4u::Host* dst,
                                  std::vector<simgrid::s4u::Link*>& links) = 0;
};

/// The running engine's root zone as CrossRailRoutes, or nullptr when its platform has none.
inline CrossRailRoutes* cross_rail_routes() {
  return dynamic_cast<CrossRailRoutes*>(simgrid::s4u::Engine::get_instance()->get_netzone_root()->get_impl());
}

}  // namespace clustersim
