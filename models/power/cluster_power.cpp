#include "models/power/cluster_power.hpp"

#include <stdexcept>

namespace clustersim {

double gpu_power_w(const AcceleratorSpec& gpu, double activity) {
  return gpu.idle_w + (gpu.tdp_w - gpu.idle_w) * activity;
}

namespace {

PowerBreakdown it_power(const ClusterPowerParams& p, int gpus, double activity_sum) {
  PowerBreakdown b;
  b.gpu_w = gpus * p.gpu.idle_w + (p.gpu.tdp_w - p.gpu.idle_w) * activity_sum;
  b.server_w = p.servers * p.server.overhead_idle_w +
               (p.server.overhead_max_w - p.server.overhead_idle_w) * activity_sum / p.gpus_per_server;
  b.network_w = p.network_w;
  b.it_w = b.gpu_w + b.server_w + b.network_w;
  return b;
}

}  // namespace

ClusterPowerModel::ClusterPowerModel(const ClusterPowerParams& params, std::unique_ptr<const FacilityModel> facility)
    : p_(params), facility_(std::move(facility)) {
  if (!facility_) throw std::invalid_argument("ClusterPowerModel needs a facility model");
}

PowerBreakdown ClusterPowerModel::at(double activity_sum, double t_s) const {
  PowerBreakdown b = it_power(p_, gpus(), activity_sum);
  b.facility_w = facility_->facility_power_w(b.it_w, t_s);
  return b;
}

PowerBreakdown ClusterPowerModel::mean_over(double activity_integral, double t0_s, double t1_s) const {
  const double duration_s = t1_s - t0_s;
  PowerBreakdown b = it_power(p_, gpus(), duration_s > 0 ? activity_integral / duration_s : 0);
  b.facility_w = facility_->mean_facility_power_w(b.it_w, t0_s, t1_s);
  return b;
}

double ClusterPowerModel::group_it_energy_j(int gpus, double activity_integral, double duration_s) const {
  const double server_share = static_cast<double>(gpus) / p_.gpus_per_server;
  return gpus * p_.gpu.idle_w * duration_s + (p_.gpu.tdp_w - p_.gpu.idle_w) * activity_integral +
         server_share * p_.server.overhead_idle_w * duration_s +
         (p_.server.overhead_max_w - p_.server.overhead_idle_w) * activity_integral / p_.gpus_per_server +
         p_.network_w * gpus / this->gpus() * duration_s;
}

double ClusterPowerModel::group_facility_energy_j(int gpus, double activity_integral, double t0_s, double t1_s) const {
  return facility_->facility_energy_j(group_it_energy_j(gpus, activity_integral, t1_s - t0_s), t0_s, t1_s);
}

}  // namespace clustersim
