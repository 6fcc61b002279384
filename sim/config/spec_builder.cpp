#include "sim/config/spec_builder.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "common/units.hpp"
#include "sim/config/batch_rule.hpp"
#include "sim/config/yaml_source.hpp"

namespace clustersim {

namespace {

template <typename T>
T get(const YAML::Node& map, const char* key, T fallback) {
  const YAML::Node n = yaml_child(map, key);
  return n.IsScalar() ? n.as<T>() : fallback;
}

/// A double converted to int; the schema ranges make every value fit, so one that does not is our bug.
int checked_int(double v, const char* key) {
  if (!(v >= std::numeric_limits<int>::min() && v <= std::numeric_limits<int>::max()))
    throw std::logic_error(std::string("spec_builder: ") + key + " = " + std::to_string(v) +
                           " does not fit an int (the schema range should have refused it)");
  return static_cast<int>(v);
}

/// An integer key (resolved as decimal digits) read as int, asserting the schema range kept it in int.
template <>
int get<int>(const YAML::Node& map, const char* key, int fallback) {
  const YAML::Node n = yaml_child(map, key);
  return n.IsScalar() ? checked_int(n.as<double>(), key) : fallback;
}

Recompute recompute_from_name(const std::string& name) {
  if (name == "selective") return Recompute::kSelective;
  if (name == "full") return Recompute::kFull;
  return Recompute::kNone;
}

TrainingJobSpec build_training(const YAML::Node& j, const Catalog& catalog) {
  TrainingJobSpec t;
  t.name = get<std::string>(j, "name", "");
  t.model = get<std::string>(j, "model", "");
  t.gpus = get<int>(j, "gpus", 0);
  const YAML::Node par = yaml_child(j, "parallelism");
  t.tp = get<int>(par, "tp", 1);
  t.pp = get<int>(par, "pp", 1);
  t.dp = get<int>(par, "dp", 1);
  t.cp = get<int>(par, "cp", 1);
  t.ep = get<int>(par, "ep", 1);
  t.virtual_stages = get<int>(par, "virtual_stages", 1);
  t.zero_stage = get<int>(par, "zero_stage", 0);
  t.distributed_optimizer = get<bool>(par, "distributed_optimizer", false);
  t.overlap_grad_reduce = get<bool>(par, "overlap_grad_reduce", false);
  t.overlap_tp_comm = get<bool>(par, "overlap_tp_comm", false);
  t.overlap_ep_comm = get<bool>(par, "overlap_ep_comm", false);
  t.sequence_parallel = get<bool>(par, "sequence_parallel", true);
  t.grad_reduce_bytes = get<std::string>(par, "grad_reduce_dtype", "bf16") == "fp32" ? 4 : 2;
  t.flash_attention = get<bool>(j, "flash_attention", true);
  t.precision = precision_from_name(get<std::string>(j, "precision", "bf16"));
  t.micro_batch = get<int>(j, "micro_batch", 1);
  t.seq_len = get<int>(j, "seq_len", 0);
  auto model = catalog.models.find(t.model);
  if (t.seq_len == 0 && model != catalog.models.end()) t.seq_len = model->second.seq_len;
  t.global_batch = get<int>(j, "global_batch", 0);
  t.tokens_per_step_requested = get<double>(j, "tokens_per_step", 0);
  if (t.global_batch == 0 && t.tokens_per_step_requested > 0) {  // whole micro-batches per replica
    const long long seqs =
        sequences_from_tokens(t.tokens_per_step_requested, t.seq_len, 1LL * t.dp * t.micro_batch);
    t.global_batch = seqs > 0 ? static_cast<int>(seqs) : 0;  // 0 or -1: check_batch reports it
  }
  t.recompute = recompute_from_name(get<std::string>(j, "recompute", "none"));
  t.start_s = get<double>(j, "start", 0);
  t.steps = get<int>(j, "steps", 0);
  t.detailed_steps = get<int>(j, "detailed_steps", 3);
  return t;
}

InferenceServiceSpec build_inference(const YAML::Node& s) {
  InferenceServiceSpec i;
  i.name = get<std::string>(s, "name", "");
  i.model = get<std::string>(s, "model", "");
  i.replicas = get<int>(s, "replicas", 1);
  i.tp = get<int>(s, "tp", 1);
  i.pp = get<int>(s, "pp", 1);
  i.ep = get<int>(s, "ep", 1);
  const YAML::Node spec_dec = yaml_child(s, "speculative");
  i.speculative_draft_tokens = get<int>(spec_dec, "draft_tokens", 0);
  i.speculative_acceptance = get<double>(spec_dec, "acceptance", 0);
  i.speculative_draft_cost_fraction = get<double>(spec_dec, "draft_cost_fraction", 0);
  i.precision = precision_from_name(get<std::string>(s, "precision", "bf16"));
  i.max_batch = get<int>(s, "max_batch", 256);
  i.max_batch_tokens = get<int>(s, "max_batch_tokens", 8192);
  i.router = get<std::string>(s, "router", "least-loaded");
  i.start_s = get<double>(s, "start", 0);
  const YAML::Node a = yaml_child(s, "arrivals");
  i.arrivals.kind = get<std::string>(a, "kind", "poisson");
  i.arrivals.rate_per_s = get<double>(a, "rate", 1);
  i.arrivals.input_tokens = get<double>(a, "input_tokens", 1024);
  i.arrivals.output_tokens = get<double>(a, "output_tokens", 256);
  i.arrivals.lengths = get<std::string>(a, "lengths", "exponential");
  i.arrivals.trace = get<std::string>(a, "trace", "");
  i.arrivals.scale = get<double>(a, "scale", 1);
  i.arrivals.cv = get<double>(a, "cv", 1);
  i.arrivals.requests = get<int>(a, "requests", 0);
  i.arrivals.diurnal_amplitude = get<double>(a, "diurnal_amplitude", 0);
  i.arrivals.diurnal_period_s = get<double>(a, "diurnal_period", 86400);
  i.arrivals.diurnal_peak_s = get<double>(a, "diurnal_peak", 50400);
  i.kv_cache_fraction = get<double>(s, "kv_cache_fraction", 0.9);
  i.kv_policy = get<std::string>(s, "kv_policy", "reserve");
  i.prefix_caching = get<bool>(s, "prefix_caching", false);
  const YAML::Node slo = yaml_child(s, "slo");
  i.slo_ttft_s = get<double>(slo, "ttft", 0);
  i.slo_tpot_s = get<double>(slo, "tpot", 0);
  i.detailed_replicas = get<int>(s, "detailed_replicas", 0);
  i.decode_stretches = get<bool>(s, "decode_stretches", true);
  const YAML::Node d = yaml_child(s, "disaggregation");
  i.prefill_replicas = get<int>(d, "prefill_replicas", 0);
  i.decode_replicas = get<int>(d, "decode_replicas", 0);
  return i;
}

}  // namespace

Precision precision_from_name(const std::string& name) {
  if (name == "fp8") return Precision::kFp8;
  if (name == "fp4") return Precision::kFp4;
  return Precision::kBf16;
}

ExperimentSpec build_spec(const YAML::Node& tree, const Catalog& catalog) {
  ExperimentSpec e;
  e.name = get<std::string>(tree, "name", "");
  e.description = get<std::string>(tree, "description", "");
  e.seed = get<unsigned long long>(tree, "seed", 42);
  e.duration_s = get<double>(tree, "duration", 0);

  const YAML::Node c = yaml_child(tree, "cluster");
  e.cluster.gpu = get<std::string>(c, "gpu", "");
  e.cluster.server = get<std::string>(c, "server", "");
  e.cluster.servers = get<int>(c, "servers", 0);
  e.cluster.gpus_per_server = get<int>(c, "gpus_per_server", 0);
  auto gpu = catalog.accelerators.find(e.cluster.gpu);
  if (e.cluster.server.empty() && gpu != catalog.accelerators.end()) e.cluster.server = gpu->second.default_server;
  auto server = catalog.servers.find(e.cluster.server);
  if (e.cluster.gpus_per_server == 0 && server != catalog.servers.end())
    e.cluster.gpus_per_server = server->second.gpus;
  e.cluster.scaleup_domain = get<int>(c, "scaleup_domain", 0);
  e.cluster.scaleup_bandwidth_bps = get<double>(c, "scaleup_bandwidth", 0);
  if (gpu != catalog.accelerators.end()) {
    if (e.cluster.scaleup_domain == 0) e.cluster.scaleup_domain = gpu->second.scaleup_domain;
    if (e.cluster.scaleup_bandwidth_bps == 0) e.cluster.scaleup_bandwidth_bps = bits_per_s(gpu->second.scaleup_bandwidth_Bps);
  }
  if (e.cluster.scaleup_domain == 0) e.cluster.scaleup_domain = e.cluster.gpus_per_server;

  const YAML::Node f = yaml_child(tree, "fabric");
  e.fabric.topology = get<std::string>(f, "topology", "fat-tree");
  e.fabric.tiers = get<int>(f, "tiers", 2);
  e.fabric.link_bps = get<double>(f, "link", 400e9);
  e.fabric.nics_per_server = get<int>(f, "nics_per_server", 0);
  if (e.fabric.nics_per_server == 0) e.fabric.nics_per_server = e.cluster.gpus_per_server;
  e.fabric.nic = get<std::string>(f, "nic", "");
  e.fabric.switch_model = get<std::string>(f, "switch", "");
  e.fabric.radix = get<int>(f, "radix", 0);
  e.fabric.leaf_oversubscription = get<double>(f, "oversubscription", 1);
  e.fabric.spine_oversubscription = get<double>(f, "spine_oversubscription", 1);
  e.fabric.optics = get<std::string>(f, "optics", "pluggable");
  e.fabric.su_servers = get<int>(f, "su_servers", 32);
  const YAML::Node df = yaml_child(f, "dragonfly");
  e.fabric.dragonfly.routers_per_group = get<int>(df, "routers_per_group", 0);
  e.fabric.dragonfly.servers_per_router = get<int>(df, "servers_per_router", 0);
  e.fabric.dragonfly.global_links_per_router = get<int>(df, "global_links_per_router", 0);
  e.fabric.dragonfly.groups = get<int>(df, "groups", 0);

  e.facility.pue = get<double>(yaml_child(tree, "facility"), "pue", 1.2);

  const YAML::Node w = yaml_child(tree, "workload");
  for (const auto& j : yaml_child(w, "training")) e.training.push_back(build_training(j, catalog));
  for (const auto& s : yaml_child(w, "inference")) e.inference.push_back(build_inference(s));

  const YAML::Node o = yaml_child(tree, "output");
  e.output.path = get<std::string>(o, "path", "");
  if (e.output.path.empty()) e.output.path = "results/" + e.name + ".h5";
  e.output.sample_interval_s = get<double>(o, "sample_interval", 1);

  const YAML::Node s = yaml_child(tree, "sweep");
  e.sweep.output_dir = get<std::string>(s, "output_dir", "");
  if (e.sweep.output_dir.empty()) e.sweep.output_dir = "results/" + e.name + "-sweep";
  return e;
}

}  // namespace clustersim
