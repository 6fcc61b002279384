#include "sim/collectives/collective_plan.hpp"

namespace clustersim {

double CollectivePlan::ideal_time_s(double server_bandwidth_Bps) const {
  return analytic_s() + (wire_bytes > 0 ? wire_bytes / server_bandwidth_Bps : 0);
}

int ceil_log2(int n) {
  int depth = 0;
  while ((1LL << depth) < n) ++depth;
  return depth;
}

CollectivePlan plan_collective(const CollectiveGroupParams& p, int servers, CollectiveOp op, CollectiveAlgo algo,
                               double bytes_per_rank) {
  const double N = servers;
  const double g = p.communicator_gpus_per_server;
  const double c = p.ranks_per_server / p.communicator_gpus_per_server;
  const double n = N * g;
  const double B = bytes_per_rank;
  // Reduce-scatter (or all-gather) of B over the g GPUs of one server, over NVLink.
  const double intra_s = (g - 1) / g * B / p.scaleup_bandwidth_Bps + (g - 1) * p.scaleup_alpha_s;

  CollectivePlan plan;
  if (op == CollectiveOp::kAllToAll) algo = CollectiveAlgo::kDirect;
  if (algo == CollectiveAlgo::kDirect && op != CollectiveOp::kAllToAll) algo = CollectiveAlgo::kRing;
  if (algo == CollectiveAlgo::kTree && op != CollectiveOp::kAllReduce) algo = CollectiveAlgo::kRing;
  plan.algorithm = algo;

  if (op == CollectiveOp::kAllToAll) {
    plan.intra_before_s = g > 1 ? (g - 1) / n * B / p.scaleup_bandwidth_Bps + p.scaleup_alpha_s : 0;
    if (servers > 1) {
      plan.wire_bytes = c * g * (N - 1) / N * B;
      plan.latency_s = (N - 1) * p.alpha_s;  // one message to each other server (the training step model's term)
    }
    return plan;
  }
  const bool reduces = op != CollectiveOp::kAllGather;      // a reduce-scatter step first
  const bool gathers = op != CollectiveOp::kReduceScatter;  // an all-gather step last
  const double steps = (reduces && gathers) ? 2 : 1;        // all-reduce = reduce-scatter + all-gather
  if (servers == 1) {                                       // nothing crosses the fabric
    plan.intra_before_s = reduces ? intra_s : 0;
    plan.intra_after_s = gathers ? intra_s : 0;
    return plan;
  }
  switch (algo) {
    case CollectiveAlgo::kTree:
      plan.intra_before_s = intra_s;
      plan.intra_after_s = intra_s;
      plan.wire_bytes = 2 * c * B;
      plan.latency_s = 2 * ceil_log2(servers) * p.alpha_s;
      break;
    case CollectiveAlgo::kHierarchical:
      plan.intra_before_s = reduces ? intra_s : 0;
      plan.intra_after_s = gathers ? intra_s : 0;
      plan.wire_bytes = c * steps * (N - 1) / N * B;
      plan.latency_s = steps * (N - 1) * p.alpha_s;
      break;
    default:  // ring over all n ranks
      plan.algorithm = CollectiveAlgo::kRing;
      plan.wire_bytes = c * steps * (n - 1) / n * B;
      plan.latency_s = steps * (n - 1) * p.alpha_s;
      break;
  }
  return plan;
}

}  // namespace clustersim
