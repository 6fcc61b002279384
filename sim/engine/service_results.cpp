#include "sim/engine/service_results.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "common/statistics.hpp"

namespace clustersim {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
using Doubles = std::vector<double>;
using Ints = std::vector<int64_t>;
using Strings = std::vector<std::string>;


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
  Ints sreplicas, sdetailed, stp, sreq, sdone, spre, sprefill, sdecode, skv_n;
  Doubles in_tps, out_tps, bench, ttft50, ttft90, ttft99, tpot50, tpot90, tpot99, e2e50, e2e90, e2e99, good_rps,
      good_tps, attain, kvpeak, util, senergy, sept, cached, iters, steps, kv_bytes, kv_mean, kv_p99;
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
    const double energy = power.group_it_energy_j(s->spec.replicas * s->spec.gpus(), integral, T) * pue;
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
    sprefill.push_back(s->spec.prefill_replicas);
    sdecode.push_back(s->spec.decode_replicas);
    const KvTransferStats kv_stats = s->kv ? s->kv->stats() : KvTransferStats{};
    double kv_sum_s = 0;
    for (double t : kv_stats.time_s) kv_sum_s += t;
    skv_n.push_back(kv_stats.transfers);
    kv_bytes.push_back(kv_stats.bytes);
    kv_mean.push_back(kv_stats.time_s.empty() ? kNaN : kv_sum_s / kv_stats.time_s.size());
    kv_p99.push_back(quantile(kv_stats.time_s, 0.99));
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
       {make_column("name", "inference service name", sname), make_column("model", "model catalog name", smodel),
        make_column("replicas", "replicas", sreplicas),
        make_column("detailed_replicas", "replicas simulated request by request (the others mirror them)", sdetailed),
        make_column("tp", "tensor-parallel size per replica", stp),
        make_column("requests", "requests arrived", sreq), make_column("completed", "requests completed", sdone),
        make_column("input_tokens_per_s", "token/s", "prompt tokens processed per second", in_tps),
        make_column("output_tokens_per_s", "token/s", "tokens generated per second", out_tps),
        make_column("benchmark_output_tokens_per_s", "token/s",
            "output tokens of completed requests / (last completion - first arrival), as trtllm-bench reports",
            bench),
        make_column("ttft_p50", "s", "time to first token, median", ttft50),
        make_column("ttft_p90", "s", "time to first token, 90th percentile", ttft90),
        make_column("ttft_p99", "s", "time to first token, 99th percentile", ttft99),
        make_column("tpot_p50", "s", "time per output token, median", tpot50),
        make_column("tpot_p90", "s", "time per output token, 90th percentile", tpot90),
        make_column("tpot_p99", "s", "time per output token, 99th percentile", tpot99),
        make_column("e2e_p50", "s", "end-to-end latency, median", e2e50),
        make_column("e2e_p90", "s", "end-to-end latency, 90th percentile", e2e90),
        make_column("e2e_p99", "s", "end-to-end latency, 99th percentile", e2e99),
        make_column("goodput_requests_per_s", "1/s", "completed requests meeting the TTFT and TPOT SLOs per second", good_rps),
        make_column("goodput_tokens_per_s", "token/s", "output tokens of the requests meeting the SLOs per second", good_tps),
        make_column("slo_attainment", "1", "share of the completed requests that met the SLOs", attain),
        make_column("kv_peak", "1", "peak KV-cache use / capacity (max over replicas)", kvpeak),
        make_column("prefix_cache_hit", "1", "share of prompt tokens served from the prefix cache", cached),
        make_column("preemptions", "preemptions (paged KV cache full)", spre),
        make_column("utilization", "1", "fraction of time replicas run iterations", util),
        make_column("iterations", "1", "batch iterations simulated (detailed replicas)", iters),
        make_column("simulated_steps", "1", "simulated waits of the detailed replicas (a decode stretch is one)", steps),
        make_column("prefill_replicas", "replicas of the prefill pool (0 = colocated)", sprefill),
        make_column("decode_replicas", "replicas of the decode pool (0 = colocated)", sdecode),
        make_column("kv_transfers", "KV-cache transfers from prefill to decode replicas completed", skv_n),
        make_column("kv_transfer_bytes", "B", "KV-cache bytes moved from prefill to decode replicas", kv_bytes),
        make_column("kv_transfer_mean", "s", "KV-cache transfer time (prefill end to arrival), mean", kv_mean),
        make_column("kv_transfer_p99", "s", "KV-cache transfer time, 99th percentile", kv_p99),
        make_column("energy", "J", "facility energy attributed to the service", senergy),
        make_column("energy_per_output_token", "J/token", "facility energy per generated token", sept)}});
  r.tables.push_back({"service_timeseries", "sample",
                      {make_column("time", "s", "sample time", ts_time), make_column("service", "inference service name", ts_name),
                       make_column("waiting", "1", "requests queued (routed, not admitted)", ts_wait),
                       make_column("running", "1", "requests admitted (prefilling or decoding)", ts_run),
                       make_column("kv_use", "1", "KV-cache use / capacity (mean over replicas)", ts_kv)},
                      "time service"});
  return total_output;
}

}  // namespace clustersim
