#include "topologies/simgrid_platform.hpp"

#include <cstdio>
#include <simgrid/kernel/routing/NetZoneImpl.hpp>
#include <string>
#include <vector>

#include "common/host_properties.hpp"
#include "common/units.hpp"
#include "spec/catalog.hpp"

namespace clustersim {

namespace sg4 = simgrid::s4u;
using simgrid::kernel::routing::NetPoint;

namespace {

/// The core speed of server `s`'s host.
double server_flops(const PlatformParams& pp, int s) {
  return pp.server_gpu_flops.empty() ? pp.gpu_flops : pp.server_gpu_flops.at(s);
}

}  // namespace

namespace {

const sg4::Link* make_link(sg4::NetZone* zone, const std::string& name, double bandwidth_bps, double latency_s) {
  return zone->create_split_duplex_link(name, bytes_per_s(bandwidth_bps))->set_latency(latency_s)->seal();
}

/// The latency SimGrid links get (see PlatformParams::link_latency).
double link_latency_s(const PlatformParams& pp, double hop_latency_s) { return pp.link_latency ? hop_latency_s : 0.0; }

/// Routes everything under `child` through its gateway `gw` and then `uplink` (none when null).
void attach(sg4::NetZone* parent, sg4::NetZone* child, NetPoint* gw, const sg4::Link* uplink) {
  std::vector<sg4::LinkInRoute> links;
  if (uplink != nullptr) links.emplace_back(uplink, sg4::LinkInRoute::Direction::UP);
  parent->add_route(child->get_netpoint(), nullptr, gw, nullptr, links, true);
}

/// A star zone outside the tree, with the root's models: it joins its parent (join) once filled.
/// SimGrid 3.32 checks each new host's and link's name against every zone reachable from the root (SIMGRID.md
/// trap 4), so a zone filled while in the tree makes the build quadratic in zones x elements; filled outside,
/// each check sees the root alone. Link, host and router creation keep their order, so ids do not change.
sg4::NetZone* create_detached_zone(const std::string& zone_name, const sg4::NetZone* models_from) {
  auto* zone = sg4::create_star_zone(zone_name);
  simgrid::kernel::routing::NetZoneImpl* impl = zone->get_impl();
  const simgrid::kernel::routing::NetZoneImpl* from = models_from->get_impl();
  impl->set_network_model(from->get_network_model());
  impl->set_cpu_pm_model(from->get_cpu_pm_model());
  impl->set_cpu_vm_model(from->get_cpu_vm_model());
  impl->set_disk_model(from->get_disk_model());
  impl->set_host_model(from->get_host_model());
  return zone;
}

/// A filled zone waiting to join its parent: its gateway and the uplink (in the parent; none when null).
struct Attachment {
  sg4::NetZone* zone = nullptr;
  NetPoint* gateway = nullptr;
  const sg4::Link* uplink = nullptr;
};

/// Makes `a.zone` a child of `parent`, routes it through its gateway and uplink, and seals it.
void join(sg4::NetZone* parent, const Attachment& a) {
  a.zone->set_parent(parent);
  attach(parent, a.zone, a.gateway, a.uplink);
  a.zone->seal();
}

/// Server `s`'s private link, bit/s: its NICs at the link speed, or at what their host slots carry when that
/// is less.
double server_link_bps(const PlatformParams& pp, int nics, double link_bps, int s) {
  const double host_bps = pp.server_nic_host_bps.empty() ? pp.nic_host_bps : pp.server_nic_host_bps.at(s);
  return nics * nic_effective_bps(link_bps, host_bps);
}

/// A sealed host with `cores` cores and its private link to the zone's star centre.
sg4::Host* add_host(sg4::NetZone* zone, const std::string& name, double core_flops, int cores, double bandwidth_bps,
                    double latency_s) {
  sg4::Host* host = zone->create_host(name, core_flops);
  host->set_core_count(cores);
  set_server_injection_Bps(host, bytes_per_s(bandwidth_bps));
  host->seal();
  const sg4::Link* link = make_link(zone, name + "-link", bandwidth_bps, latency_s);
  zone->add_route(host->get_netpoint(), nullptr, nullptr, nullptr, {{link, sg4::LinkInRoute::Direction::UP}}, true);
  return host;
}

/// One group of servers: a leaf ("leaf-<g>"), or a rail-optimized scalable unit ("su-<g>") of rail leaves.
/// Returns it unattached: its uplink is created in `parent`, which it joins later.
Attachment build_group(const FatTree& t, const PlatformParams& pp, int group, sg4::NetZone* parent, Platform& out) {
  const FatTreeParams& p = t.params;
  const std::string name = (t.leaves_per_group == 1 ? "leaf-" : "su-") + std::to_string(group);
  sg4::NetZone* zone = create_detached_zone(name, parent);
  const int first = group * t.servers_per_leaf;
  const int count = t.servers_on_leaf(group * t.leaves_per_group);
  for (int s = first; s < first + count; ++s)
    out.servers[s] =
        add_host(zone, "server-" + std::to_string(s), server_flops(pp, s), pp.gpus_per_server,
                 server_link_bps(pp, p.nics_per_server, p.link_bps, s), link_latency_s(pp, p.hop_latency_s));
  NetPoint* gw = zone->create_router(name + "-sw");
  const long long cables = t.leaf_uplinks > 0 ? static_cast<long long>(t.leaves_per_group) * t.leaf_uplinks
                                              : static_cast<long long>(count) * p.nics_per_server;
  return {zone, gw, make_link(parent, name + "-up", cables * p.link_bps, link_latency_s(pp, p.hop_latency_s))};
}

/// Returns the pod unattached (its leaves joined), with its uplink created in `root`.
Attachment build_pod(const FatTree& t, const PlatformParams& pp, int pod, sg4::NetZone* root, Platform& out) {
  const FatTreeParams& p = t.params;
  const std::string name = "pod-" + std::to_string(pod);
  sg4::NetZone* zone = create_detached_zone(name, root);
  const int first = pod * t.leaves_per_pod / t.leaves_per_group;
  std::vector<Attachment> groups;
  for (int g = first; g < first + t.leaves_in_pod(pod) / t.leaves_per_group; ++g)
    groups.push_back(build_group(t, pp, g, zone, out));
  for (const Attachment& a : groups) join(zone, a);
  // The pod's gateway lives in a tiny child zone, not next to the leaf zones (SIMGRID.md trap 3).
  sg4::NetZone* core = create_detached_zone(name + "-core", zone);
  NetPoint* gw = core->create_router(name + "-sw");
  join(zone, {core, gw, nullptr});
  const long long cables = t.spine_uplinks > 0 ? static_cast<long long>(t.spines_per_pod) * t.spine_uplinks
                                               : static_cast<long long>(t.leaves_in_pod(pod)) * t.leaf_uplinks;
  return {zone, gw, make_link(root, name + "-up", cables * p.link_bps, link_latency_s(pp, p.hop_latency_s))};
}

/// The frontend zone and host, on the root.
sg4::Host* add_frontend(sg4::NetZone* root, const PlatformParams& params, double latency_s) {
  sg4::NetZone* frontend_zone = create_detached_zone("frontend", root);
  sg4::Host* host = add_host(frontend_zone, "frontend", params.gpu_flops, 1, params.frontend_bandwidth_bps, latency_s);
  join(root, {frontend_zone, frontend_zone->create_router("frontend-sw"), nullptr});
  return host;
}

}  // namespace

void set_server_injection_Bps(sg4::Host* host, double bandwidth_Bps) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", bandwidth_Bps);
  host->set_property(kServerInjectionProperty, buf);
}

Platform instantiate_platform(const Dragonfly& fly, const PlatformParams& params) {
  const DragonflyParams& p = fly.params;
  Platform out;
  out.servers.resize(p.servers, nullptr);
  sg4::NetZone* root = sg4::create_star_zone("fabric");
  const int per_group = p.routers_per_group * p.servers_per_router;
  std::vector<Attachment> groups;
  for (int g = 0; g < p.groups; ++g) {
    const int count = fly.servers_in_group(g);
    if (count == 0) continue;
    const std::string name = "group-" + std::to_string(g);
    sg4::NetZone* zone = create_detached_zone(name, root);
    for (int s = g * per_group; s < g * per_group + count; ++s)
      out.servers[s] =
          add_host(zone, "server-" + std::to_string(s), server_flops(params, s), params.gpus_per_server,
                   server_link_bps(params, p.nics_per_server, p.link_bps, s), link_latency_s(params, p.hop_latency_s));
    NetPoint* gw = zone->create_router(name + "-sw");
    const long long cables = p.groups > 1 ? static_cast<long long>(fly.global_cables_per_pair) * (p.groups - 1)
                                          : static_cast<long long>(count) * p.nics_per_server;
    groups.push_back(
        {zone, gw, make_link(root, name + "-up", cables * p.link_bps, link_latency_s(params, p.hop_latency_s))});
  }
  for (const Attachment& a : groups) join(root, a);
  out.frontend = add_frontend(root, params, link_latency_s(params, p.hop_latency_s));
  root->seal();
  return out;
}

Platform instantiate_platform(const FatTree& tree, const PlatformParams& params) {
  Platform out;
  out.servers.resize(tree.params.servers, nullptr);
  sg4::NetZone* root = sg4::create_star_zone("fabric");
  std::vector<Attachment> children;
  if (tree.params.tiers == 3 && tree.groups() > 1) {
    for (int pod = 0; pod < tree.pods; ++pod) children.push_back(build_pod(tree, params, pod, root, out));
  } else {
    for (int group = 0; group < tree.groups(); ++group) children.push_back(build_group(tree, params, group, root, out));
  }
  for (const Attachment& a : children) join(root, a);
  out.frontend = add_frontend(root, params, link_latency_s(params, tree.params.hop_latency_s));
  root->seal();
  return out;
}

}  // namespace clustersim
