#pragma once
/// @file
/// Names of the SimGrid host properties the platform builders (topologies/) set and the simulation (sim/) reads,
/// declared once here so that neither layer includes the other.

namespace clustersim {

/// A server host's injection bandwidth into the fabric, B/s, as "%.17g": all its NICs after the host-slot cap
/// (topologies/simgrid_platform.hpp, routed_fat_tree.hpp). Routed platforms' links carry K x their real bandwidth,
/// so a link's bandwidth is no measure of it.
inline constexpr const char* kServerInjectionProperty = "clustersim.injection_Bps";

/// Set on the server hosts of platforms whose flows should move phase by phase at one rate (routed fat-trees:
/// with per-cable routes, flows of one phase would otherwise end at many different times, each a full max-min
/// solve; sim/collectives/collective.hpp, "phase-synchronous flows").
inline constexpr const char* kPhaseSynchronousProperty = "clustersim.phase_synchronous";

/// Set on the server hosts of routed rail-optimized platforms without PXN (fabric.pxn false): an all-to-all's
/// data leaves on the sending GPU's NIC and crosses rails, so its phase is bounded on the cross-rail routes
/// (topologies/simgrid_platform.hpp cross_rail_route) rather than the rail-aligned ones.
inline constexpr const char* kCrossRailAllToAllProperty = "clustersim.cross_rail_all_to_all";

}  // namespace clustersim
