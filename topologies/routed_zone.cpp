#include "topologies/routed_zone.hpp"

#include <xbt/asserts.h>

#include "common/host_properties.hpp"
#include "common/units.hpp"
#include "spec/catalog.hpp"

namespace clustersim {

namespace sg4 = simgrid::s4u;
using simgrid::kernel::routing::NetPoint;
using simgrid::kernel::routing::Route;

uint64_t route_mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

RoutedZone::RoutedZone(int nics_per_server, int connections_per_nic, double latency_s, bool keep_routes)
    : StarZone("fabric"),
      nics_(nics_per_server),
      connections_(nics_per_server * connections_per_nic),
      latency_s_(latency_s),
      keep_routes_(keep_routes) {}

void RoutedZone::add_servers(const PlatformParams& pp, int servers, double link_bps, Platform& out) {
  sg4::NetZone* zone = get_iface();
  out.servers.resize(servers, nullptr);
  for (int s = 0; s < servers; ++s) {
    sg4::Host* host = zone->create_host("server-" + std::to_string(s),
                                        pp.server_gpu_flops.empty() ? pp.gpu_flops : pp.server_gpu_flops.at(s));
    host->set_core_count(pp.gpus_per_server);
    const double host_bps = pp.server_nic_host_bps.empty() ? pp.nic_host_bps : pp.server_nic_host_bps.at(s);
    const double nic_bps = nic_effective_bps(link_bps, host_bps);
    set_server_injection_Bps(host, bytes_per_s(nic_bps) * nics_);
    host->set_property(kPhaseSynchronousProperty, "1");
    host->seal();
    out.servers[s] = host;
    note_endpoint(host->get_netpoint(), s);
    servers_.push_back(make_cable("server-" + std::to_string(s) + "-nics", nic_bps * nics_, 0));
  }
}

void RoutedZone::add_frontend(const PlatformParams& pp, Platform& out) {
  sg4::Host* frontend = get_iface()->create_host("frontend", pp.gpu_flops);
  frontend->seal();
  out.frontend = frontend;
  note_endpoint(frontend->get_netpoint(), kFrontend);
  frontend_ = make_cable("frontend-link", pp.frontend_bandwidth_bps, 0);
}

RoutedCable RoutedZone::make_cable(const std::string& name, double bandwidth_bps, int upper) {
  sg4::SplitDuplexLink* link = get_iface()->create_split_duplex_link(name, bytes_per_s(bandwidth_bps) * connections_);
  link->set_latency(latency_s_);
  link->seal();
  RoutedCable cable{link->get_link_up()->get_impl(), link->get_link_down()->get_impl(), upper};
  if (record_ifaces_) {
    iface_[cable.up] = link->get_link_up();
    iface_[cable.down] = link->get_link_down();
  }
  return cable;
}

void RoutedZone::note_endpoint(const NetPoint* np, int index) {
  if (np->id() >= endpoint_.size()) endpoint_.resize(np->id() + 1, -1);
  endpoint_[np->id()] = index;
}

int RoutedZone::endpoint(const NetPoint* np) const {
  xbt_assert(np->id() < endpoint_.size() && endpoint_[np->id()] != -1, "routed platform: '%s' is no endpoint",
             np->get_cname());
  return endpoint_[np->id()];
}

void RoutedZone::get_local_route(const NetPoint* src, const NetPoint* dst, Route* route, double* latency) {
  const int s = endpoint(src), d = endpoint(dst);
  RouteLinks& links = route->link_list_;
  const long long key = (static_cast<long long>(s) + 2) * (static_cast<long long>(servers_.size()) + 3) + (d + 2);
  KeptRoute kept;
  if (keep_routes_) {
    const auto it = kept_.find(key);
    if (it != kept_.end()) {
      links.insert(links.end(), it->second.links.begin(), it->second.links.end());
      if (latency != nullptr) *latency += latency_s_ * static_cast<double>(it->second.links.size()) / connections_;
      return;
    }
    placing_ = &kept.placed;
  }
  const size_t first = links.size();
  for (int i = 0; i < connections_; ++i) {
    const int k = i % nics_;
    const RoutedConnection c{static_cast<long long>(s) * nics_ + k, static_cast<long long>(d) * nics_ + k, i / nics_};
    const size_t before = links.size();
    if (s == kFrontend) {
      links.push_back(frontend_.down);
      climb(d, k, c, links, true);
    } else if (d == kFrontend) {
      climb(s, k, c, links, false);
      links.push_back(frontend_.up);
    } else {
      server_to_server(s, d, k, c, links);
    }
    if (i == 0 && latency != nullptr) *latency += latency_s_ * static_cast<double>(links.size() - before);
  }
  if (keep_routes_) {
    placing_ = nullptr;
    kept.links.assign(links.begin() + static_cast<long>(first), links.end());
    kept_.emplace(key, std::move(kept));
  }
}

size_t RoutedZone::release_servers(const std::vector<int>& servers) {
  if (kept_.empty()) return 0;
  std::vector<char> gone(servers_.size(), 0);
  for (int s : servers)
    if (s >= 0 && static_cast<size_t>(s) < gone.size()) gone[s] = 1;
  const long long stride = static_cast<long long>(servers_.size()) + 3;
  auto is_gone = [&](long long e) { return e >= 0 && gone[e]; };
  size_t released = 0;
  for (auto it = kept_.begin(); it != kept_.end();) {
    const long long s = it->first / stride - 2, d = it->first % stride - 2;
    if (is_gone(s) || is_gone(d)) {
      for (int* cell : it->second.placed) --*cell;
      it = kept_.erase(it);
      ++released;
    } else {
      ++it;
    }
  }
  return released;
}

double RoutedZone::cross_rail_route(const sg4::Host* src, const sg4::Host* dst, std::vector<sg4::Link*>& links) {
  const int s = server_index(src), d = server_index(dst);
  xbt_assert(record_ifaces_, "cross_rail_route: the zone did not record its links' interfaces");
  xbt_assert(s >= 0 && d >= 0, "cross_rail_route: '%s' to '%s' is not between servers", src->get_cname(),
             dst->get_cname());
  const int qps = connections_ / nics_;
  std::vector<int*> placed;
  RouteLinks route;
  placing_ = &placed;
  for (int ks = 0; ks < nics_; ++ks)
    for (int kd = 0; kd < nics_; ++kd)
      for (int q = 0; q < qps; ++q)
        server_to_server(s, d, ks, {static_cast<long long>(s) * nics_ + ks, static_cast<long long>(d) * nics_ + kd, q},
                         route);
  placing_ = nullptr;
  for (int* cell : placed) --*cell;
  for (auto* l : route) links.push_back(iface_.at(l));
  return static_cast<double>(connections_) / (static_cast<double>(nics_) * nics_ * qps);
}

int RoutedZone::server_index(const sg4::Host* host) const {
  const NetPoint* np = host->get_netpoint();
  if (np == nullptr || np->id() >= endpoint_.size()) return -1;
  return endpoint_[np->id()] >= 0 ? endpoint_[np->id()] : -1;
}

size_t release_routes(const std::vector<sg4::Host*>& servers) {
  auto* zone = dynamic_cast<RoutedZone*>(sg4::Engine::get_instance()->get_netzone_root()->get_impl());
  if (zone == nullptr) return 0;
  std::vector<int> indices;
  indices.reserve(servers.size());
  for (const sg4::Host* h : servers) indices.push_back(zone->server_index(h));
  return zone->release_servers(indices);
}

}  // namespace clustersim
