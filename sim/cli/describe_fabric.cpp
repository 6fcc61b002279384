#include "sim/cli/describe_fabric.hpp"
#include "spec/cluster_pools.hpp"

#include <fmt/format.h>

#include "common/units.hpp"
#include "models/power/network_power.hpp"

namespace clustersim {

namespace {

std::string q(double value, Quantity unit) { return format_quantity(value, unit); }

}  // namespace

std::string describe_fabric(const ExperimentSpec& spec, const ExperimentFabric& built) {
  const Fabric& f = built.fabric;
  const FabricComponents& c = built.components;
  const FabricInventory& inv = f.inventory;
  const NetworkPower power = network_power(inv, c);
  const double gpus = static_cast<double>(spec.cluster.servers) * spec.cluster.gpus_per_server;
  const int radix = f.params.tree.radix;
  std::string out;
  out += fmt::format("topology     {}\n", f.summary());
  const std::vector<PoolSpec> pools = site_pools(spec.cluster);
  if (pools.size() == 1) {
    out += fmt::format("servers      {} x {} GPUs ({}) = {} GPUs\n", spec.cluster.servers, spec.cluster.gpus_per_server,
                       spec.cluster.gpu, static_cast<long long>(gpus));
  } else {
    out += fmt::format("servers      {} x {} GPUs = {} GPUs, in {} pools\n", spec.cluster.servers,
                       spec.cluster.gpus_per_server, static_cast<long long>(gpus), pools.size());
    for (const PoolSpec& p : pools)
      out += fmt::format("  pool {:<10} servers {}-{}: {} x {} ({}), scale-up {} GPUs\n", p.name, p.first_server,
                         p.first_server + p.servers - 1, p.servers, p.gpu, p.server, p.scaleup_domain);
  }
  out += fmt::format("scale-up     {} GPUs per domain ({} server(s)), {:.4g} GB/s per GPU per direction\n",
                     spec.cluster.scaleup_domain, f.scaleup_domain_servers, f.scaleup_bandwidth_Bps / 1e9);
  out += fmt::format("links        {} ({} transceivers), switch {} (radix {} at the link speed)\n",
                     q(spec.fabric.link_bps, Quantity::kBandwidth), optics_name(spec.fabric.optics), c.sw.name, radix);
  out += "\nswitch tier     switches   ports used   radix        power\n";
  for (size_t i = 0; i < inv.switch_tiers.size(); ++i) {
    const SwitchTierCount& t = inv.switch_tiers[i];
    out += fmt::format("  {:<12} {:>9} {:>12} {:>7} {:>12}\n", t.name, t.switches, t.ports_used, radix,
                       q(power.switch_tier_w(t.name), Quantity::kPower));
  }
  out += "\nlink tier          cables        speed   transceivers (kind)        power\n";
  for (const LinkTierCount& t : inv.link_tiers)
    out +=
        fmt::format("  {:<14} {:>9} {:>12} {:>14} ({}) {:>12}\n", t.name, t.cables, q(t.link_bps, Quantity::kBandwidth),
                    t.transceiver_ends, c.transceiver.kind, q(power.link_tier_w(t.name), Quantity::kPower));
  out += fmt::format("\nNICs         {} x {} ({}) = {}\n", inv.nics, c.nic.name, q(c.nic.power_w, Quantity::kPower),
                     q(power.nics_w, Quantity::kPower));
  out += fmt::format("totals       {} switches, {} cables, {} transceivers\n", inv.total_switches(), inv.total_cables(),
                     2 * inv.total_cables());
  out += fmt::format("power        {} network ({} per GPU): switches {}, transceivers {}, NICs {}\n",
                     q(power.total_w(), Quantity::kPower), q(power.total_w() / gpus, Quantity::kPower),
                     q(power.switches_w(), Quantity::kPower), q(power.transceivers_w(), Quantity::kPower),
                     q(power.nics_w, Quantity::kPower));
  out +=
      fmt::format("bisection    {} ({} per GPU), one direction\n", q(inv.bisection_bandwidth_bps, Quantity::kBandwidth),
                  q(inv.bisection_bandwidth_bps / gpus, Quantity::kBandwidth));
  out += fmt::format("hops         diameter {} switches, mean {:.3f} switches between two servers\n",
                     inv.diameter_switch_hops, inv.mean_switch_hops);
  return out;
}

}  // namespace clustersim
