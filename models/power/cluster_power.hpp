#pragma once
/// @file
/// Cluster IT and facility power as a function of GPU activity. Every term is linear in the summed GPU
/// activity A = sum over GPUs of activity in [0, 1] (0 = idle, 1 = board power limit):
///   GPU        = gpus x idle_w + (tdp_w - idle_w) x A
///   server     = servers x overhead_idle_w + (overhead_max_w - overhead_idle_w) x A / gpus_per_server
///   network    = switches + transceivers + NICs (constant; see models/power/network_power.hpp)
///   IT         = GPU + server + network;  facility = FacilityModel(IT, t)
/// so IT energy follows exactly from the time integral of A. The model owns the facility model
/// (models/power/facility_model.hpp) and is the only place that turns IT power or energy into facility
/// figures.

#include <memory>

#include "models/power/facility_model.hpp"
#include "spec/catalog.hpp"

namespace clustersim {

struct ClusterPowerParams {
  AcceleratorSpec gpu;
  ServerSpec server;
  int servers = 0;
  int gpus_per_server = 8;
  double network_w = 0;
};

/// Power components at one instant, W.
struct PowerBreakdown {
  double gpu_w = 0;
  double server_w = 0;  ///< non-GPU server power
  double network_w = 0;
  double it_w = 0;
  double facility_w = 0;  ///< from the facility model
};

class ClusterPowerModel {
 public:
  /// `facility` must not be null (sim/setup/facility_factory.hpp builds it from the experiment).
  ClusterPowerModel(const ClusterPowerParams& params, std::unique_ptr<const FacilityModel> facility);

  /// Power at summed GPU activity `activity_sum` (in GPU-equivalents, 0..gpus) at simulated time `t_s`.
  PowerBreakdown at(double activity_sum, double t_s) const;
  /// Mean power over [t0_s, t1_s) whose activity integral is `activity_integral` (GPU x s).
  PowerBreakdown mean_over(double activity_integral, double t0_s, double t1_s) const;
  /// IT energy attributable to a group of `gpus` GPUs over `duration_s` whose activity integral is
  /// `activity_integral` (GPU x s): their GPU power, their share of server overhead, and a share of the
  /// network proportional to their GPU count. J.
  double group_it_energy_j(int gpus, double activity_integral, double duration_s) const;
  /// Facility energy of such a group over [t0_s, t1_s): its IT energy through the facility model, J.
  double group_facility_energy_j(int gpus, double activity_integral, double t0_s, double t1_s) const;

  int gpus() const { return p_.servers * p_.gpus_per_server; }

  const ClusterPowerParams& params() const { return p_; }

  const FacilityModel& facility() const { return *facility_; }

 private:
  ClusterPowerParams p_;
  std::unique_ptr<const FacilityModel> facility_;
};

/// Power of one GPU at `activity` in [0, 1], W.
double gpu_power_w(const AcceleratorSpec& gpu, double activity);

}  // namespace clustersim
