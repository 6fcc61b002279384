#include "sim/setup/training_layout.hpp"

#include <fmt/format.h>

#include <vector>

#include "common/units.hpp"
#include "spec/cluster_pools.hpp"

namespace clustersim {

TrainingLayout training_layout(const TrainingJobSpec& j, const ExperimentSpec& spec, const Catalog& catalog) {
  TrainingLayout l;
  l.model = catalog.models.at(j.model);
  const std::vector<PoolSpec> pools = site_pools(spec.cluster);
  const PoolSpec& pool = find_pool(pools, j.pool);
  l.gpu = catalog.accelerators.at(pool.gpu);
  l.calibration = catalog.calibration.for_accelerator(l.gpu.name);  // per-GPU values resolved once, here
  l.power_cap_w = pool.power_cap_w;
  l.tp = j.tp;
  l.pp = j.pp;
  l.dp = j.dp;
  l.cp = j.cp;
  l.ep = j.ep;
  l.virtual_stages = j.virtual_stages;
  l.zero_stage = j.zero_stage;
  l.distributed_optimizer = j.distributed_optimizer;
  l.overlap_grad_reduce = j.overlap_grad_reduce;
  l.overlap_tp_comm = j.overlap_tp_comm;
  l.overlap_ep_comm = j.overlap_ep_comm;
  l.moe_max_nodes = j.moe_max_nodes;
  l.order = j.order;
  l.moe_dispatch_bytes = precision_bytes_x2(j.moe_dispatch_precision) / 2.0;
  l.moe_expert_skew = j.moe_expert_skew;
  l.sequence_parallel = j.sequence_parallel;
  l.flash_attention = j.flash_attention;
  l.grad_reduce_bytes = j.grad_reduce_bytes;
  l.micro_batch = j.micro_batch;
  l.global_batch = j.global_batch;
  l.seq_len = j.seq_len;
  l.precision = j.precision;
  l.recompute = j.recompute;
  l.gpus_per_server = spec.cluster.gpus_per_server;
  if (pool.scaleup_bandwidth_bps > 0) l.gpu.scaleup_bandwidth_Bps = bytes_per_s(pool.scaleup_bandwidth_bps);
  if (pool.scaleup_domain > 0) l.gpu.scaleup_domain = pool.scaleup_domain;
  if (spec.cluster.gpus_per_server > 0)
    l.scaleout_bandwidth_Bps = bytes_per_s(nic_effective_bps(spec.fabric.link_bps, pool.nic_host_bandwidth_bps) *
                                           spec.fabric.nics_per_server / spec.cluster.gpus_per_server);
  return l;
}

namespace {

double gb(double bytes) { return bytes / 1e9; }

double need(const TrainingLayout& l) { return memory_per_gpu(memory_layout(l)).total(); }

}  // namespace

std::string memory_fit_error(const TrainingLayout& l, std::string& hint) {
  const MemoryPerGpu mem = memory_per_gpu(memory_layout(l));
  const double have = l.gpu.hbm_bytes;
  if (have <= 0 || mem.total() <= have) return "";
  // Changes that keep the GPU count, in the order a practitioner tries them.
  struct Variant {
    std::string what;
    TrainingLayout layout;
  };
  std::vector<Variant> variants;
  auto add = [&](const std::string& what, auto change) {
    TrainingLayout v = l;
    change(v);
    variants.push_back({what, v});
  };
  if (l.recompute != Recompute::kSelective && l.recompute != Recompute::kFull)
    add("recompute: selective", [](TrainingLayout& v) { v.recompute = Recompute::kSelective; });
  if (l.recompute != Recompute::kFull)
    add("recompute: full", [](TrainingLayout& v) { v.recompute = Recompute::kFull; });
  if (l.zero_stage < 1 && !l.distributed_optimizer)
    add("distributed_optimizer: true", [](TrainingLayout& v) { v.distributed_optimizer = true; });
  if (l.zero_stage < 3) add("zero_stage: 3", [](TrainingLayout& v) { v.zero_stage = 3; });
  if (l.micro_batch > 1) add("micro_batch: 1", [](TrainingLayout& v) { v.micro_batch = 1; });
  if (l.dp % 2 == 0)
    add(fmt::format("pp: {} with dp: {}", 2 * l.pp, l.dp / 2), [](TrainingLayout& v) {
      v.pp *= 2;
      v.dp /= 2;
    });
  if (l.dp % 2 == 0 && 2 * l.tp <= l.gpu.scaleup_domain)
    add(fmt::format("tp: {} with dp: {}", 2 * l.tp, l.dp / 2), [](TrainingLayout& v) {
      v.tp *= 2;
      v.dp /= 2;
    });
  std::string fits;
  for (const auto& v : variants) {
    const double n = need(v.layout);
    if (n <= have) fits += fmt::format("{}{} ({:.1f} GB)", fits.empty() ? "" : "; ", v.what, gb(n));
  }
  hint = fits.empty() ? "none of recompute, ZeRO-3, 2x pp or 2x tp fits alone: use more GPUs per model replica"
                      : "would fit: " + fits;
  return fmt::format(
      "needs {:.1f} GB per GPU (weights {:.1f}, gradients {:.1f}, optimizer {:.1f}, activations {:.1f} GB) but {} has "
      "{:.1f} GB: {:.1f} GB too much",
      gb(mem.total()), gb(mem.weights), gb(mem.gradients), gb(mem.optimizer), gb(mem.activations), l.gpu.name, gb(have),
      gb(mem.total() - have));
}

}  // namespace clustersim
