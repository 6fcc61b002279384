#include "topologies/fabric_components.hpp"

#include <fmt/format.h>

#include <cmath>

#include "common/units.hpp"

namespace clustersim {

namespace {

bool same_bps(double a, double b) { return std::abs(a - b) <= 1e-9 * std::max(a, b); }

std::string bps(double value) { return format_quantity(value, Quantity::kBandwidth); }

template <typename T>
std::string list_with_bandwidth(const std::map<std::string, T>& entries, double T::*bandwidth) {
  std::string out;
  for (const auto& [name, e] : entries)
    out += fmt::format("{}{} ({})", out.empty() ? "" : ", ", name, bps(e.*bandwidth));
  return out.empty() ? "none" : out;
}

SwitchSpec named_switch(const std::string& name, double link_bps, const Catalog& catalog) {
  const auto it = catalog.switches.find(name);
  if (it == catalog.switches.end())
    throw TopologyError(fmt::format("unknown switch '{}'", name),
                        "catalog switches: " + list_with_bandwidth(catalog.switches, &SwitchSpec::port_bandwidth_bps));
  SwitchSpec sw = it->second;
  const double ratio = sw.port_bandwidth_bps / link_bps;
  const int breakout = static_cast<int>(std::lround(ratio));
  if (breakout < 1 || std::abs(ratio - breakout) > 1e-9 * ratio)
    throw TopologyError(fmt::format("switch '{}' has {} ports, which cannot carry {} links", name,
                                    bps(sw.port_bandwidth_bps), bps(link_bps)),
                        "choose a switch whose port speed is the link speed (or a multiple of it): " +
                            list_with_bandwidth(catalog.switches, &SwitchSpec::port_bandwidth_bps));
  sw.radix *= breakout;
  sw.port_bandwidth_bps = link_bps;
  sw.port_w /= breakout;
  return sw;
}

SwitchSpec switch_by_speed(double link_bps, const Catalog& catalog) {
  const SwitchSpec* best = nullptr;
  for (const auto& [name, sw] : catalog.switches)
    if (same_bps(sw.port_bandwidth_bps, link_bps) && (best == nullptr || sw.radix > best->radix)) best = &sw;
  if (best == nullptr)
    throw TopologyError(fmt::format("no switch with {} ports in the catalog", bps(link_bps)),
                        "add one under switches: or choose a link speed the catalog has: " +
                            list_with_bandwidth(catalog.switches, &SwitchSpec::port_bandwidth_bps));
  return *best;
}

NicSpec select_nic(const std::string& name, double link_bps, const Catalog& catalog) {
  const std::string nics = list_with_bandwidth(catalog.nics, &NicSpec::bandwidth_bps);
  if (!name.empty()) {
    const auto it = catalog.nics.find(name);
    if (it == catalog.nics.end()) throw TopologyError(fmt::format("unknown NIC '{}'", name), "catalog NICs: " + nics);
    if (it->second.bandwidth_bps < link_bps * (1 - 1e-9))
      throw TopologyError(
          fmt::format("NIC '{}' ({}) is slower than the {} links", name, bps(it->second.bandwidth_bps), bps(link_bps)),
          "choose a NIC at least as fast as the link: " + nics);
    return it->second;
  }
  const NicSpec* faster = nullptr;
  for (const auto& [n, nic] : catalog.nics) {
    if (same_bps(nic.bandwidth_bps, link_bps)) return nic;
    if (nic.bandwidth_bps > link_bps && (faster == nullptr || nic.bandwidth_bps < faster->bandwidth_bps)) faster = &nic;
  }
  if (faster == nullptr)
    throw TopologyError(fmt::format("no NIC of {} or faster in the catalog", bps(link_bps)),
                        "add one under nics: or choose a slower link; catalog NICs: " + nics);
  return *faster;
}

TransceiverSpec select_transceiver(double link_bps, const std::string& optics, const Catalog& catalog) {
  std::string kinds_at_speed, all;
  for (const auto& [name, t] : catalog.transceivers) {
    if (same_bps(t.bandwidth_bps, link_bps)) {
      if (t.kind == optics) return t;
      kinds_at_speed += (kinds_at_speed.empty() ? "" : ", ") + t.kind;
    }
    all += fmt::format("{}{} ({} {})", all.empty() ? "" : ", ", name, bps(t.bandwidth_bps), t.kind);
  }
  throw TopologyError(
      fmt::format("no {} {} transceiver in the catalog", bps(link_bps), optics),
      fmt::format("add one under transceivers: or choose optics {}; catalog transceivers: {}",
                  kinds_at_speed.empty() ? "(none at this speed)" : kinds_at_speed, all.empty() ? "none" : all));
}

}  // namespace

FabricComponents select_fabric_components(const std::string& switch_name, const std::string& nic_name, double link_bps,
                                          const std::string& optics, const Catalog& catalog) {
  if (!(link_bps > 0))
    throw TopologyError(fmt::format("link bandwidth must be positive (got {} bit/s)", link_bps),
                        "set fabric link, e.g. 400Gbps");
  FabricComponents c;
  c.sw = select_switch(switch_name, link_bps, catalog);
  c.nic = select_nic(nic_name, link_bps, catalog);
  c.transceiver = select_transceiver(link_bps, optics, catalog);
  return c;
}

SwitchSpec select_switch(const std::string& switch_name, double link_bps, const Catalog& catalog) {
  return switch_name.empty() ? switch_by_speed(link_bps, catalog) : named_switch(switch_name, link_bps, catalog);
}

}  // namespace clustersim
