#include "sim/config/catalog_loader.hpp"
#include "sim/config/experiment_loader.hpp"
#include "sim/config/field_builders.hpp"

namespace clustersim {

using namespace fields;

namespace {

const std::vector<std::string> kPrecisions = {"bf16", "fp8", "fp4"};

// Upper bounds of physical quantities (canonical units). Every numeric key has a finite range; integer
// keys fit the `int` of the spec structs (seed: 64 bits).
constexpr double kYear = 365 * 86400.0;  // times: simulated spans, starts, periods, sampling
constexpr double kDay = 86400.0;         // latency targets
constexpr double kMaxLink = 1e14;        // 100 Tbit/s per port
constexpr double kMaxScaleup = 8e14;     // 100 TB/s per GPU per direction
constexpr double kMaxTokens = 1e8;       // tokens of one prompt, answer or sequence (100M context)
// tokens_per_step: 1e9 tokens (60x the largest published pretraining batch, Llama 3's 16M) keeps
// tokens_per_step / seq_len (sequences per step, an int) below 2^31 for any seq_len >= 1.
constexpr double kMaxTokensPerStep = 1e9;

Schema cluster_schema() {
  return {"cluster",
          {required(text("gpu", "", "accelerator catalog name")),
           text("server", "\"\"", "server catalog name; \"\" = the accelerator's default_server"),
           required(integer("servers", "", 1, 1e6, "number of servers")),
           integer("gpus_per_server", "0", 0, 1024, "0 = the server entry's gpus"),
           integer("scaleup_domain", "0", 0, 1e6,
                   "GPUs per scale-up domain (NVLink/UB; 72 = GB200 NVL72); 0 = the accelerator's"),
           or_zero(quantity("scaleup_bandwidth", Quantity::kBandwidth, "0Gbps", 8e9,
                            "scale-up bandwidth per GPU per direction; 0 = the accelerator's", false, kMaxScaleup))}};
}

Schema dragonfly_schema() {
  return {"dragonfly",
          {integer("routers_per_group", "0", 0, 1e6, "a: routers per group; 0 = 2 x terminal ports"),
           integer("servers_per_router", "0", 0, 1e6, "servers per router; 0 = from the radix (balanced)"),
           integer("global_links_per_router", "0", 0, 1e6, "h: global cables per router; 0 = terminal ports"),
           integer("groups", "0", 0, 1e6, "groups; 0 = just enough for the servers")}};
}

Schema fabric_schema() {
  static const Schema dragonfly = dragonfly_schema();
  return {"fabric",
          {choice("topology", "fat-tree", {"fat-tree", "rail-optimized", "dragonfly"}, "network topology"),
           integer("tiers", "2", 2, 3, "switch tiers of the fat tree"),
           quantity("link", Quantity::kBandwidth, "400Gbps", 0, "bandwidth per NIC and switch port", true, kMaxLink),
           integer("nics_per_server", "0", 0, 1024, "0 = gpus_per_server"),
           text("nic", "\"\"", "NIC catalog name; \"\" = chosen by link speed"),
           text("switch", "\"\"", "switch catalog name; \"\" = chosen by link speed"),
           integer("radix", "0", 0, 1e6, "switch ports; 0 = from the switch model"),
           oversubscription("oversubscription", "1:1", 64, "leaf down:up bandwidth ratio"),
           oversubscription("spine_oversubscription", "1:1", 64, "spine down:up ratio (3 tiers)"),
           choice("optics", "pluggable", {"pluggable", "lpo", "cpo", "dac"}, "optical module kind"),
           removed("hop_latency",
                   "it changed no result: switch latency is part of the per-message collective latency "
                   "calibration.network_alpha_s (a catalog constant fitted to published runs), and SimGrid links "
                   "carry no latency; set catalog: {calibration: {network_alpha_s: {value: ..., source: ...}}}"),
           integer("su_servers", "32", 1, 1e6, "rail-optimized: servers per scalable unit (NIC k on rail leaf k)"),
           nested("dragonfly", FieldKind::kMap, &dragonfly, "dragonfly sizes (topology: dragonfly)")}};
}

Schema facility_schema() { return {"facility", {number("pue", "1.2", 1.0, 3.0, "power usage effectiveness")}}; }

Schema parallelism_schema() {
  return {"parallelism",
          {integer("tp", "1", 1, 1e6, "tensor-parallel degree"), integer("pp", "1", 1, 1e6, "pipeline stages"),
           integer("dp", "1", 1, 1e9, "data-parallel replicas"),
           integer("cp", "1", 1, 1e6, "context-parallel ranks (sequence split)"),
           integer("ep", "1", 1, 1e6, "expert-parallel ranks; divides dp"),
           integer("virtual_stages", "1", 1, 1e6, "interleaved 1F1B model chunks per GPU; 1 = plain 1F1B"),
           integer("zero_stage", "0", 0, 3, "ZeRO stage: 1 optimizer, 2 + gradients, 3 + weights sharded (FSDP)"),
           boolean("distributed_optimizer", "false", "Megatron distributed optimizer (ZeRO-1)"),
           boolean("overlap_grad_reduce", "false", "overlap the DP gradient reduction with the backward pass"),
           boolean("overlap_tp_comm", "false", "overlap tensor-parallel collectives with GEMMs"),
           boolean("overlap_ep_comm", "false", "overlap the expert-parallel all-to-all with compute"),
           boolean("sequence_parallel", "true", "Megatron sequence parallelism with TP"),
           choice("grad_reduce_dtype", "bf16", {"bf16", "fp32"}, "precision of the DP gradient reduction")}};
}

Schema training_schema(const Schema* parallelism) {
  return {"training job",
          {required(text("name", "", "job name, unique among jobs and services")),
           required(text("model", "", "model catalog name")),
           required(integer("gpus", "", 1, 1e9, "GPUs of the job = tp x pp x dp")),
           nested("parallelism", FieldKind::kMap, parallelism, "tp, pp, dp degrees"),
           choice("precision", "bf16", kPrecisions, "compute precision"),
           integer("micro_batch", "1", 1, 1e6, "sequences per micro-batch"),
           integer("global_batch", "0", 0, 1e9, "sequences per step; 0 = from tokens_per_step"),
           quantity("tokens_per_step", Quantity::kCount, "0", 0, "tokens per step (4M); 0 = from global_batch", false,
                    kMaxTokensPerStep),
           integer("seq_len", "0", 0, kMaxTokens, "tokens per sequence; 0 = the model's seq_len"),
           choice("recompute", "none", {"none", "selective", "full"}, "activation recomputation"),
           boolean("flash_attention", "true", "fused attention kernels (false: unfused softmax, as Megatron 2021-22)"),
           quantity("start", Quantity::kTime, "0s", 0, "start time", false, kYear),
           integer("steps", "0", 0, 1e9, "steps to run; 0 = until the end"),
           integer("detailed_steps", "3", 1, 1000, "steps simulated flow by flow")}};
}

Schema arrivals_schema() {
  return {"arrivals",
          {choice("kind", "poisson", {"poisson", "gamma", "batch", "trace"}, "request arrival process"),
           number("rate", "1", 0, 1e9, "mean requests per second (poisson)", true),
           number("input_tokens", "1024", 0, kMaxTokens, "mean prompt tokens (poisson)", true),
           number("output_tokens", "256", 0, kMaxTokens, "mean generated tokens (poisson)", true),
           choice("lengths", "exponential", {"fixed", "exponential", "servegen-deepseek-r1"},
                  "token length distribution (poisson, gamma); servegen-*: ServeGen's empirical lengths, the means "
                  "are then ignored"),
           text("trace", "\"\"",
                "azure-conv | azure-code | mooncake-conv | mooncake-synthetic | path to a .csv (Azure) or .jsonl "
                "(Mooncake) (kind: trace)"),
           number("scale", "1", 0, 1e6, "arrival rate multiplier (trace)", true),
           number("cv", "1", 0, 100, "coefficient of variation of inter-arrival times (gamma)", true),
           integer("requests", "0", 0, 1e9, "requests all present at the start (batch)"),
           number("diurnal_amplitude", "0", 0, 1, "relative daily swing of the rate (poisson, gamma)"),
           quantity("diurnal_period", Quantity::kTime, "24h", 0, "period of the rate cycle", true, kYear),
           quantity("diurnal_peak", Quantity::kTime, "14h", 0, "time of the peak rate from the start", false, kYear)}};
}

Schema slo_schema() {
  return {"slo",
          {quantity("ttft", Quantity::kTime, "0s", 0, "time to first token target; 0 = none", false, kDay),
           quantity("tpot", Quantity::kTime, "0s", 0, "time per output token target; 0 = none", false, kDay)}};
}

Schema disaggregation_schema() {
  return {"disaggregation",
          {integer("prefill_replicas", "0", 0, 1e9,
                   "replicas that only prefill (chunked, token budget); their KV cache goes to a decode replica as a "
                   "fabric flow; 0 with decode_replicas 0 = colocated"),
           integer("decode_replicas", "0", 0, 1e9,
                   "replicas that only decode (the router: least-loaded = fewest requests, kv-aware = fewest "
                   "KV tokens, round-robin); prefill_replicas + decode_replicas = replicas")}};
}

Schema speculative_schema() {
  return {"speculative",
          {integer("draft_tokens", "0", 0, 64, "draft tokens verified per sequence and step (k); 0 = off"),
           number("acceptance", "0", 0, 0.999, "probability that a draft token is accepted (a)"),
           number("draft_cost_fraction", "0", 0, 10,
                  "one draft pass / one target decode iteration, time (c; ~ the draft/target size); required "
                  "with draft_tokens")}};
}

Schema inference_schema(const Schema* arrivals, const Schema* slo, const Schema* disaggregation,
                        const Schema* speculative) {
  return {"inference service",
          {required(text("name", "", "service name, unique among jobs and services")),
           required(text("model", "", "model catalog name")),
           integer("replicas", "1", 1, 1e9, "model replicas"),
           integer("tp", "1", 1, 1024, "tensor-parallel GPUs per replica"),
           integer("pp", "1", 1, 1024, "pipeline stages per replica (replica GPUs = tp x pp, within one server)"),
           integer("ep", "1", 1, 1024, "expert-parallel GPUs within each stage (MoE only; divides tp)"),
           nested("speculative", FieldKind::kMap, speculative, "speculative decoding; absent = off"),
           choice("precision", "bf16", kPrecisions, "compute precision"),
           integer("max_batch", "256", 1, 1e9, "sequences decoded together"),
           integer("max_batch_tokens", "8192", 1, 1e9, "token budget per iteration"),
           choice("router", "least-loaded", {"round-robin", "least-loaded", "kv-aware"}, "request router"),
           quantity("start", Quantity::kTime, "0s", 0, "start time", false, kYear),
           nested("arrivals", FieldKind::kMap, arrivals, "request arrivals"),
           number("kv_cache_fraction", "0.9", 0, 1, "share of HBM - weights - activations given to the KV cache", true),
           choice("kv_policy", "reserve", {"reserve", "paged"},
                  "reserve: prompt + output reserved at admission, no eviction; paged: preemption by recompute"),
           boolean("prefix_caching", "false", "reuse the KV of shared prompt blocks (trace prefix hashes)"),
           nested("slo", FieldKind::kMap, slo, "latency targets for goodput"),
           integer("detailed_replicas", "0", 0, 1e9,
                   "replicas simulated request by request; 0 = all; the others mirror them"),
           boolean("decode_stretches", "true", "advance decode-only stretches in one step (exact)"),
           nested("disaggregation", FieldKind::kMap, disaggregation,
                  "prefill/decode pools with KV-cache transfers over the fabric; absent = colocated")}};
}

}  // namespace

const Schema& experiment_schema() {
  static const Schema cluster = cluster_schema();
  static const Schema fabric = fabric_schema();
  static const Schema facility = facility_schema();
  static const Schema parallelism = parallelism_schema();
  static const Schema training = training_schema(&parallelism);
  static const Schema arrivals = arrivals_schema();
  static const Schema slo = slo_schema();
  static const Schema disaggregation = disaggregation_schema();
  static const Schema speculative = speculative_schema();
  static const Schema inference = inference_schema(&arrivals, &slo, &disaggregation, &speculative);
  static const Schema workload{
      "workload",
      {nested("training", FieldKind::kListOfMaps, &training, "training jobs"),
       nested("inference", FieldKind::kListOfMaps, &inference, "inference services")}};
  static const Schema output{
      "output",
      {text("path", "\"\"", "results file; \"\" = results/<name>.h5"),
       quantity("sample_interval", Quantity::kTime, "1s", 0, "power time-series sampling period", true, kYear)}};
  static const Schema sweep{
      "sweep",
      {any("grid", "{}", "dotted key -> list of values; cartesian product, last axis fastest"),
       text("output_dir", "\"\"", "\"\" = results/<name>-sweep")}};
  static const Schema root{
      "experiment",
      {required(text("name", "", "experiment name")), text("description", "\"\"", "free text"),
       wide(integer("seed", "42", 0, 9.2e18, "random seed")),
       required(quantity("duration", Quantity::kTime, "", 0, "simulated time", true, kYear)),
       string_list("catalog_files", "extra catalog files, relative to the experiment file"),
       nested("catalog", FieldKind::kMap, &catalog_schema(), "inline catalog entries (add or override)"),
       required(nested("cluster", FieldKind::kMap, &cluster, "the servers and their accelerators")),
       nested("fabric", FieldKind::kMap, &fabric, "the scale-out network"),
       nested("facility", FieldKind::kMap, &facility, "the data center around the IT load"),
       nested("workload", FieldKind::kMap, &workload, "training jobs and inference services"),
       nested("output", FieldKind::kMap, &output, "results"), nested("sweep", FieldKind::kMap, &sweep, "parameter sweep")}};
  return root;
}

}  // namespace clustersim
