#include "sim/engine/service_results.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/engine/statistics.hpp"

namespace clustersim {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
using Doubles = std::vector<double>;
using Ints = std::vector<int64_t>;
using Strings = std::vector<std::string>;

ColumnResult col(const std::string& name, const std::string& units, const std::string& long_name, Doubles v) {
  return {name, units, long_name, std::move(v)};
}
ColumnResult col(const std::string& name, const std::string& long_name, Ints v) { return {name, "1", long_name, std::move(v)}; }
ColumnResult col(const std::string& name, const std::string& long_name, Strings v) { return {name, "", long_name, std::move(v)}; }

}  // namespace

ServiceMeasures measure_service(const InferenceServiceRuntime& s, double end_s) {
  ServiceMeasures m;
  const double slo_ttft = s.spec.slo_ttft_s > 0 ? s.spec.slo_ttft_s : kNaN;
  const double slo_tpot = s.spec.slo_tpot_s > 0 ? s.spec.slo_tpot_s : kNaN;
  for (const auto& q : s.requests) {
    if (q.arrival.time_s >= end_s) break;
    ++m.arrived;
    if (m.first_arrival_s < 0) m.first_arrival_s = q.arrival.time_s;
    m.input_tokens += std::min(q.prefilled, q.arrival.input_tokens);
    m.output_tokens += q.generated;
    if (q.first_token_s >= 0) m.ttft_s.push_back(q.first_token_s - q.arrival.time_s);
    if (q.done_s < 0) continue;
    ++m.completed;
    m.completed_output_tokens += q.generated;
    m.last_done_s = std::max(m.last_done_s, q.done_s);
    const double ttft = q.first_token_s - q.arrival.time_s;
    const double tpot = q.arrival.output_tokens > 1 ? (q.done_s - q.first_token_s) / (q.arrival.output_tokens - 1) : 0;
    m.e2e_s.push_back(q.done_s - q.arrival.time_s);
    if (q.arrival.output_tokens > 1) m.tpot_s.push_back(tpot);
    const bool ok = !(ttft > slo_ttft) && !(tpot > slo_tpot);  // NaN targets never fail
    if (ok) {
      ++m.good;
      m.good_output_tokens += q.generated;
    }
  }
  return m;
}

double append_service_tables(const std::vector<const InferenceServiceRuntime*>& services, PowerTracker& tracker,
                             const ClusterPowerModel& power, double T, double pue, RunResults& r) {
  Strings sname, smodel;
  Ints sreplicas, sdetailed, stp, sreq, sdone, spre;
  Doubles in_tps, out_tps, bench, ttft50, ttft90, ttft99, tpot50, tpot90, tpot99, e2e50, e2e90, e2e99, good_rps,
      good_tps, attain, kvpeak, util, senergy, sept, cached, iters, steps;
  Doubles ts_time, ts_wait, ts_run, ts_kv;
  Strings ts_name;
  double total_output = 0;
  for (const InferenceServiceRuntime* s : services) {
    const ServiceMeasures m = measure_service(*s, T);
    const double k = s->scale;
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
    const double energy = power.group_it_energy_j(s->spec.replicas * s->spec.tp, integral, T) * pue;
    const double out = m.output_tokens * k;
    total_output += out;
    sname.push_back(s->spec.name);
    smodel.push_back(s->spec.model);
    sreplicas.push_back(s->spec.replicas);
    sdetailed.push_back(static_cast<int64_t>(s->replicas.size()));
    stp.push_back(s->spec.tp);
    sreq.push_back(static_cast<int64_t>(std::llround(m.arrived * k)));
    sdone.push_back(static_cast<int64_t>(std::llround(m.completed * k)));
    in_tps.push_back(m.input_tokens * k / serving_s);
    out_tps.push_back(out / serving_s);
    const double span = m.last_done_s - m.first_arrival_s;
    bench.push_back(span > 0 ? m.completed_output_tokens * k / span : kNaN);
    ttft50.push_back(quantile(m.ttft_s, 0.5));
    ttft90.push_back(quantile(m.ttft_s, 0.9));
    ttft99.push_back(quantile(m.ttft_s, 0.99));
    tpot50.push_back(quantile(m.tpot_s, 0.5));
    tpot90.push_back(quantile(m.tpot_s, 0.9));
    tpot99.push_back(quantile(m.tpot_s, 0.99));
    e2e50.push_back(quantile(m.e2e_s, 0.5));
    e2e90.push_back(quantile(m.e2e_s, 0.9));
    e2e99.push_back(quantile(m.e2e_s, 0.99));
    good_rps.push_back(m.good * k / serving_s);
    good_tps.push_back(m.good_output_tokens * k / serving_s);
    attain.push_back(m.completed > 0 ? static_cast<double>(m.good) / m.completed : kNaN);
    kvpeak.push_back(kv);
    util.push_back(busy / serving_s);
    senergy.push_back(energy);
    sept.push_back(out > 0 ? energy / out : kNaN);
    cached.push_back(m.input_tokens > 0 ? cached_tokens / m.input_tokens : 0.0);
    spre.push_back(static_cast<int64_t>(std::llround(preempt * k)));
    iters.push_back(it);
    steps.push_back(st);
    const auto& smp = s->samples;
    for (size_t i = 0; i < smp.time_s.size(); ++i) {
      ts_time.push_back(smp.time_s[i]);
      ts_name.push_back(s->spec.name);
      ts_wait.push_back(smp.waiting[i]);
      ts_run.push_back(smp.running[i]);
      ts_kv.push_back(smp.kv_use[i]);
    }
  }
  r.tables.push_back(
      {"services", "service",
       {col("name", "inference service name", sname), col("model", "model catalog name", smodel),
        col("replicas", "replicas", sreplicas),
        col("detailed_replicas", "replicas simulated request by request (the others mirror them)", sdetailed),
        col("tp", "tensor-parallel size per replica", stp),
        col("requests", "requests arrived", sreq), col("completed", "requests completed", sdone),
        col("input_tokens_per_s", "token/s", "prompt tokens processed per second", in_tps),
        col("output_tokens_per_s", "token/s", "tokens generated per second", out_tps),
        col("benchmark_output_tokens_per_s", "token/s",
            "output tokens of completed requests / (last completion - first arrival), as trtllm-bench reports",
            bench),
        col("ttft_p50", "s", "time to first token, median", ttft50),
        col("ttft_p90", "s", "time to first token, 90th percentile", ttft90),
        col("ttft_p99", "s", "time to first token, 99th percentile", ttft99),
        col("tpot_p50", "s", "time per output token, median", tpot50),
        col("tpot_p90", "s", "time per output token, 90th percentile", tpot90),
        col("tpot_p99", "s", "time per output token, 99th percentile", tpot99),
        col("e2e_p50", "s", "end-to-end latency, median", e2e50),
        col("e2e_p90", "s", "end-to-end latency, 90th percentile", e2e90),
        col("e2e_p99", "s", "end-to-end latency, 99th percentile", e2e99),
        col("goodput_requests_per_s", "1/s", "completed requests meeting the TTFT and TPOT SLOs per second", good_rps),
        col("goodput_tokens_per_s", "token/s", "output tokens of the requests meeting the SLOs per second", good_tps),
        col("slo_attainment", "1", "share of the completed requests that met the SLOs", attain),
        col("kv_peak", "1", "peak KV-cache use / capacity (max over replicas)", kvpeak),
        col("prefix_cache_hit", "1", "share of prompt tokens served from the prefix cache", cached),
        col("preemptions", "preemptions (paged KV cache full)", spre),
        col("utilization", "1", "fraction of time replicas run iterations", util),
        col("iterations", "1", "batch iterations simulated (detailed replicas)", iters),
        col("simulated_steps", "1", "simulated waits of the detailed replicas (a decode stretch is one)", steps),
        col("energy", "J", "facility energy attributed to the service", senergy),
        col("energy_per_output_token", "J/token", "facility energy per generated token", sept)}});
  r.tables.push_back({"service_timeseries", "sample",
                      {col("time", "s", "sample time", ts_time), col("service", "inference service name", ts_name),
                       col("waiting", "1", "requests queued (routed, not admitted)", ts_wait),
                       col("running", "1", "requests admitted (prefilling or decoding)", ts_run),
                       col("kv_use", "1", "KV-cache use / capacity (mean over replicas)", ts_kv)},
                      "time service"});
  return total_output;
}

}  // namespace clustersim
