#include "sim/engine/results_builder.hpp"

#include <unistd.h>

#include <cmath>
#include <ctime>
#include <limits>

#include "sim/engine/service_results.hpp"
#include "common/statistics.hpp"
#include "common/version.hpp"

namespace clustersim {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

using Doubles = std::vector<double>;
using Ints = std::vector<int64_t>;
using Strings = std::vector<std::string>;


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
          {make_column("time", "s", "start of the sampling interval", ts.time_s),
           make_column("it_power", "W", "IT power (mean over the interval)", it),
           make_column("facility_power", "W", "facility power = IT power x PUE (mean over the interval)", fac),
           make_column("gpu_power", "W", "GPU power (mean over the interval)", gpu),
           make_column("server_power", "W", "non-GPU server power (mean over the interval)", srv),
           make_column("network_power", "W", "network power: switches, transceivers, NICs", net),
           make_column("gpu_activity", "1", "mean GPU activity (0 idle, 1 at board power limit)", ts.activity_fraction)}};
}

}  // namespace

RunResults build_results(const ResultsInputs& in) {
  const ExperimentSpec& spec = in.experiment.spec;
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
  Doubles step, comp, tpc, bub, dpar, tps, mfu, flops_gpu, steps, jenergy, jept, tokens_step, tokens_asked;
  Doubles hw_flops, hfu, cpc, optc, xdp, xpp, xep, mem_total, mem_w, mem_g, mem_o, mem_a;
  Ints jcp, jep, jvs;
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
    jcp.push_back(j->spec.cp);
    jep.push_back(j->spec.ep);
    jvs.push_back(j->spec.virtual_stages);
    const StepFigures fig = step_figures(j->layout, e, t, j->spec.name);  // throws on a broken invariant
    hw_flops.push_back(fig.hardware_flops_per_gpu_s);
    hfu.push_back(fig.hfu);
    cpc.push_back(e.cp_comm_time_s + e.pp_local_time_s);
    optc.push_back(e.optimizer_time_s);
    xdp.push_back(st.mean_exposed_s(CommKind::kDp));
    xpp.push_back(st.mean_exposed_s(CommKind::kPp));
    xep.push_back(st.mean_exposed_s(CommKind::kEp));
    mem_total.push_back(e.memory.total());
    mem_w.push_back(e.memory.weights);
    mem_g.push_back(e.memory.gradients);
    mem_o.push_back(e.memory.optimizer);
    mem_a.push_back(e.memory.activations);
    tokens_step.push_back(e.tokens_per_step);
    tokens_asked.push_back(j->spec.tokens_per_step_requested > 0 ? j->spec.tokens_per_step_requested : kNaN);
    tps.push_back(fig.tokens_per_s);
    flops_gpu.push_back(fig.model_flops_per_gpu_s);
    mfu.push_back(fig.mfu);
    steps.push_back(st.steps_done);
    jenergy.push_back(energy);
    jept.push_back(tokens > 0 ? energy / tokens : kNaN);
  }
  r.tables.push_back(
      {"jobs", "job",
       {make_column("name", "training job name", jname), make_column("model", "model catalog name", jmodel),
        make_column("gpus", "GPUs", jgpus), make_column("tp", "tensor-parallel size", jtp), make_column("pp", "pipeline-parallel size", jpp),
        make_column("dp", "data-parallel size", jdp), make_column("step_time", "s", "mean step time (detailed steps)", step),
        make_column("compute_time", "s", "compute time per step (roofline)", comp),
        make_column("tp_comm_time", "s", "exposed tensor-parallel communication per step", tpc),
        make_column("bubble_time", "s", "pipeline bubble per step", bub),
        make_column("dp_allreduce_time", "s", "data-parallel reduction per step (simulated flows + latency), before overlap", dpar),
        make_column("cp", "context-parallel size", jcp), make_column("ep", "expert-parallel size", jep),
        make_column("virtual_stages", "interleaved pipeline chunks per GPU", jvs),
        make_column("other_local_comm_time", "s", "exposed CP exchange and intra-server PP transfers per step", cpc),
        make_column("optimizer_time", "s", "optimizer step (memory-bound)", optc),
        make_column("exposed_dp_time", "s", "exposed data-parallel communication per step (simulated)", xdp),
        make_column("exposed_pp_time", "s", "exposed pipeline sends across servers per step (simulated)", xpp),
        make_column("exposed_ep_time", "s", "exposed expert-parallel all-to-all across servers per step (simulated)", xep),
        make_column("hardware_flops_per_gpu", "FLOP/s", "achieved FLOP/s per GPU including recomputation", hw_flops),
        make_column("hfu", "1", "hardware FLOPs utilisation (recomputation included)", hfu),
        make_column("memory_per_gpu", "B", "HBM needed per GPU, first pipeline stage", mem_total),
        make_column("memory_weights", "B", "weights per GPU", mem_w), make_column("memory_gradients", "B", "gradients per GPU", mem_g),
        make_column("memory_optimizer", "B", "optimizer states per GPU", mem_o),
        make_column("memory_activations", "B", "activations per GPU (micro-batches in flight)", mem_a),
        make_column("tokens_per_step", "token", "tokens trained per step (global_batch x seq_len)", tokens_step),
        make_column("tokens_per_step_requested", "token",
                    "tokens_per_step as given, before rounding to whole micro-batches per replica (NaN: global_batch given)",
                    tokens_asked),
        make_column("tokens_per_s", "token/s", "training throughput", tps),
        make_column("model_flops_per_gpu", "FLOP/s", "achieved model FLOP/s per GPU", flops_gpu),
        make_column("mfu", "1", "model FLOPs utilisation at the job's precision", mfu),
        make_column("steps", "1", "steps completed in the run", steps),
        make_column("energy", "J", "facility energy attributed to the job", jenergy),
        make_column("energy_per_token", "J/token", "facility energy per training token", jept)}});

  // Inference services.
  const double inference_output_tokens = append_service_tables(in.services, in.tracker, in.power, T, pue, r);

  // Fabric inventory and power.
  Strings swname;
  Ints swcount, swports;
  Doubles swpower;
  for (size_t i = 0; i < in.fabric.inventory.switch_tiers.size(); ++i) {
    const auto& t = in.fabric.inventory.switch_tiers[i];
    swname.push_back(t.name);
    swcount.push_back(t.switches);
    swports.push_back(t.ports_used);
    swpower.push_back(in.network_power.switch_tier_w(t.name));
  }
  r.tables.push_back({"fabric_switches", "switch_tier",
                      {make_column("name", "switch tier", swname), make_column("switches", "switches", swcount),
                       make_column("ports_used", "connected ports", swports),
                       make_column("power", "W", "switch power (chassis + active ports)", swpower)}});
  Strings lname;
  Ints lcables, lends;
  Doubles lbw, lpower;
  for (const auto& t : in.fabric.inventory.link_tiers) {
    lname.push_back(t.name);
    lcables.push_back(t.cables);
    lbw.push_back(t.link_bps);
    lends.push_back(t.transceiver_ends);
    lpower.push_back(in.network_power.link_tier_w(t.name));
  }
  r.tables.push_back({"fabric_links", "link_tier",
                      {make_column("name", "link tier", lname), make_column("cables", "cables", lcables),
                       make_column("link_bandwidth", "bit/s", "bandwidth of each cable", lbw),
                       make_column("transceiver_ends", "transceiver ends (2 per cable)", lends),
                       make_column("power", "W", "transceiver power of the tier", lpower)}});
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
      {"bisection_bandwidth", in.fabric.inventory.bisection_bandwidth_bps, "bit/s", "fabric bisection bandwidth"},
  };
  return r;
}

}  // namespace clustersim
