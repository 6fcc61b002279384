#include "sim/config/experiment_rules.hpp"

#include <map>

#include "common/units.hpp"
#include "sim/config/batch_rule.hpp"
#include "sim/config/rule_context.hpp"
#include "spec/cluster_pools.hpp"

namespace clustersim {

namespace {

std::string str(long long v) { return std::to_string(v); }

/// The accelerator of the pool named `pool` ("" = the first), nullptr when unknown (reported elsewhere).
const AcceleratorSpec* pool_gpu(const ExperimentSpec& spec, const Catalog& catalog, const std::string& pool) {
  const auto pools = site_pools(spec.cluster);
  if (pool_index(pools, pool) < 0) return nullptr;
  auto it = catalog.accelerators.find(find_pool(pools, pool).gpu);
  return it == catalog.accelerators.end() ? nullptr : &it->second;
}

/// A workload's `pool` names a pool of the site that has servers.
void check_pool_name(Rules& r, const std::string& path, const std::string& pool, const ExperimentSpec& spec) {
  if (!r.ok(path + ".pool") || !r.ok("cluster.servers")) return;
  const auto pools = site_pools(spec.cluster);
  std::vector<std::string> names;
  for (const auto& p : pools) names.push_back(p.name);
  const int i = pool_index(pools, pool);
  if (i < 0)
    r.error(path + ".pool", "unknown pool '" + pool + "'", did_you_mean(pool, names));
  else if (pools[i].servers == 0)
    r.error(path + ".pool", "pool '" + pools[i].name + "' has no servers (the pools take all of cluster.servers)",
            "raise cluster.servers or name another pool");
}

std::string supported_precisions(const AcceleratorSpec& a) {
  std::string out;
  for (Precision p : {Precision::kBf16, Precision::kFp8, Precision::kFp4})
    if (a.peak_flops(p) > 0) out += (out.empty() ? "" : ", ") + std::string(precision_name(p));
  return out;
}

void check_name(Rules& r, const std::string& path, const std::string& name,
                std::map<std::string, std::string>& first_use) {
  if (!r.ok(path + ".name")) return;
  auto [it, inserted] = first_use.emplace(name, path);
  if (inserted) return;
  const SourceLocation first = r.location(it->second + ".name");
  r.error(path + ".name",
          "duplicate name '" + name + "' (first used by " + it->second +
              (first.line > 0 ? " at line " + std::to_string(first.line) : "") + ")",
          "jobs and services need unique names");
}

void check_model(Rules& r, const std::string& path, const std::string& model, const Catalog& catalog) {
  if (r.ok(path + ".model") && !catalog.models.count(model))
    r.error(path + ".model", "unknown model '" + model + "'", did_you_mean(model, catalog_names(catalog.models)));
}

void check_precision(Rules& r, const std::string& path, Precision p, const AcceleratorSpec* gpu) {
  if (gpu == nullptr || !r.ok(path + ".precision") || gpu->peak_flops(p) > 0) return;
  r.error(path + ".precision",
          gpu->name + " does not support " + precision_name(p) + " (its peak_" + precision_name(p) + " is 0)",
          "supported precisions: " + supported_precisions(*gpu));
}

void check_batch(Rules& r, const TrainingJobSpec& t, const std::string& path) {
  const std::string gb_path = path + ".global_batch", tokens_path = path + ".tokens_per_step";
  if (!r.all_ok({gb_path, tokens_path, path + ".micro_batch", path + ".parallelism.dp"})) return;
  const long long given_batch = static_cast<long long>(r.number(gb_path));
  const double tokens = r.number(tokens_path);
  const long long per_step = 1LL * t.dp * t.micro_batch;
  const std::string per_step_text =
      "dp x micro_batch = " + str(t.dp) + " x " + str(t.micro_batch) + " = " + str(per_step);
  if (given_batch > 0 && tokens > 0) {
    r.error(tokens_path, "give either global_batch or tokens_per_step, not both",
            "global_batch = " + str(given_batch) + " sequences; tokens_per_step = " + format_number(tokens));
  } else if (given_batch == 0 && tokens == 0) {
    r.error(path, "one of global_batch or tokens_per_step must be > 0", "e.g. tokens_per_step: 4M");
  } else if (given_batch > 0 && given_batch % per_step != 0) {
    r.error(gb_path, "global_batch = " + str(given_batch) + " is not a multiple of " + per_step_text);
  } else if (tokens > 0 && t.seq_len > 0) {
    const long long sequences = sequences_from_tokens(tokens, t.seq_len, per_step);
    if (sequences == 0) {
      r.error(tokens_path,
              "tokens_per_step = " + format_number(tokens) + " is less than one sequence of " + str(t.seq_len) +
                  " tokens for each of " + per_step_text + " micro-batch slots",
              "raise tokens_per_step to at least " + str(per_step * t.seq_len));
    } else if (sequences < 0) {
      r.error(tokens_path,
              "tokens_per_step = " + format_number(tokens) + " gives more than " + format_number(kMaxGlobalBatch) +
                  " sequences of " + str(t.seq_len) + " tokens per step",
              "use at most " + format_number(kMaxGlobalBatch * t.seq_len) + " tokens per step");
    }
  }
}

/// EP, interleaving and ZeRO consistency; sets `layout_consistent` when the layout can be sized (HBM fit is a
/// physical check, sim/setup/feasibility).
void check_parallel_layout(Rules& r, const TrainingJobSpec& t, const std::string& path, const ExperimentSpec& spec,
                           const Catalog& catalog, bool sizes_ok, bool& layout_consistent) {
  const std::string par = path + ".parallelism";
  auto model_it = catalog.models.find(t.model);
  if (model_it == catalog.models.end() || !sizes_ok) return;
  const LlmSpec& m = model_it->second;
  bool ok = true;
  if (r.ok(par + ".ep") && t.ep > 1) {
    if (m.experts == 0) {
      r.error(par + ".ep", "ep = " + str(t.ep) + " but " + t.model + " is dense (no experts)", "use ep: 1");
      ok = false;
    } else if (t.dp % t.ep != 0 || m.experts % t.ep != 0) {
      r.error(par + ".ep",
              "ep = " + str(t.ep) + " must divide dp = " + str(t.dp) + " and the " + str(m.experts) + " experts",
              "expert parallelism splits the data-parallel ranks");
      ok = false;
    }
  }
  if (r.ok(par + ".virtual_stages") && t.virtual_stages > 1 &&
      (t.pp == 1 || 1LL * t.pp * t.virtual_stages > m.layers)) {
    r.error(par + ".virtual_stages",
            "virtual_stages = " + str(t.virtual_stages) + " needs pp > 1 and pp x virtual_stages <= " + str(m.layers) +
                " layers",
            "use virtual_stages: 1 or fewer chunks");
    ok = false;
  }
  if (r.ok(par + ".zero_stage") && t.zero_stage > 0 && t.distributed_optimizer) {
    r.error(par + ".distributed_optimizer", "give either zero_stage or distributed_optimizer (= ZeRO-1), not both");
    ok = false;
  }
  layout_consistent = ok && t.global_batch > 0 && t.seq_len > 0 && pool_gpu(spec, catalog, t.pool) != nullptr;
}

void check_training(Rules& r, const TrainingJobSpec& t, const std::string& path, const ExperimentSpec& spec,
                    const AcceleratorSpec* gpu, const Catalog& catalog, bool& layout_consistent) {
  check_precision(r, path, t.precision, gpu);
  const std::string par = path + ".parallelism";
  const bool sizes_ok = r.all_ok({par + ".tp", par + ".pp", par + ".dp", par + ".cp", path + ".gpus"});
  const long long product = 1LL * t.tp * t.pp * t.dp * t.cp;
  if (sizes_ok && product != t.gpus) {
    const std::string cp_text = t.cp > 1 ? " x cp" : "", cp_value = t.cp > 1 ? " x " + str(t.cp) : "";
    r.error(r.written(par) ? par : path + ".gpus",
            "tp x pp x dp" + cp_text + " = " + str(t.tp) + " x " + str(t.pp) + " x " + str(t.dp) + cp_value + " = " +
                str(product) + ", but gpus = " + str(t.gpus),
            "make gpus equal to tp x pp x dp" + cp_text);
  }
  // Tensor parallelism runs its collectives at scale-up (NVLink / UB) speed: it must fit in one domain.
  const auto pools = site_pools(spec.cluster);
  const int domain = pool_index(pools, t.pool) >= 0 ? find_pool(pools, t.pool).scaleup_domain : 0;
  if (r.ok(par + ".tp") && domain > 0 && t.tp > domain) {
    r.error(par + ".tp",
            "tp = " + str(t.tp) + " is larger than the scale-up domain of " + str(domain) + " GPUs (" +
                find_pool(pools, t.pool).gpu + "): tensor parallelism across the scale-out fabric is not modelled",
            "use tp <= " + str(domain) + " and split further with pp, cp or dp (or a larger cluster.scaleup_domain)");
  }
  const int per_server = spec.cluster.gpus_per_server;
  if (sizes_ok && per_server > 0 && t.gpus % per_server != 0 && t.tp > per_server) {
    r.error(path + ".gpus",
            "gpus = " + str(t.gpus) + " is not a multiple of gpus_per_server = " + str(per_server) +
                ", and tp = " + str(t.tp) + " does not fit in one server",
            "use whole servers, or tp <= " + str(per_server));
  }
  check_batch(r, t, path);
  check_parallel_layout(r, t, path, spec, catalog, sizes_ok && product == t.gpus, layout_consistent);
}

/// Disaggregated pools: both at least one replica, together the service's replicas, every replica detailed.
void check_disaggregation(Rules& r, const InferenceServiceSpec& s, const std::string& path) {
  const std::string d = path + ".disaggregation";
  auto bad = [&](const std::string& key) { return r.written(key) && !r.ok(key); };  // already reported
  if (!s.disaggregated() || bad(d + ".prefill_replicas") || bad(d + ".decode_replicas") || bad(path + ".replicas"))
    return;
  if (s.prefill_replicas < 1 || s.decode_replicas < 1)
    r.error(d,
            "a disaggregated service needs at least one prefill and one decode replica (prefill_replicas = " +
                str(s.prefill_replicas) + ", decode_replicas = " + str(s.decode_replicas) + ")",
            "give both pools >= 1 replica, or remove disaggregation for colocated serving");
  else if (s.prefill_replicas + s.decode_replicas != s.replicas)
    r.error(d,
            "prefill_replicas + decode_replicas = " + str(s.prefill_replicas + s.decode_replicas) +
                " but replicas = " + str(s.replicas),
            "set replicas: " + str(s.prefill_replicas + s.decode_replicas));
  if (s.detailed_replicas > 0 && s.detailed_replicas < s.replicas)
    r.error(path + ".detailed_replicas", "fleet sampling (detailed_replicas) is not supported with disaggregation",
            "remove detailed_replicas: every replica of a disaggregated service is simulated");
}

/// Serving PP/EP: a replica (tp x pp GPUs) fits in one server; ep only for MoE, ep <= experts, ep | tp.
void check_serving_parallelism(Rules& r, const InferenceServiceSpec& s, const std::string& path,
                               const ExperimentSpec& spec, const Catalog& catalog) {
  const int per_server = spec.cluster.gpus_per_server;
  if (per_server > 0 && s.pp > 1 && r.ok(path + ".tp") && r.ok(path + ".pp") && s.gpus() > per_server)
    r.error(path + ".pp",
            "a replica of tp x pp = " + str(s.tp) + " x " + str(s.pp) + " = " + str(s.gpus()) +
                " GPUs does not fit in one server of " + str(per_server) + " GPUs",
            "replicas spanning servers are not modelled: use tp x pp <= " + str(per_server));
  const std::string sd = path + ".speculative";
  if (s.speculative_draft_tokens > 0)
    for (const char* key : {".acceptance", ".draft_cost_fraction"})
      if (!r.written(sd + key))
        r.error(sd, std::string("speculative decoding needs ") + (key + 1) + " as well as draft_tokens",
                "give draft_tokens (k), acceptance (a) and draft_cost_fraction (c, draft pass / target iteration)");
  if (s.ep <= 1 || !r.ok(path + ".ep")) return;
  auto m = catalog.models.find(s.model);
  if (m != catalog.models.end() && m->second.experts == 0)
    r.error(path + ".ep", "ep = " + str(s.ep) + " but " + s.model + " is not a mixture of experts",
            "remove ep (expert parallelism needs a MoE model)");
  else if (m != catalog.models.end() && s.ep > m->second.experts)
    r.error(path + ".ep", "ep = " + str(s.ep) + " exceeds the model's " + str(m->second.experts) + " experts",
            "use ep <= " + str(m->second.experts));
  else if (r.ok(path + ".tp") && (s.ep > s.tp || s.tp % s.ep != 0))
    r.error(path + ".ep", "ep = " + str(s.ep) + " must divide tp = " + str(s.tp),
            "experts are spread over ep of each stage's tp GPUs: use an ep that divides tp");
}

/// Autoscaling: between min_replicas and replicas, a sampled fleet whose detailed replicas always run, a target
/// rate, a start-up shorter than the interval; open-loop arrivals; lending needs a scheduler to lend to.
void check_autoscale(Rules& r, const InferenceServiceSpec& s, const std::string& path, const ExperimentSpec& spec) {
  const std::string a = path + ".autoscale";
  if (!s.autoscaled() || !r.all_ok({a + ".min_replicas", a + ".target_rate", a + ".interval", a + ".startup",
                                    a + ".lend", path + ".replicas", path + ".detailed_replicas"}))
    return;
  if (s.autoscale_min_replicas > s.replicas)
    r.error(a + ".min_replicas",
            "min_replicas = " + str(s.autoscale_min_replicas) + " is above replicas = " + str(s.replicas),
            "replicas is the most the autoscaler runs: raise it or lower min_replicas");
  if (s.detailed_replicas < 1 || s.detailed_replicas > s.autoscale_min_replicas)
    r.error(path + ".detailed_replicas",
            "an autoscaled service needs 1 <= detailed_replicas <= min_replicas (detailed_replicas = " +
                str(s.detailed_replicas) + ", min_replicas = " + str(s.autoscale_min_replicas) + ")",
            "the detailed replicas run all the time and stand for the others: e.g. detailed_replicas: 16");
  if (s.disaggregated()) r.error(a, "autoscaling is not modelled for disaggregated services", "remove autoscale");
  if (!(s.autoscale_target_rate > 0))
    r.error(a + ".target_rate", "an autoscaled service needs target_rate > 0",
            "requests per second one replica serves within the SLO, e.g. from a fleet sweep");
  if (s.autoscale_startup_s >= s.autoscale_interval_s)
    r.error(a + ".startup", "startup must be shorter than interval", "e.g. interval: 5min, startup: 2min");
  if (r.ok(path + ".arrivals.kind") && s.arrivals.kind == ArrivalKind::kBatch)
    r.error(a, "a batch of requests queued at the start has no rate to follow", "use poisson, gamma or trace arrivals");
  if (s.autoscale_lend && spec.scheduler.policy == SchedulerKind::kNone && r.ok("scheduler.policy"))
    r.error(a + ".lend", "lending parked servers needs a scheduler of training jobs (scheduler.policy is none)",
            "set scheduler.policy: backfill (or fifo, priority)");
}

void check_inference(Rules& r, const InferenceServiceSpec& s, const std::string& path, const ExperimentSpec& spec,
                     const AcceleratorSpec* gpu) {
  check_autoscale(r, s, path, spec);
  check_precision(r, path, s.precision, gpu);
  const int per_server = spec.cluster.gpus_per_server;
  if (per_server > 0 && r.ok(path + ".tp") && s.tp > per_server)
    r.error(path + ".tp", "tp = " + str(s.tp) + " does not fit in one server of " + str(per_server) + " GPUs",
            "a replica runs inside one server: use tp <= " + str(per_server));
  if (r.ok(path + ".arrivals.kind") && s.arrivals.kind == ArrivalKind::kTrace && r.ok(path + ".arrivals.trace") &&
      s.arrivals.trace.empty())
    r.error(path + ".arrivals", "kind is trace but no trace is given",
            "set trace: azure-conv, azure-code, mooncake-conv, mooncake-synthetic or the path to a .csv/.jsonl file");
  if (r.ok(path + ".arrivals.kind") && s.arrivals.kind == ArrivalKind::kBatch && r.ok(path + ".arrivals.requests") &&
      s.arrivals.requests == 0)
    r.error(path + ".arrivals", "kind is batch but requests is 0",
            "set requests: the number of requests queued at the start");
  check_disaggregation(r, s, path);
}

/// A per-GPU power cap must leave the GPU more than its idle power (a cap above the board limit does nothing).
void check_power_cap(Rules& r, const std::string& path, double cap_w, const AcceleratorSpec& gpu) {
  if (cap_w <= 0 || !r.ok(path) || cap_w > gpu.idle_w) return;
  r.error(path,
          "a power cap of " + format_quantity(cap_w, Quantity::kPower) + " is not above the " + gpu.name +
              "'s idle power (" + format_quantity(gpu.idle_w, Quantity::kPower) + ")",
          "caps lower the clock of running kernels: use one between the idle power and the board limit (" +
              format_quantity(gpu.tdp_w, Quantity::kPower) + "), or 0 for none");
}

/// cluster.pools: unique names, known catalog parts, servers of the same size (one fabric), within cluster.servers.
void check_pools(Rules& r, const ExperimentSpec& spec, const Catalog& catalog) {
  const auto& c = spec.cluster;
  std::map<std::string, std::string> first_use{{c.name, "cluster.name"}};
  long long taken = 0;
  for (size_t i = 0; i < c.pools.size(); ++i) {
    const PoolSpec& p = c.pools[i];
    const std::string path = "cluster.pools[" + std::to_string(i) + "]";
    if (r.ok(path + ".name")) {
      auto [it, inserted] = first_use.emplace(p.name, path + ".name");
      if (!inserted)
        r.error(path + ".name", "duplicate pool name '" + p.name + "' (also " + it->second + ")",
                "pools need unique names (the main pool is cluster.name, default main)");
    }
    const bool gpu_ok = r.ok(path + ".gpu") && catalog.accelerators.count(p.gpu);
    if (r.ok(path + ".gpu") && !gpu_ok)
      r.error(path + ".gpu", "unknown accelerator '" + p.gpu + "'",
              did_you_mean(p.gpu, catalog_names(catalog.accelerators)));
    const bool server_given = r.ok(path + ".server") && !r.node(path + ".server").Scalar().empty();
    if (server_given && !catalog.servers.count(p.server))
      r.error(path + ".server", "unknown server '" + p.server + "'",
              did_you_mean(p.server, catalog_names(catalog.servers)));
    else if ((server_given || gpu_ok) && c.gpus_per_server > 0 && p.gpus_per_server != c.gpus_per_server)
      r.error(server_given ? path + ".server" : path + ".gpu",
              "server '" + p.server + "' holds " + str(p.gpus_per_server) + " GPUs but the cluster's servers hold " +
                  str(c.gpus_per_server) + " (cluster.gpus_per_server)",
              "pools share one fabric, whose servers all have the same GPUs and NICs: use servers of " +
                  str(c.gpus_per_server) + " GPUs");
    if (r.ok(path + ".servers")) taken += p.servers;
    if (gpu_ok) check_power_cap(r, path + ".power_cap", p.power_cap_w, catalog.accelerators.at(p.gpu));
  }
  if (r.ok("cluster.servers") && taken > c.servers)
    r.error("cluster.pools",
            "the pools take " + str(taken) + " servers but the cluster has " + str(c.servers) + " (cluster.servers)",
            "cluster.servers counts every server of the site: raise it to at least " + str(taken));
}

void check_cluster(Rules& r, const ExperimentSpec& spec, const Catalog& catalog) {
  const auto& c = spec.cluster;
  if (r.ok("cluster.gpu") && !catalog.accelerators.count(c.gpu))
    r.error("cluster.gpu", "unknown accelerator '" + c.gpu + "'",
            did_you_mean(c.gpu, catalog_names(catalog.accelerators)));
  else if (r.ok("cluster.gpu"))
    check_power_cap(r, "cluster.power_cap", c.power_cap_w, catalog.accelerators.at(c.gpu));
  // An empty server comes from the accelerator, whose default_server the catalog checks itself.
  const bool server_given = r.ok("cluster.server") && !r.node("cluster.server").Scalar().empty();
  if (server_given && !catalog.servers.count(c.server))
    r.error("cluster.server", "unknown server '" + c.server + "'",
            did_you_mean(c.server, catalog_names(catalog.servers)));
  check_pools(r, spec, catalog);
  if (!spec.fabric.nic.empty() && !catalog.nics.count(spec.fabric.nic))
    r.error("fabric.nic", "unknown NIC '" + spec.fabric.nic + "'",
            did_you_mean(spec.fabric.nic, catalog_names(catalog.nics)));
  if (!spec.fabric.switch_model.empty() && !catalog.switches.count(spec.fabric.switch_model))
    r.error("fabric.switch", "unknown switch '" + spec.fabric.switch_model + "'",
            did_you_mean(spec.fabric.switch_model, catalog_names(catalog.switches)));
}

void check_job_stream(Rules& r, const TrainingStreamSpec& j, const std::string& path, const ExperimentSpec& spec) {
  if (spec.scheduler.policy == SchedulerKind::kNone && r.ok("scheduler.policy"))
    r.error(path, "job streams submit jobs over time, which needs a scheduler (scheduler.policy is none)",
            "set scheduler.policy: fifo, backfill or priority");
  if (r.all_ok({path + ".run_time_median", path + ".run_time_mean"}) && j.run_time_mean_s < j.run_time_median_s)
    r.error(path + ".run_time_mean",
            "the mean run time (" + format_quantity(j.run_time_mean_s, Quantity::kTime) + ") is below the median (" +
                format_quantity(j.run_time_median_s, Quantity::kTime) + "): a log-normal's mean is at least its median",
            "set run_time_mean >= run_time_median (equal: every job runs the median)");
  if (r.all_ok({path + ".run_time_min", path + ".run_time_max"}) && j.run_time_min_s > j.run_time_max_s)
    r.error(path + ".run_time_min", "run_time_min is above run_time_max", "swap them");
  if (r.all_ok({path + ".batch_per_replica", path + ".micro_batch"}) && j.batch_per_replica % j.micro_batch != 0)
    r.error(
        path + ".batch_per_replica",
        "batch_per_replica = " + str(j.batch_per_replica) + " is not a multiple of micro_batch = " + str(j.micro_batch),
        "use a multiple of micro_batch");
  if (!r.ok(path + ".gpus")) return;
  double total = 0;
  for (size_t k = 0; k < j.gpu_sizes.size(); ++k) {
    total += j.gpu_weights[k];
    if (j.gpu_sizes[k] < 1)
      r.error(path + ".gpus", "job sizes (the keys of gpus) are whole numbers of GPUs >= 1",
              "e.g. gpus: {8: 0.6, 64: 0.4}");
  }
  if (!j.gpu_sizes.empty() && total <= 0)
    r.error(path + ".gpus", "every weight is 0", "give at least one size a positive weight");
}

/// A job's work is given one way: steps, run_time or tokens (or none: until the end).
void check_work(Rules& r, const TrainingJobSpec& t, const std::string& path) {
  const std::vector<std::pair<const char*, bool>> given = {
      {"steps", t.steps > 0}, {"run_time", t.run_time_s > 0}, {"tokens", t.tokens > 0}};
  std::vector<std::string> set;
  for (const auto& [key, on] : given)
    if (on && r.ok(path + "." + key)) set.push_back(key);
  if (set.size() > 1)
    r.error(path + "." + set[1], "the job's work is given twice (" + set[0] + " and " + set[1] + ")",
            "give one of steps, run_time or tokens");
}

/// Each pool holds its workloads: with a scheduler every job alone fits the servers its pool's services leave;
/// without, the pool's jobs and services fit together.
void check_capacity(Rules& r, const ExperimentSpec& spec) {
  const auto& c = spec.cluster;
  if (!r.ok("cluster.servers") || c.gpus_per_server <= 0) return;
  const auto pools = site_pools(c);
  for (size_t p = 0; p < pools.size(); ++p) {
    auto in_pool = [&](const std::string& name) { return pool_index(pools, name) == static_cast<int>(p); };
    long long training = 0, inference = 0;
    for (const auto& t : spec.training)
      if (in_pool(t.pool)) training += t.gpus;
    for (const auto& s : spec.inference)
      if (in_pool(s.pool)) inference += 1LL * s.replicas * s.gpus();
    const long long have = 1LL * pools[p].servers * c.gpus_per_server;
    const std::string where = pools.size() > 1 ? "pool '" + pools[p].name + "'" : std::string("the cluster");
    if (spec.scheduler.policy != SchedulerKind::kNone) {
      // Jobs queue for the servers the services leave: each job alone must fit there (else it would wait forever).
      const long long left = scheduler_servers(spec, static_cast<int>(p)) * c.gpus_per_server;
      for (size_t i = 0; i < spec.training.size(); ++i) {
        const auto& t = spec.training[i];
        if (!in_pool(t.pool)) continue;
        const auto quota = spec.scheduler.quota_gpus.find(t.tenant);
        if (quota != spec.scheduler.quota_gpus.end() && t.gpus > quota->second)
          r.error("workload.training[" + std::to_string(i) + "].gpus",
                  "job '" + t.name + "' needs " + str(t.gpus) + " GPUs but its tenant '" + t.tenant + "' may hold " +
                      format_number(quota->second) + " (scheduler.quotas): it could never start",
                  "raise the quota or shrink the job");
        const long long need = 1LL * (t.gpus + c.gpus_per_server - 1) / c.gpus_per_server * c.gpus_per_server;
        if (need > left)
          r.error("workload.training[" + std::to_string(i) + "].gpus",
                  "job '" + t.name + "' needs " + str(need) + " GPUs (whole servers) but the scheduler has " +
                      str(left < 0 ? 0 : left) + " (" + str(have) + " in " + where + ", " + str(inference) +
                      " held by inference services): it could never start",
                  "add servers, shrink the job or the services");
      }
      if (inference <= have) continue;
      training = 0;
    } else if (training + inference <= have) {
      continue;
    }
    r.error("workload",
            "the workload " + std::string(pools.size() > 1 ? "of pool '" + pools[p].name + "' " : "") + "needs " +
                str(training + inference) + " GPUs (training " + str(training) + ", inference " + str(inference) +
                ") but " + where + " has " + str(have) + " (" + str(pools[p].servers) + " servers x " +
                str(c.gpus_per_server) + " GPUs): " + str(training + inference - have) + " GPUs too many",
            "add servers or shrink the jobs");
  }
}

/// Failures stop, queue and restart jobs through the scheduler; forced failures name a class and a component that
/// exist.
void check_failures(Rules& r, const ExperimentSpec& spec, const Catalog& catalog) {
  const FailureSpec& f = spec.failures;
  if (f.active() && spec.scheduler.policy == SchedulerKind::kNone && r.ok("scheduler.policy"))
    r.error(f.enabled ? "failures.enabled" : "failures.forced",
            "failures stop training jobs that then restart through the cluster scheduler, but scheduler.policy is "
            "none",
            "set scheduler.policy: fifo (or backfill, priority)");
  if (f.active() && catalog.failure_classes.empty())
    r.error("failures", "the catalog has no failure_classes",
            "keep data/catalog/reliability.yaml, or add failure_classes to the catalog");
  const auto names = catalog_names(catalog.failure_classes);
  const int gps = std::max(1, spec.cluster.gpus_per_server);
  for (size_t i = 0; i < f.forced.size(); ++i) {
    const std::string path = "failures.forced[" + std::to_string(i) + "]";
    const auto cls = catalog.failure_classes.find(f.forced[i].failure_class);
    if (cls == catalog.failure_classes.end()) {
      r.error(path + ".class", "unknown failure class '" + f.forced[i].failure_class + "'",
              did_you_mean(f.forced[i].failure_class, names));
      continue;
    }
    // GPUs, NIC links and servers are known here; leaves, spines and cores only once the fabric is built (a leaf or
    // spine index past the fabric's fails no component: its row says so).
    const FailureScope scope = cls->second.scope;
    if (scope == FailureScope::kLeaf || scope == FailureScope::kSpine || scope == FailureScope::kCore) continue;
    const long long count = 1LL * spec.cluster.servers * (scope == FailureScope::kServer ? 1 : gps);
    if (f.forced[i].component >= count && r.ok(path + ".component"))
      r.error(path + ".component",
              "component " + str(f.forced[i].component) + " of class '" + cls->first + "' (scope " + kind_name(scope) +
                  ") does not exist: the cluster has " + str(count),
              "number them from 0");
  }
}

/// True when the fabric keys are valid and name catalog parts, so that the fabric can be built.
bool fabric_consistent(const Rules& r, const ExperimentSpec& spec, const Catalog& catalog) {
  if (!r.all_ok({"cluster.servers", "cluster.scaleup_domain", "fabric.topology", "fabric.tiers", "fabric.link",
                 "fabric.nics_per_server", "fabric.radix", "fabric.oversubscription", "fabric.spine_oversubscription",
                 "fabric.su_servers", "fabric.dragonfly.groups", "fabric.dragonfly.routers_per_group",
                 "fabric.dragonfly.servers_per_router", "fabric.dragonfly.global_links_per_router", "fabric.nic",
                 "fabric.switch", "fabric.optics"}) ||
      spec.cluster.gpus_per_server <= 0)
    return false;
  // Unknown switch and NIC names are reported by check_cluster.
  if (!spec.fabric.switch_model.empty() && !catalog.switches.count(spec.fabric.switch_model)) return false;
  if (!spec.fabric.nic.empty() && !catalog.nics.count(spec.fabric.nic)) return false;
  return true;
}

}  // namespace

long long scheduler_servers(const ExperimentSpec& spec, int pool) {
  const auto& c = spec.cluster;
  const auto pools = site_pools(c);
  if (c.gpus_per_server <= 0 || pool < 0 || pool >= static_cast<int>(pools.size())) return 0;
  long long inference = 0;
  for (const auto& s : spec.inference)
    if (pool_index(pools, s.pool) == pool) inference += 1LL * s.replicas * s.gpus();
  return pools[pool].servers - (inference + c.gpus_per_server - 1) / c.gpus_per_server;
}

RuleOutcome check_experiment(const ExperimentSpec& spec, const ResolvedConfig& resolved, const Catalog& catalog,
                             Diagnostics& diags) {
  Rules r(resolved, diags);
  RuleOutcome out;
  out.layout_consistent.assign(spec.training.size(), false);
  check_cluster(r, spec, catalog);
  std::map<std::string, std::string> first_use;
  for (size_t i = 0; i < spec.training.size(); ++i) {
    const std::string path = "workload.training[" + std::to_string(i) + "]";
    check_name(r, path, spec.training[i].name, first_use);
    check_model(r, path, spec.training[i].model, catalog);
    check_pool_name(r, path, spec.training[i].pool, spec);
    for (const std::string& p : spec.training[i].fallback_pools) check_pool_name(r, path, p, spec);
    bool consistent = false;
    check_training(r, spec.training[i], path, spec, pool_gpu(spec, catalog, spec.training[i].pool), catalog,
                   consistent);
    check_work(r, spec.training[i], path);
    out.layout_consistent[i] = consistent;
  }
  for (size_t i = 0; i < spec.inference.size(); ++i) {
    const std::string path = "workload.inference[" + std::to_string(i) + "]";
    check_name(r, path, spec.inference[i].name, first_use);
    check_model(r, path, spec.inference[i].model, catalog);
    const std::string& engine = spec.inference[i].engine;
    if (r.ok(path + ".engine") && !catalog.engines.count(engine))
      r.error(path + ".engine", "unknown serving engine '" + engine + "'",
              did_you_mean(engine, catalog_names(catalog.engines)));
    check_pool_name(r, path, spec.inference[i].pool, spec);
    check_inference(r, spec.inference[i], path, spec, pool_gpu(spec, catalog, spec.inference[i].pool));
    check_serving_parallelism(r, spec.inference[i], path, spec, catalog);
  }
  for (size_t i = 0; i < spec.training_streams.size(); ++i) {
    const std::string path = "workload.job_streams[" + std::to_string(i) + "]";
    check_name(r, path, spec.training_streams[i].name, first_use);
    check_model(r, path, spec.training_streams[i].model, catalog);
    check_pool_name(r, path, spec.training_streams[i].pool, spec);
    for (const std::string& p : spec.training_streams[i].fallback_pools) check_pool_name(r, path, p, spec);
    check_job_stream(r, spec.training_streams[i], path, spec);
  }
  check_capacity(r, spec);
  check_failures(r, spec, catalog);
  out.fabric_consistent = fabric_consistent(r, spec, catalog);
  return out;
}

}  // namespace clustersim
