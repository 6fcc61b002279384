#include "models/power/cluster_power.hpp"

namespace clustersim {

double gpu_power_w(const AcceleratorSpec& gpu, double activity) {
  return gpu.idle_w + (gpu.tdp_w - gpu.idle_w) * activity;
}

PowerBreakdown ClusterPowerModel::at(double activity_sum) const {
  PowerBreakdown b;
  b.gpu_w = gpus() * p_.gpu.idle_w + (p_.gpu.tdp_w - p_.gpu.idle_w) * activity_sum;
  b.server_w = p_.servers * p_.server.overhead_idle_w +
               (p_.server.overhead_max_w - p_.server.overhead_idle_w) * activity_sum / p_.gpus_per_server;
  b.network_w = p_.network_w;
  b.it_w = b.gpu_w + b.server_w + b.network_w;
  b.facility_w = b.it_w * p_.pue;
  return b;
}

PowerBreakdown ClusterPowerModel::mean_over(double activity_integral, double duration_s) const {
  return at(duration_s > 0 ? activity_integral / duration_s : 0);
}

double ClusterPowerModel::group_it_energy_j(int gpus, double activity_integral, double duration_s) const {
  const double server_share = static_cast<double>(gpus) / p_.gpus_per_server;
  return gpus * p_.gpu.idle_w * duration_s + (p_.gpu.tdp_w - p_.gpu.idle_w) * activity_integral +
         server_share * p_.server.overhead_idle_w * duration_s +
         (p_.server.overhead_max_w - p_.server.overhead_idle_w) * activity_integral / p_.gpus_per_server +
         p_.network_w * gpus / this->gpus() * duration_s;
}

}  // namespace clustersim
