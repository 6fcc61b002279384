#pragma once
/// @file
/// GPU board power from what the GPU does, and what a power cap does to it.
///
/// Power is written as an activity a in [0, 1] of the board's dynamic range: P = idle + (TDP - idle) x a
/// (models/power/cluster_power.hpp sums it over the site). A phase of work that keeps the tensor cores at
/// utilization u_c (achieved / peak FLOP/s at the phase's precision, kernel gaps included) and HBM at u_m
/// (achieved / peak bandwidth) asks for
///   demand = busy + compute x u_c + memory x u_m
/// where `busy` is what any running kernel costs above idle (SM clock tree, leakage at full voltage, L2/NoC),
/// `compute` the tensor-core and register-file switching at full utilization and `memory` the HBM, its PHYs
/// and memory controllers at full bandwidth (calibration.yaml, fitted on the power anchors of
/// data/validation/power.yaml). Communication phases (NCCL kernels polling, copy engines) have their own
/// activity. A demand above the board limit is what power-limited GEMMs do: the firmware lowers the SM clock
/// until the board draws its limit (the training efficiencies were fitted at that limit, so nothing slows at
/// the default limit).
///
/// Power cap (nvidia-smi -pl): the limit becomes cap_w < TDP. The clock-scalable part of the demand
/// (busy + compute x u_c) scales with the SM clock ratio r as r^gamma (dynamic power ~ f V^2 with V rising
/// with f), the memory part does not (HBM keeps its clock). The clock ratio relative to the uncapped state is
///   r = ((a_cap - memory x u_m) / (S x s_tdp))^(1/gamma), clamped to [min_clock_ratio, 1],
/// with S = busy + compute x u_c and s_tdp the scale the board already applies at its TDP limit. Compute-bound
/// time scales as 1/r; memory-bound time does not change; power is then min(demand, a_cap) (at r_min a phase
/// that still exceeds the cap draws what it draws at r_min).

#include "spec/catalog.hpp"

namespace clustersim {

struct GpuPowerParams {
  double idle_w = 0;                    ///< board power with nothing running, W
  double tdp_w = 0;                     ///< board power limit (TDP), W
  double cap_w = 0;                     ///< power cap, W; 0 or >= tdp_w = none
  double busy_activity = 0.1;           ///< activity of any running kernel above idle
  double compute_activity = 1.2;        ///< activity per unit tensor-core utilization
  double memory_activity = 0.3;         ///< activity per unit HBM bandwidth utilization
  double communication_activity = 0.3;  ///< activity while running/awaiting collectives
  double dvfs_exponent = 2.5;           ///< power of the clock-scalable part ~ clock^gamma
  double min_clock_ratio = 0.4;         ///< lowest SM clock the firmware goes to, / the maximum clock
};

/// What a phase does to the GPU: utilizations in [0, 1].
struct GpuLoad {
  double compute_utilization = 0;  ///< achieved / peak FLOP/s (tensor cores)
  double memory_utilization = 0;   ///< achieved / peak HBM bandwidth
};

/// A phase's demand split by what a clock change does to it: `scalable` (busy + compute, and collectives, which
/// run at the SM clock) scales with the clock, `fixed` (HBM) does not. Linear in time: the demand of a mix of
/// phases is their time-weighted mean, and the board limit (or a cap) acts on that mean (its controller averages
/// over far longer than one layer's phases).
struct PowerDemand {
  double scalable = 0;
  double fixed = 0;
};

/// The parameters for `gpu` with `calibration`'s power constants and a cap of `cap_w` (0 = none).
GpuPowerParams gpu_power_params(const AcceleratorSpec& gpu, const CalibrationSpec& calibration, double cap_w = 0);

class GpuPowerModel {
 public:
  /// Throws std::invalid_argument when tdp <= idle, a constant is negative or not finite, gamma < 1, the clock
  /// ratio is not in (0, 1], or the cap is at or below idle.
  explicit GpuPowerModel(const GpuPowerParams& params);

  /// What the phase asks for, may exceed 1 (a power-limited GEMM).
  double demand(const GpuLoad& load) const;
  /// The same demand split into its clock-scalable and fixed parts.
  PowerDemand split_demand(const GpuLoad& load) const;
  /// A collective's demand (the communication activity, at the SM clock).
  PowerDemand communication_demand() const { return {p_.communication_activity, 0}; }
  /// The activity the board draws in the phase (the demand limited by the board limit or the cap).
  double activity(const GpuLoad& load) const { return demand_activity(split_demand(load)); }
  /// The activity the board draws for a demand (e.g. the time-weighted mean of a mix of phases).
  double demand_activity(const PowerDemand& demand) const;
  /// The SM clock under the cap relative to the uncapped board (1 when the cap does not bind).
  double clock_ratio(const GpuLoad& load) const { return demand_clock_ratio(split_demand(load)); }
  double demand_clock_ratio(const PowerDemand& demand) const;
  /// The activity at the cap (1 without one).
  double cap_activity() const { return cap_activity_; }
  /// Activity while communicating (limited by the cap).
  double communication_activity() const;
  /// Board power at `activity`, W.
  double power_w(double activity) const { return p_.idle_w + (p_.tdp_w - p_.idle_w) * activity; }
  const GpuPowerParams& params() const { return p_; }

 private:
  /// The scale the board already applies at its own limit to a demand's scalable part.
  static double at_tdp(const PowerDemand& d);

  GpuPowerParams p_;
  double cap_activity_ = 1;
};

}  // namespace clustersim
