#include "sim/setup/failure_plan.hpp"

#include <algorithm>
#include <map>
#include <random>

#include "common/random.hpp"
#include "common/units.hpp"

namespace clustersim {

namespace {

/// Streams of the experiment seed used here (job streams use 0..n-1 of their own seed function's space).
constexpr uint64_t kFailureStream = 0x6661696c;    // "fail"
constexpr uint64_t kStragglerStream = 0x736c6f77;  // "slow"

int components_of(FailureScope scope, int servers, int gpus_per_server, int groups, int spines, int cores) {
  switch (scope) {
    case FailureScope::kGpu:
    case FailureScope::kNic: return servers * gpus_per_server;
    case FailureScope::kServer: return servers;
    case FailureScope::kLeaf: return groups;
    case FailureScope::kSpine: return spines;
    case FailureScope::kCore: return cores;
  }
  return 0;
}

}  // namespace

double FailurePlan::job_mtbf_s(int gpus, int servers, int leaves) const {
  std::vector<double> counts;
  for (const FailureScope s : scopes)
    counts.push_back(s == FailureScope::kSpine || s == FailureScope::kCore ? 0  // degrades, stops no job
                     : s == FailureScope::kLeaf                            ? leaves
                     : s == FailureScope::kServer                          ? servers
                                                                           : gpus);
  return mean_time_between_failures_s(classes, counts);
}

double FailurePlan::packed_job_mtbf_s(int gpus) const {
  const int servers = (gpus + gpus_per_server - 1) / gpus_per_server;
  return job_mtbf_s(gpus, servers, (servers + servers_per_group - 1) / std::max(1, servers_per_group));
}

FailurePlan make_failure_plan(const ExperimentSpec& spec, const Catalog& catalog, const std::vector<int>& group_of,
                              const std::vector<SpinePlane>& planes) {
  FailurePlan plan;
  plan.planes = planes;
  const FailureSpec& f = spec.failures;
  const ReliabilitySpec& r = catalog.reliability;
  const int servers = static_cast<int>(group_of.size());
  plan.gpus_per_server = std::max(1, spec.cluster.gpus_per_server);
  std::map<int, int> group_size;
  for (int g : group_of) plan.servers_per_group = std::max(plan.servers_per_group, ++group_size[g]);
  plan.active = f.active();
  plan.detection_s = f.detection_s > 0 ? f.detection_s : r.detection_s;
  plan.restart_s = f.restart_s > 0 ? f.restart_s : r.restart_s;
  plan.store.write_bandwidth_Bps = bytes_per_s(spec.storage.write_bandwidth_bps > 0 ? spec.storage.write_bandwidth_bps
                                                                                    : r.storage_write_bandwidth_bps);
  plan.store.read_bandwidth_Bps = spec.storage.read_bandwidth_bps > 0 ? bytes_per_s(spec.storage.read_bandwidth_bps)
                                                                      : plan.store.write_bandwidth_Bps;
  plan.store.per_server_bandwidth_Bps = bytes_per_s(spec.storage.per_server_bandwidth_bps);
  plan.store.latency_s = spec.storage.latency_s > 0 ? spec.storage.latency_s : r.storage_latency_s;

  // Stragglers only when asked for: failures.stragglers (the catalog's public figures) or an explicit fraction.
  const double fraction = f.straggler_fraction >= 0 ? f.straggler_fraction : f.stragglers ? r.straggler_fraction : 0.0;
  const double slowdown = f.straggler_slowdown >= 0 ? f.straggler_slowdown : r.straggler_slowdown;
  if (fraction > 0 && slowdown != 1) {
    std::mt19937_64 rng(substream_seed(spec.seed, kStragglerStream));
    plan.server_slowdown.assign(servers, 1.0);
    for (int s = 0; s < servers; ++s)
      if (uniform_open1(rng) < fraction) plan.server_slowdown[s] = std::max(1.0, slowdown);
  }
  if (!plan.active) return plan;

  const int groups = group_of.empty() ? 0 : *std::max_element(group_of.begin(), group_of.end()) + 1;
  int spines = 0, cores = 0;
  for (const SpinePlane& p : planes) (p.core ? cores : spines) += p.spines;
  std::vector<double> repair;
  for (const auto& [name, c] : catalog.failure_classes) {
    plan.class_names.push_back(name);
    plan.scopes.push_back(c.scope);
    plan.classes.push_back({name, components_of(c.scope, servers, plan.gpus_per_server, groups, spines, cores),
                            c.rate_per_hour / 3600.0 * f.rate_scale, c.weibull_shape});
    repair.push_back(c.repair_s * f.repair_scale);
  }
  std::vector<ComponentFailure> drawn;
  if (f.enabled) drawn = draw_failures(plan.classes, spec.duration_s, substream_seed(spec.seed, kFailureStream));
  for (const ForcedFailureSpec& forced : f.forced) {
    const auto it = std::find(plan.class_names.begin(), plan.class_names.end(), forced.failure_class);
    drawn.push_back({forced.time_s, static_cast<int>(it - plan.class_names.begin()), forced.component});
  }
  std::stable_sort(drawn.begin(), drawn.end(),
                   [](const ComponentFailure& a, const ComponentFailure& b) { return a.time_s < b.time_s; });
  for (const ComponentFailure& d : drawn) {
    FailureEvent e{d.time_s, d.failure_class, d.component, {}, repair.at(d.failure_class)};
    switch (plan.scopes.at(d.failure_class)) {
      case FailureScope::kGpu:
      case FailureScope::kNic: e.servers.push_back(d.component / plan.gpus_per_server); break;
      case FailureScope::kServer: e.servers.push_back(d.component); break;
      case FailureScope::kLeaf:
        for (int s = 0; s < servers; ++s)
          if (group_of[s] == d.component) e.servers.push_back(s);
        break;
      case FailureScope::kSpine:  // the pod plane of spine `component` (planes in order, each with its spines)
        for (int k = d.component, p = 0; p < static_cast<int>(planes.size()) && !planes[p].core;
             k -= planes[p++].spines)
          if (k < planes[p].spines) {
            e.plane = p;
            break;
          }
        break;
      case FailureScope::kCore:  // the core plane
        for (int p = 0; p < static_cast<int>(planes.size()); ++p)
          if (planes[p].core && d.component < planes[p].spines) e.plane = p;
        break;
    }
    plan.events.push_back(std::move(e));
  }
  return plan;
}

}  // namespace clustersim
