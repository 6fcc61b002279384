#pragma once
/// @file
/// Cluster IT and facility power as a function of GPU activity. Every term is linear in the summed GPU
/// activity A = sum over GPUs of activity in [0, 1] (0 = idle, 1 = board power limit):
///   GPU        = gpus x idle_w + (tdp_w - idle_w) x A
///   server     = servers x overhead_idle_w + (overhead_max_w - overhead_idle_w) x A / gpus_per_server
///   network    = switches + transceivers + NICs (constant; see models/power/network_power.hpp)
///   IT         = GPU + server + network;  facility = FacilityModel(IT, t)
/// so IT energy follows exactly from the time integral of A. A site of several accelerator pools has the GPU and
/// server terms per pool (each pool's A, GPU and server entries) and one network and facility: IT power is then
/// linear in the vector of the pools' A. The model owns the facility model
/// (models/power/facility_model.hpp) and is the only place that turns IT power or energy into facility
/// figures.

#include <memory>
#include <vector>

#include "models/power/facility_model.hpp"
#include "spec/catalog.hpp"

namespace clustersim {

/// One accelerator pool's servers.
struct PoolPowerParams {
  AcceleratorSpec gpu;
  ServerSpec server;
  int servers = 0;
  int gpus_per_server = 8;
};

struct ClusterPowerParams {
  std::vector<PoolPowerParams> pools;  ///< at least one
  double network_w = 0;
};

/// Power components at one instant, W.
struct PowerBreakdown {
  double gpu_w = 0;
  double server_w = 0;  ///< non-GPU server power
  double network_w = 0;
  double it_w = 0;
  double facility_w = 0;       ///< from the facility model
  FacilityBreakdown facility;  ///< the rest the facility model says of it (mean_over only; NaN where unknown)
};

class ClusterPowerModel {
 public:
  /// `facility` must not be null (sim/setup/facility_factory.hpp builds it from the experiment).
  ClusterPowerModel(const ClusterPowerParams& params, std::unique_ptr<const FacilityModel> facility);

  /// Power at summed GPU activity `activity_sum` (in GPU-equivalents, 0..gpus) of each pool (index = pool) at
  /// simulated time `t_s`.
  PowerBreakdown at(const std::vector<double>& activity_sum, double t_s) const;
  /// The same for a site of one pool.
  PowerBreakdown at(double activity_sum, double t_s) const { return at(std::vector<double>{activity_sum}, t_s); }

  /// Mean power over [t0_s, t1_s) whose activity integral per pool is `activity_integral` (GPU x s).
  PowerBreakdown mean_over(const std::vector<double>& activity_integral, double t0_s, double t1_s) const;
  PowerBreakdown mean_over(double activity_integral, double t0_s, double t1_s) const {
    return mean_over(std::vector<double>{activity_integral}, t0_s, t1_s);
  }

  /// GPU and server power of pool `pool` alone at summed activity `activity_sum` (no network, no facility), W.
  double pool_it_power_w(int pool, double activity_sum) const;

  /// IT energy attributable to a group of `gpus` GPUs of pool `pool` over `duration_s` whose activity integral is
  /// `activity_integral` (GPU x s): their GPU power, their share of server overhead, and a share of the
  /// network proportional to their GPU count. J.
  double group_it_energy_j(double gpus, double activity_integral, double duration_s, int pool = 0) const;

  /// Facility energy of such a group over [t0_s, t1_s): its IT energy through the facility model, J.
  double group_facility_energy_j(double gpus, double activity_integral, double t0_s, double t1_s, int pool = 0) const;

  /// IT power with every GPU at its board power limit and every server at its maximum, W: the default design
  /// IT power of the facility.
  double full_load_it_w() const;

  /// Every GPU of the site.
  int gpus() const { return gpus_; }

  /// The watts one unit of summed activity adds in each pool (GPU and server dynamic range per GPU).
  std::vector<double> watts_per_activity() const;

  const ClusterPowerParams& params() const { return p_; }

  const FacilityModel& facility() const { return *facility_; }

 private:
  ClusterPowerParams p_;
  std::unique_ptr<const FacilityModel> facility_;
  int gpus_ = 0;
};

/// IT power of `params` with every GPU at its power limit and every server at its maximum, W.
double full_load_it_power_w(const ClusterPowerParams& params);

/// Power of one GPU at `activity` in [0, 1], W.
double gpu_power_w(const AcceleratorSpec& gpu, double activity);

}  // namespace clustersim
