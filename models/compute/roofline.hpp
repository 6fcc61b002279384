#pragma once
/// @file
/// Roofline timing of GPU work: time = max(FLOPs / (peak x matmul efficiency),
/// bytes / (HBM bandwidth x memory efficiency)). The efficiencies are calibration data
/// (data/catalog/calibration.yaml), not constants in code.

namespace clustersim {

struct RooflineParams {
  double peak_flops = 0;           ///< dense peak at the precision used, FLOP/s
  double hbm_bandwidth_Bps = 0;    ///< B/s
  double matmul_efficiency = 0.5;  ///< achieved / peak FLOP/s
  double memory_efficiency = 0.8;  ///< achieved / peak bandwidth
};

/// Time of work that performs `flops` and moves `bytes` through HBM, in s.
double roofline_time_s(double flops, double bytes, const RooflineParams& p);

/// True when the work is limited by memory bandwidth rather than compute.
bool roofline_memory_bound(double flops, double bytes, const RooflineParams& p);

/// Time of an all-reduce of `bytes` per rank over `ranks` ranks inside a scale-up domain (NVLink/NVSwitch),
/// ring bandwidth term 2(n-1)/n x bytes / bandwidth_Bps, plus `alpha_s` once for the whole collective (kernel
/// launch and synchronisation: NCCL's small-message all-reduce inside one NVSwitch server takes ~10 us in total,
/// not 2(n-1) network steps). 0 for one rank.
double ring_allreduce_time_s(double bytes, int ranks, double bandwidth_Bps, double alpha_s);

}  // namespace clustersim
