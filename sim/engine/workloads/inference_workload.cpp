#include "sim/engine/workloads/inference_workload.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <xbt/asserts.h>
#include <xbt/log.h>

#include "sim/engine/results_builder.hpp"
#include "sim/engine/service_builder.hpp"
#include "spec/cluster_pools.hpp"

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(cs_inference_workload, clustersim, "inference workload: placement and launch");

namespace clustersim {

uint64_t service_seed(uint64_t seed, size_t index) { return seed * 1000003ULL + index * 7919ULL + 1; }

namespace {

/// Tidal sharing: the servers of `svc` beyond what its plan holds are lent to the pool's training jobs, from the
/// last server of the service down, and taken back when the plan grows.
void post_lending(const InferenceServiceRuntime& svc, const std::vector<ReplicaSlot>& slots,
                  const std::set<int>& shared, ServerLending& lending) {
  std::vector<int> servers;  // in slot order, each once
  for (const ReplicaSlot& r : slots)
    if (servers.empty() || servers.back() != r.server) servers.push_back(r.server);
  const int per_server = replicas_per_server(slots);
  int held = static_cast<int>(servers.size());
  for (size_t i = 0; i < svc.plan.time_s.size(); ++i) {
    const int need = std::min(static_cast<int>(servers.size()),
                              (svc.plan.allocated[i] + std::max(1, per_server) - 1) / std::max(1, per_server));
    if (need == held) continue;
    LendingEvent e;
    e.time_s = svc.plan.time_s[i];
    e.pool = svc.pool;
    e.lend = need < held;
    for (int s = std::min(need, held); s < std::max(need, held); ++s)
      if (!shared.count(servers[s])) e.servers.push_back(servers[s]);  // a server another service uses stays
    held = need;
    if (!e.servers.empty()) lending.post(e);
  }
}

/// Servers that replicas of several services use.
std::set<int> shared_servers(const std::vector<std::vector<ReplicaSlot>>& slots) {
  std::map<int, std::set<size_t>> services_on;
  for (size_t k = 0; k < slots.size(); ++k)
    for (const ReplicaSlot& r : slots[k]) services_on[r.server].insert(k);
  std::set<int> out;
  for (const auto& [server, services] : services_on)
    if (services.size() > 1) out.insert(server);
  return out;
}

}  // namespace

void InferenceWorkload::place(SiteAllocator& site) {
  slots_.clear();
  for (const InferenceServiceSpec& svc : specs_) {
    ServerAllocator& servers = site.pool(svc.pool);
    std::vector<ReplicaSlot> slots;
    for (int r = 0; r < svc.replicas; ++r) {
      // Disaggregated: the decode pool starts on a fresh server, so that KV transfers leave the server.
      const bool pool_start = svc.disaggregated() && r == svc.prefill_replicas;
      slots.push_back(servers.gpus(svc.gpus(), pool_start));
    }
    slots_.push_back(std::move(slots));
  }
}

void InferenceWorkload::launch(const WorkloadContext& ctx) {
  const ExperimentSpec& spec = ctx.experiment.spec;
  const Catalog& cat = ctx.experiment.catalog;
  xbt_assert(slots_.size() == specs_.size(), "internal error: %zu inference services launched, %zu placed",
             specs_.size(), slots_.size());
  for (size_t k = 0; k < specs_.size(); ++k) {
    const InferenceServiceSpec& ss = specs_[k];
    const PoolSpec& pool = find_pool(ctx.pools, ss.pool);
    const AcceleratorSpec& gpu = cat.accelerators.at(pool.gpu);
    auto svc = build_inference_service(ss, cat.models.at(ss.model), gpu, cat.calibration.for_accelerator(gpu.name),
                                       cat.engines.at(ss.engine), slots_[k], ctx.platform.servers, ctx.tracker,
                                       ctx.end_s, service_seed(spec.seed, k),
                                       std::max(0, pool_index(ctx.pools, ss.pool)), pool.power_cap_w);
    svc->frontend = ctx.platform.frontend;
    const RequestRecords records = spec.output.request_records;
    svc->stream =
        records == RequestRecords::kStreamed || (records == RequestRecords::kAuto && ctx.end_s - ss.start_s > 86400);
    svc->spec.pool = ctx.pools.at(svc->pool).name;  // resolved ("" = the first pool)
    if (ss.autoscaled() && ss.autoscale_lend) post_lending(*svc, slots_[k], shared_servers(slots_), ctx.lending);
    launch_inference_service(*svc, ctx.tracker, ctx.end_s, spec.output.sample_interval_s);
    XBT_VERB("inference service '%s' launched: %zu of %d replicas detailed, %zu requests", ss.name.c_str(),
             svc->replicas.size(), ss.replicas, svc->requests.size());
    services_.push_back(std::move(svc));
  }
}

void InferenceWorkload::append_results(ResultsInputs& in) {
  for (auto& s : services_) in.services.push_back(s.get());
}

std::unique_ptr<Workload> make_inference_workload(const ExperimentSpec& spec) {
  if (spec.inference.empty()) return nullptr;
  return std::make_unique<InferenceWorkload>(spec.inference);
}

}  // namespace clustersim
