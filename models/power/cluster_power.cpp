#include "models/power/cluster_power.hpp"

#include <stdexcept>

namespace clustersim {

double gpu_power_w(const AcceleratorSpec& gpu, double activity) {
  return gpu.idle_w + (gpu.tdp_w - gpu.idle_w) * activity;
}

namespace {

/// IT power with `activity_sum[k]` for pool k (pools past its end at activity 0).
PowerBreakdown it_power(const ClusterPowerParams& p, const std::vector<double>& activity_sum) {
  if (activity_sum.size() > p.pools.size()) throw std::invalid_argument("power asked for more pools than the site has");
  PowerBreakdown b;
  for (size_t k = 0; k < p.pools.size(); ++k) {
    const PoolPowerParams& q = p.pools[k];
    const double a = k < activity_sum.size() ? activity_sum[k] : 0;
    b.gpu_w += q.servers * q.gpus_per_server * q.gpu.idle_w + (q.gpu.tdp_w - q.gpu.idle_w) * a;
    b.server_w += q.servers * q.server.overhead_idle_w +
                  (q.server.overhead_max_w - q.server.overhead_idle_w) * a / q.gpus_per_server;
  }
  b.network_w = p.network_w;
  b.it_w = b.gpu_w + b.server_w + b.network_w;
  return b;
}

}  // namespace

ClusterPowerModel::ClusterPowerModel(const ClusterPowerParams& params, std::unique_ptr<const FacilityModel> facility)
    : p_(params), facility_(std::move(facility)) {
  if (!facility_) throw std::invalid_argument("ClusterPowerModel needs a facility model");
  if (p_.pools.empty()) throw std::invalid_argument("ClusterPowerModel needs at least one pool");
  for (const PoolPowerParams& q : p_.pools) gpus_ += q.servers * q.gpus_per_server;
}

PowerBreakdown ClusterPowerModel::at(const std::vector<double>& activity_sum, double t_s) const {
  PowerBreakdown b = it_power(p_, activity_sum);
  b.facility_w = facility_->facility_power_w(b.it_w, t_s);
  return b;
}

PowerBreakdown ClusterPowerModel::mean_over(const std::vector<double>& activity_integral, double t0_s,
                                            double t1_s) const {
  const double duration_s = t1_s - t0_s;
  std::vector<double> mean(activity_integral.size(), 0);
  for (size_t k = 0; k < mean.size(); ++k) mean[k] = duration_s > 0 ? activity_integral[k] / duration_s : 0;
  PowerBreakdown b = it_power(p_, mean);
  b.facility = facility_->mean_breakdown(b.it_w, t0_s, t1_s);
  b.facility_w = b.facility.facility_w;
  return b;
}

double full_load_it_power_w(const ClusterPowerParams& params) {
  std::vector<double> full;
  for (const PoolPowerParams& q : params.pools) full.push_back(1.0 * q.servers * q.gpus_per_server);
  return it_power(params, full).it_w;
}

double ClusterPowerModel::full_load_it_w() const { return full_load_it_power_w(p_); }

double ClusterPowerModel::pool_it_power_w(int pool, double activity_sum) const {
  const PoolPowerParams& q = p_.pools.at(pool);
  return q.servers * q.gpus_per_server * q.gpu.idle_w + (q.gpu.tdp_w - q.gpu.idle_w) * activity_sum +
         q.servers * q.server.overhead_idle_w +
         (q.server.overhead_max_w - q.server.overhead_idle_w) * activity_sum / q.gpus_per_server;
}

std::vector<double> ClusterPowerModel::watts_per_activity() const {
  std::vector<double> out;
  for (const PoolPowerParams& q : p_.pools)
    out.push_back(q.gpu.tdp_w - q.gpu.idle_w +
                  (q.server.overhead_max_w - q.server.overhead_idle_w) / q.gpus_per_server);
  return out;
}

double ClusterPowerModel::group_it_energy_j(double gpus, double activity_integral, double duration_s, int pool) const {
  const PoolPowerParams& q = p_.pools.at(pool);
  const double server_share = gpus / q.gpus_per_server;
  return gpus * q.gpu.idle_w * duration_s + (q.gpu.tdp_w - q.gpu.idle_w) * activity_integral +
         server_share * q.server.overhead_idle_w * duration_s +
         (q.server.overhead_max_w - q.server.overhead_idle_w) * activity_integral / q.gpus_per_server +
         p_.network_w * gpus / this->gpus() * duration_s;
}

double ClusterPowerModel::group_facility_energy_j(double gpus, double activity_integral, double t0_s, double t1_s,
                                                  int pool) const {
  return facility_->facility_energy_j(group_it_energy_j(gpus, activity_integral, t1_s - t0_s, pool), t0_s, t1_s);
}

}  // namespace clustersim
