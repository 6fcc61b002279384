#include "sim/setup/power_budget.hpp"

#include <algorithm>
#include <cmath>

#include "common/units.hpp"
#include "models/power/gpu_power.hpp"
#include "models/power/network_power.hpp"
#include "sim/setup/facility_factory.hpp"
#include "spec/cluster_pools.hpp"

namespace clustersim {

double site_full_load_facility_w(const ClusterPowerModel& site, const std::vector<double>& cap_w, double duration_s) {
  std::vector<double> activity;
  for (size_t k = 0; k < site.params().pools.size(); ++k) {
    const PoolPowerParams& p = site.params().pools[k];
    const double cap = k < cap_w.size() && cap_w[k] > 0 ? std::min(cap_w[k], p.gpu.tdp_w) : p.gpu.tdp_w;
    activity.push_back(static_cast<double>(p.servers) * p.gpus_per_server * (cap - p.gpu.idle_w) /
                       (p.gpu.tdp_w - p.gpu.idle_w));
  }
  double worst = 0;
  for (double t = 0;; t += 3600) {
    worst = std::max(worst, site.at(activity, std::min(t, duration_s)).facility_w);
    if (t >= duration_s) break;
  }
  return worst;
}

std::optional<LoadedExperiment> with_budget_caps(const LoadedExperiment& exp, const ExperimentFabric& fabric,
                                                 double& fraction) {
  const ExperimentSpec& spec = exp.spec;
  fraction = 1;
  if (spec.facility.budget_policy != BudgetPolicy::kCap || spec.facility.power_budget_w <= 0) return std::nullopt;
  const std::vector<PoolSpec> pools = site_pools(spec.cluster);
  ClusterPowerParams cpp;
  for (const PoolSpec& p : pools)
    cpp.pools.push_back({exp.catalog.accelerators.at(p.gpu), exp.catalog.servers.at(p.server), p.servers,
                         spec.cluster.gpus_per_server});
  cpp.network_w = network_power(fabric.fabric.inventory, fabric.components).total_w();
  const ClusterPowerModel site(cpp, make_facility_model(spec.facility));
  // The caps at fraction f of each board limit (a pool's own tighter cap kept).
  const auto caps_at = [&](double f) {
    std::vector<double> caps;
    for (size_t k = 0; k < pools.size(); ++k) {
      const double tdp = cpp.pools[k].gpu.tdp_w;
      caps.push_back(pools[k].power_cap_w > 0 ? std::min(pools[k].power_cap_w, f * tdp) : f * tdp);
    }
    return caps;
  };
  const double budget = spec.facility.power_budget_w;
  double lo = 0;  // the highest idle share of a board limit: no cap may go below it
  for (const PoolPowerParams& p : cpp.pools) lo = std::max(lo, p.gpu.idle_w / p.gpu.tdp_w);
  lo += 0.01;
  if (site_full_load_facility_w(site, caps_at(1), spec.duration_s) <= budget) return std::nullopt;
  const double at_lowest = site_full_load_facility_w(site, caps_at(lo), spec.duration_s);
  if (at_lowest > budget) {
    Diagnostics d;
    d.add({exp.source_path, 0, 0}, "facility.power_budget",
          "a budget of " + format_quantity(budget, Quantity::kPower) + " is below the site's facility power with " +
              "every GPU capped just above idle (" + format_quantity(at_lowest, Quantity::kPower) + ")",
          "raise the budget, remove servers, or use budget_policy: hold (jobs wait) or report");
    throw ConfigError(d);
  }
  double hi = 1;
  for (int i = 0; i < 50; ++i) {
    const double mid = 0.5 * (lo + hi);
    (site_full_load_facility_w(site, caps_at(mid), spec.duration_s) <= budget ? lo : hi) = mid;
  }
  fraction = lo;
  LoadedExperiment capped = exp;
  const std::vector<double> caps = caps_at(lo);
  capped.spec.cluster.power_cap_w = caps.front();  // the main pool comes first when it has servers
  if (pools.front().name != spec.cluster.name) capped.spec.cluster.power_cap_w = 0;
  for (PoolSpec& p : capped.spec.cluster.pools)
    for (size_t k = 0; k < pools.size(); ++k)
      if (pools[k].name == p.name) p.power_cap_w = caps[k];
  return capped;
}

}  // namespace clustersim
