#include "sim/engine/results_builder.hpp"

#include <unistd.h>

#include <cmath>
#include <ctime>
#include <limits>

#include "sim/engine/statistics.hpp"
#include "sim/version.hpp"

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

std::string utc_now() {
  std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

TableResult timeseries_table(const TimeSeries& ts) {
  Doubles it, fac, gpu, srv, net;
  for (const auto& p : ts.power) {
    it.push_back(p.it_w);
    fac.push_back(p.facility_w);
    gpu.push_back(p.gpu_w);
    srv.push_back(p.server_w);
    net.push_back(p.network_w);
  }
  return {"timeseries", "time",
          {col("time", "s", "start of the sampling interval", ts.time_s),
           col("it_power", "W", "IT power (mean over the interval)", it),
           col("facility_power", "W", "facility power = IT power x PUE (mean over the interval)", fac),
           col("gpu_power", "W", "GPU power (mean over the interval)", gpu),
           col("server_power", "W", "non-GPU server power (mean over the interval)", srv),
           col("network_power", "W", "network power: switches, transceivers, NICs", net),
           col("gpu_activity", "1", "mean GPU activity (0 idle, 1 at board power limit)", ts.activity_fraction)}};
}

}  // namespace

RunResults build_results(const ResultsInputs& in) {
  const ExperimentSpec& spec = in.experiment.spec;
  const AcceleratorSpec& gpu = in.experiment.catalog.accelerators.at(spec.cluster.gpu);
  const double T = in.end_s;
  const double pue = spec.facility.pue;
  RunResults r;

  // Provenance.
  r.string_attrs["tool_version"] = kVersion;
  r.string_attrs["git_commit"] = kGitCommit;
  r.string_attrs["experiment"] = spec.name;
  r.string_attrs["description"] = spec.description;
  r.string_attrs["source_path"] = in.experiment.source_path;
  r.string_attrs["config_yaml"] = in.experiment.resolved_yaml;
  r.string_attrs["config_source"] = in.experiment.source_yaml;
  r.string_attrs["created_utc"] = utc_now();
  char host[256] = {0};
  gethostname(host, sizeof host - 1);
  r.string_attrs["hostname"] = host;
  r.numeric_attrs["seed"] = static_cast<double>(spec.seed);

  // Training jobs.
  Strings jname, jmodel;
  Ints jgpus, jtp, jpp, jdp;
  Doubles step, comp, tpc, bub, dpar, tps, mfu, flops_gpu, steps, jenergy, jept, tokens_step;
  double training_tokens = 0;
  for (const TrainingJobRuntime* j : in.jobs) {
    const auto& e = j->estimate;
    const auto& st = j->stats;
    const double t = st.mean_step_time_s > 0 ? st.mean_step_time_s : kNaN;
    double mean_dp = 0;
    for (double d : st.dp_allreduce_s) mean_dp += d / st.dp_allreduce_s.size();
    const double tokens = st.steps_done * e.tokens_per_step;
    training_tokens += tokens;
    const double energy = in.power.group_it_energy_j(j->spec.gpus, st.activity_integral, T) * pue;
    jname.push_back(j->spec.name);
    jmodel.push_back(j->spec.model);
    jgpus.push_back(j->spec.gpus);
    jtp.push_back(j->spec.tp);
    jpp.push_back(j->spec.pp);
    jdp.push_back(j->spec.dp);
    step.push_back(t);
    comp.push_back(e.compute_time_s);
    tpc.push_back(e.tp_comm_time_s);
    bub.push_back(e.bubble_time_s);
    dpar.push_back(st.dp_allreduce_s.empty() ? kNaN : mean_dp);
    tokens_step.push_back(e.tokens_per_step);
    tps.push_back(e.tokens_per_step / t);
    flops_gpu.push_back(e.model_flops_per_step / t / j->spec.gpus);
    mfu.push_back(e.model_flops_per_step / t / j->spec.gpus / gpu.peak_flops(j->spec.precision));
    steps.push_back(st.steps_done);
    jenergy.push_back(energy);
    jept.push_back(tokens > 0 ? energy / tokens : kNaN);
  }
  r.tables.push_back(
      {"jobs", "job",
       {col("name", "training job name", jname), col("model", "model catalog name", jmodel),
        col("gpus", "GPUs", jgpus), col("tp", "tensor-parallel size", jtp), col("pp", "pipeline-parallel size", jpp),
        col("dp", "data-parallel size", jdp), col("step_time", "s", "mean step time (detailed steps)", step),
        col("compute_time", "s", "compute time per step (roofline)", comp),
        col("tp_comm_time", "s", "exposed tensor-parallel communication per step", tpc),
        col("bubble_time", "s", "pipeline bubble per step", bub),
        col("dp_allreduce_time", "s", "data-parallel all-reduce per step (simulated flows + latency)", dpar),
        col("tokens_per_step", "token", "tokens per step", tokens_step),
        col("tokens_per_s", "token/s", "training throughput", tps),
        col("model_flops_per_gpu", "FLOP/s", "achieved model FLOP/s per GPU", flops_gpu),
        col("mfu", "1", "model FLOPs utilisation at the job's precision", mfu),
        col("steps", "1", "steps completed in the run", steps),
        col("energy", "J", "facility energy attributed to the job", jenergy),
        col("energy_per_token", "J/token", "facility energy per training token", jept)}});

  // Inference services.
  Strings sname, smodel;
  Ints sreplicas, stp, sreq, sdone;
  Doubles in_tps, out_tps, ttft50, ttft90, ttft99, tpot50, tpot90, tpot99, e2e50, e2e99, kvpeak, util, senergy, sept;
  double inference_output_tokens = 0;
  for (const InferenceServiceRuntime* s : in.services) {
    Doubles ttft, tpot, e2e;
    double in_tokens = 0, out_tokens = 0, integral = 0, busy = 0, kv = 0;
    int64_t arrived = 0, completed = 0;
    for (const auto& q : s->requests) {
      if (q.arrival.time_s >= T) break;
      ++arrived;
      in_tokens += q.prefilled;
      out_tokens += q.generated;
      if (q.first_token_s >= 0) ttft.push_back(q.first_token_s - q.arrival.time_s);
      if (q.done_s >= 0) {
        ++completed;
        e2e.push_back(q.done_s - q.arrival.time_s);
        if (q.arrival.output_tokens > 1) tpot.push_back((q.done_s - q.first_token_s) / (q.arrival.output_tokens - 1));
      }
    }
    for (const auto& rep : s->replicas) {
      integral += in.tracker.group_integral(rep.power_group, T);
      busy += rep.busy_s / s->replicas.size();
      kv = std::max(kv, rep.kv_peak_tokens / s->model->kv_capacity_tokens());
    }
    const double serving_s = T - s->spec.start_s;
    const int gpus = s->spec.replicas * s->spec.tp;
    const double energy = in.power.group_it_energy_j(gpus, integral, T) * pue;
    inference_output_tokens += out_tokens;
    sname.push_back(s->spec.name);
    smodel.push_back(s->spec.model);
    sreplicas.push_back(s->spec.replicas);
    stp.push_back(s->spec.tp);
    sreq.push_back(arrived);
    sdone.push_back(completed);
    in_tps.push_back(in_tokens / serving_s);
    out_tps.push_back(out_tokens / serving_s);
    ttft50.push_back(quantile(ttft, 0.5));
    ttft90.push_back(quantile(ttft, 0.9));
    ttft99.push_back(quantile(ttft, 0.99));
    tpot50.push_back(quantile(tpot, 0.5));
    tpot90.push_back(quantile(tpot, 0.9));
    tpot99.push_back(quantile(tpot, 0.99));
    e2e50.push_back(quantile(e2e, 0.5));
    e2e99.push_back(quantile(e2e, 0.99));
    kvpeak.push_back(kv);
    util.push_back(busy / serving_s);
    senergy.push_back(energy);
    sept.push_back(out_tokens > 0 ? energy / out_tokens : kNaN);
  }
  r.tables.push_back(
      {"services", "service",
       {col("name", "inference service name", sname), col("model", "model catalog name", smodel),
        col("replicas", "replicas", sreplicas), col("tp", "tensor-parallel size per replica", stp),
        col("requests", "requests arrived", sreq), col("completed", "requests completed", sdone),
        col("input_tokens_per_s", "token/s", "prompt tokens processed per second", in_tps),
        col("output_tokens_per_s", "token/s", "tokens generated per second", out_tps),
        col("ttft_p50", "s", "time to first token, median", ttft50),
        col("ttft_p90", "s", "time to first token, 90th percentile", ttft90),
        col("ttft_p99", "s", "time to first token, 99th percentile", ttft99),
        col("tpot_p50", "s", "time per output token, median", tpot50),
        col("tpot_p90", "s", "time per output token, 90th percentile", tpot90),
        col("tpot_p99", "s", "time per output token, 99th percentile", tpot99),
        col("e2e_p50", "s", "end-to-end latency, median", e2e50),
        col("e2e_p99", "s", "end-to-end latency, 99th percentile", e2e99),
        col("kv_peak", "1", "peak KV-cache reservation / capacity (max over replicas)", kvpeak),
        col("utilization", "1", "fraction of time replicas run iterations", util),
        col("energy", "J", "facility energy attributed to the service", senergy),
        col("energy_per_output_token", "J/token", "facility energy per generated token", sept)}});

  // Fabric inventory and power.
  Strings swname;
  Ints swcount, swports;
  Doubles swpower;
  for (size_t i = 0; i < in.tree.inventory.switch_tiers.size(); ++i) {
    const auto& t = in.tree.inventory.switch_tiers[i];
    swname.push_back(t.name);
    swcount.push_back(t.switches);
    swports.push_back(t.ports_used);
    swpower.push_back(in.network_power.switch_tier_w(t.name));
  }
  r.tables.push_back({"fabric_switches", "switch_tier",
                      {col("name", "switch tier", swname), col("switches", "switches", swcount),
                       col("ports_used", "connected ports", swports),
                       col("power", "W", "switch power (chassis + active ports)", swpower)}});
  Strings lname;
  Ints lcables, lends;
  Doubles lbw, lpower;
  for (const auto& t : in.tree.inventory.link_tiers) {
    lname.push_back(t.name);
    lcables.push_back(t.cables);
    lbw.push_back(t.link_bps);
    lends.push_back(t.transceiver_ends);
    lpower.push_back(in.network_power.link_tier_w(t.name));
  }
  r.tables.push_back({"fabric_links", "link_tier",
                      {col("name", "link tier", lname), col("cables", "cables", lcables),
                       col("link_bandwidth", "bit/s", "bandwidth of each cable", lbw),
                       col("transceiver_ends", "transceiver ends (2 per cable)", lends),
                       col("power", "W", "transceiver power of the tier", lpower)}});
  r.tables.push_back(timeseries_table(in.timeseries));

  // Summary.
  const double integral = in.tracker.integral(T);
  const PowerBreakdown mean = in.power.mean_over(integral, T);
  const PowerBreakdown peak = in.power.at(in.tracker.peak_activity_sum());
  const double tokens = training_tokens + inference_output_tokens;
  const int gpus = spec.cluster.servers * spec.cluster.gpus_per_server;
  r.summary = {
      {"duration", T, "s", "simulated duration"},
      {"servers", static_cast<double>(spec.cluster.servers), "1", "servers"},
      {"gpus", static_cast<double>(gpus), "1", "GPUs"},
      {"it_power_mean", mean.it_w, "W", "mean IT power"},
      {"it_power_peak", peak.it_w, "W", "peak IT power (highest instantaneous GPU activity)"},
      {"facility_power_mean", mean.facility_w, "W", "mean facility power"},
      {"facility_power_peak", peak.facility_w, "W", "peak facility power"},
      {"gpu_power_mean", mean.gpu_w, "W", "mean GPU power"},
      {"network_power", in.network_power.total_w(), "W", "network power (switches, transceivers, NICs)"},
      {"it_energy", mean.it_w * T, "J", "IT energy"},
      {"facility_energy", mean.facility_w * T, "J", "facility energy"},
      {"pue", pue, "1", "power usage effectiveness"},
      {"training_tokens_per_s", training_tokens / T, "token/s", "training tokens per second (all jobs)"},
      {"inference_output_tokens_per_s", inference_output_tokens / T, "token/s",
       "generated tokens per second (all services)"},
      {"energy_per_token", tokens > 0 ? mean.facility_w * T / tokens : kNaN, "J/token",
       "facility energy per token (training tokens + generated tokens)"},
      {"bisection_bandwidth", in.tree.inventory.bisection_bandwidth_bps, "bit/s", "fabric bisection bandwidth"},
  };
  return r;
}

}  // namespace clustersim
