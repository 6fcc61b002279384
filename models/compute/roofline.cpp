#include "models/compute/roofline.hpp"

#include <algorithm>

namespace clustersim {

double roofline_time_s(double flops, double bytes, const RooflineParams& p) {
  const double compute_s = flops / (p.peak_flops * p.matmul_efficiency);
  const double memory_s = bytes / (p.hbm_bandwidth_Bps * p.memory_efficiency);
  return std::max(compute_s, memory_s);
}

bool roofline_memory_bound(double flops, double bytes, const RooflineParams& p) {
  return bytes / (p.hbm_bandwidth_Bps * p.memory_efficiency) > flops / (p.peak_flops * p.matmul_efficiency);
}

double ring_allreduce_time_s(double bytes, int ranks, double bandwidth_Bps, double alpha_s) {
  if (ranks <= 1) return 0;
  const double n = ranks;
  return 2.0 * (n - 1) / n * bytes / bandwidth_Bps + alpha_s;
}

}  // namespace clustersim
