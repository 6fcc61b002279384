#include "sim/engine/service_results.hpp"

#include <xbt/log.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "common/statistics.hpp"

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(cs_service_results, clustersim,
                                "service rows and request statistics of a finished run");

namespace clustersim {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

ServiceMeasures measure_service(const InferenceServiceRuntime& s, double end_s) {
  ServiceMeasures m = s.retired;  // the requests folded in during the run (a streamed service)
  const double slo_ttft = s.spec.slo_ttft_s > 0 ? s.spec.slo_ttft_s : kNaN;
  const double slo_tpot = s.spec.slo_tpot_s > 0 ? s.spec.slo_tpot_s : kNaN;
  const bool weighted = !s.plan.time_s.empty();
  for (const auto& q : s.requests)
    m.add(q, weighted ? fleet_weight(s, q.arrival.time_s) : 0, slo_ttft, slo_tpot, s.samples.time_s, end_s);
  if (!weighted) m.finish_constant(s.scale);
  return m;
}

namespace {

/// Per sample of `s`, its output tokens per second since the previous sample (from the service's start), each
/// request's tokens counted at the midpoint of its decode, fleet-scaled.
std::vector<double> output_rate_per_sample(const InferenceServiceRuntime& s, const ServiceMeasures& m) {
  const std::vector<double>& t = s.samples.time_s;
  std::vector<double> rate(t.size(), 0);
  for (size_t i = 0; i < t.size() && i < m.interval_tokens.size(); ++i) {
    const double from = i == 0 ? s.spec.start_s : t[i - 1];
    rate[i] = t[i] > from ? m.interval_tokens[i] * (s.plan.time_s.empty() ? s.scale : 1.0) / (t[i] - from) : 0;
  }
  return rate;
}

}  // namespace

void append_service_rows(const std::vector<const InferenceServiceRuntime*>& services, PowerTracker& tracker,
                         const ClusterPowerModel& power, double T, RunRecord& record) {
  for (const InferenceServiceRuntime* s : services) {
    ServiceMeasures m = measure_service(*s, T);
    // Percentiles by selection (was a copy and a full sort per percentile: 26 s of a day's results).
    const std::vector<double> kP = {0.5, 0.9, 0.99};
    const std::vector<double> ttft = m.ttft_s.quantiles(kP), tpot = m.tpot_s.quantiles(kP), e2e = m.e2e_s.quantiles(kP);
    XBT_VERB("service '%s': %zu requests measured", s->spec.name.c_str(), s->requests.size());
    // Counts in the whole fleet: replicas / detailed, or with autoscaling each request's own weight (k: the mean).
    const double k = s->plan.time_s.empty() ? s->scale : (m.arrived > 0 ? m.fleet_arrived / m.arrived : 0.0);
    double integral = 0, busy = 0, kv = 0, cached_tokens = 0, it = 0, st = 0;
    long preempt = 0;
    for (const auto& rep : s->replicas) {
      integral += tracker.group_integral(rep.power_group, T);
      busy += rep.busy_s / s->replicas.size();
      kv = std::max(kv, rep.kv_peak_tokens / s->model->kv_capacity_tokens());
      cached_tokens += rep.scheduler->cached_prompt_tokens();
      preempt += rep.scheduler->preemptions();
      it += rep.iterations;
      st += rep.steps;
    }
    if (s->mirror_group >= 0) integral += tracker.group_integral(s->mirror_group, T);
    const double serving_s = T - s->spec.start_s;
    // Its GPUs: all its replicas', or with autoscaling those it held over time (parked servers lent to training
    // count there).
    const double gpus = s->plan.time_s.empty() ? static_cast<double>(s->spec.replicas * s->spec.gpus())
                                               : s->plan.mean_allocated(s->spec.start_s, T) * s->spec.gpus();
    const double energy = power.group_facility_energy_j(gpus, integral, 0, T, s->pool);
    const double out = m.fleet_output_tokens;
    record.generated_tokens += out;
    ServiceRow r;
    r.name = s->spec.name;
    if (gpus > 0 && serving_s > 0) {
      r.gpu_power_mean_w = gpu_power_w(power.params().pools.at(s->pool).gpu, integral / (gpus * serving_s));
      r.gpu_energy_per_output_token_j = out > 0 ? r.gpu_power_mean_w * gpus * serving_s / out : kNaN;
    }
    r.model = s->spec.model;
    r.pool = s->spec.pool;
    r.replicas = s->spec.replicas;
    r.detailed_replicas = static_cast<int64_t>(s->replicas.size());
    r.tp = s->spec.tp;
    r.requests = static_cast<int64_t>(std::llround(m.fleet_arrived));
    r.completed = static_cast<int64_t>(std::llround(m.fleet_completed));
    r.input_tokens_per_s = m.fleet_input_tokens / serving_s;
    r.output_tokens_per_s = out / serving_s;
    const double span = m.last_done_s - m.first_arrival_s;
    r.benchmark_output_tokens_per_s = span > 0 ? m.fleet_completed_output_tokens / span : kNaN;
    r.ttft_p50_s = ttft[0];
    r.ttft_p90_s = ttft[1];
    r.ttft_p99_s = ttft[2];
    r.tpot_p50_s = tpot[0];
    r.tpot_p90_s = tpot[1];
    r.tpot_p99_s = tpot[2];
    r.e2e_p50_s = e2e[0];
    r.e2e_p90_s = e2e[1];
    r.e2e_p99_s = e2e[2];
    r.goodput_requests_per_s = m.fleet_good / serving_s;
    r.goodput_tokens_per_s = m.fleet_good_output_tokens / serving_s;
    r.slo_attainment = m.completed > 0 ? static_cast<double>(m.good) / m.completed : kNaN;
    r.kv_peak = kv;
    r.utilization = busy / serving_s;
    r.energy_j = energy;
    r.energy_per_output_token_j = out > 0 ? energy / out : kNaN;
    r.prefix_cache_hit = m.input_tokens > 0 ? cached_tokens / m.input_tokens : 0.0;
    r.preemptions = static_cast<int64_t>(std::llround(preempt * k));
    r.iterations = it;
    r.simulated_steps = st;
    r.prefill_replicas = s->spec.prefill_replicas;
    r.decode_replicas = s->spec.decode_replicas;
    const KvTransferStats kv_stats = s->kv ? s->kv->stats() : KvTransferStats{};
    if (s->kv)
      XBT_VERB("service '%s': %ld KV transfers (%ld over the fabric) carried by %ld worker actors",
               s->spec.name.c_str(), kv_stats.transfers, kv_stats.fabric_transfers, s->kv->worker_actors());
    double kv_sum_s = 0;
    for (double t : kv_stats.time_s) kv_sum_s += t;
    r.kv_transfers = kv_stats.transfers;
    r.kv_transfer_bytes = kv_stats.bytes;
    r.kv_transfer_mean_s = kv_stats.time_s.empty() ? kNaN : kv_sum_s / kv_stats.time_s.size();
    std::vector<double> kv_times_s = kv_stats.time_s;
    r.kv_transfer_p99_s = select_quantiles(kv_times_s, {0.99})[0];
    // Batch occupancy: the running sequences per replica over the sampled instants, as a share of max_batch
    // (utilization only says a replica ran some iteration).
    const auto& smp = s->samples;
    double occupancy = 0;
    int counted = 0;
    for (size_t i = 0; i < smp.time_s.size(); ++i) {
      const double replicas = i < smp.replicas.size() ? smp.replicas[i] : static_cast<double>(s->spec.replicas);
      if (replicas <= 0 || s->spec.max_batch <= 0) continue;
      occupancy += smp.running[i] / (replicas * s->spec.max_batch);
      ++counted;
    }
    r.batch_occupancy = counted > 0 ? occupancy / counted : kNaN;
    r.power_mean_w = serving_s > 0 ? energy / serving_s : kNaN;
    record.services.push_back(std::move(r));
    const std::vector<double> rate = output_rate_per_sample(*s, m);
    for (size_t i = 0; i < smp.time_s.size(); ++i)
      record.service_samples.push_back(
          {smp.time_s[i], s->spec.name, smp.waiting[i], smp.running[i], smp.kv_use[i], rate[i],
           i < smp.replicas.size() ? smp.replicas[i] : static_cast<double>(s->spec.replicas)});
  }
}

}  // namespace clustersim
