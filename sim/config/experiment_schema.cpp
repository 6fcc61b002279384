#include <charconv>

#include "sim/config/catalog_loader.hpp"
#include "sim/config/experiment_keys.hpp"
#include "sim/config/experiment_loader.hpp"

namespace clustersim {

using namespace fields;

namespace {

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

// One line per key: bind(member, field(name, default, range, doc)). Keys whose "0 / empty" default means a
// derived value are bound like the others; spec_builder.cpp fills in the derived value afterwards.

/// `power_cap` of the main pool and of each pool.
Field power_cap_field() {
  return or_zero(quantity("power_cap", Quantity::kPower, "0W", 1,
                          "per-GPU power cap (nvidia-smi -pl): lowers the SM clock of compute-bound phases; 0 = the "
                          "board limit",
                          false, 1e5));
}

/// `cluster.pools`: further accelerator pools beside the `cluster.gpu` servers, on the same fabric.
const KeyTable<PoolSpec>& pool_keys() {
  using P = PoolSpec;
  static const KeyTable<P> t{
      "pools",
      {required(bind(&P::name, text("name", "", "pool name, named by workloads' `pool`"))),
       required(bind(&P::gpu, text("gpu", "", "accelerator catalog name"))),
       bind(&P::server, text("server", "\"\"", "server catalog name; \"\" = the accelerator's default_server")),
       required(bind(&P::servers, integer("servers", "", 1, 1e6, "servers of the pool (out of cluster.servers)"))),
       bind(&P::scaleup_domain,
            integer("scaleup_domain", "0", 0, 1e6, "GPUs per scale-up domain; 0 = the accelerator's")),
       bind(&P::scaleup_bandwidth_bps,
            or_zero(quantity("scaleup_bandwidth", Quantity::kBandwidth, "0Gbps", 8e9,
                             "scale-up bandwidth per GPU per direction; 0 = the accelerator's", false, kMaxScaleup))),
       bind(&P::power_cap_w, power_cap_field())}};
  return t;
}

const KeyTable<ClusterSpec>& cluster_keys() {
  static const KeyTable<ClusterSpec> t{
      "cluster",
      {required(bind(&ClusterSpec::gpu, text("gpu", "", "accelerator catalog name"))),
       bind(&ClusterSpec::server,
            text("server", "\"\"", "server catalog name; \"\" = the accelerator's default_server")),
       required(bind(&ClusterSpec::servers, integer("servers", "", 1, 1e6, "number of servers"))),
       bind(&ClusterSpec::gpus_per_server, integer("gpus_per_server", "0", 0, 1024, "0 = the server entry's gpus")),
       bind(&ClusterSpec::scaleup_domain,
            integer("scaleup_domain", "0", 0, 1e6,
                    "GPUs per scale-up domain (NVLink/UB; 72 = GB200 NVL72); 0 = the accelerator's")),
       bind(&ClusterSpec::scaleup_bandwidth_bps,
            or_zero(quantity("scaleup_bandwidth", Quantity::kBandwidth, "0Gbps", 8e9,
                             "scale-up bandwidth per GPU per direction; 0 = the accelerator's", false, kMaxScaleup))),
       bind(&ClusterSpec::name, text("name", "main", "name of the pool of `gpu` servers (those no pools entry takes)")),
       list(&ClusterSpec::pools, pool_keys(), "pools",
            "further accelerator pools, each a consecutive range of the servers after the main pool's"),
       bind(&ClusterSpec::power_cap_w, power_cap_field()),
       bind(&ClusterSpec::gpu_power_floor,
            number("gpu_power_floor", "0", 0, 1,
                   "GPU power floor while training, a fraction of the board limit (power smoothing); 0 = none"))}};
  return t;
}

const KeyTable<DragonflySpec>& dragonfly_keys() {
  using D = DragonflySpec;
  static const KeyTable<D> t{
      "dragonfly",
      {bind(&D::routers_per_group,
            integer("routers_per_group", "0", 0, 1e6, "a: routers per group; 0 = 2 x terminal ports")),
       bind(&D::servers_per_router,
            integer("servers_per_router", "0", 0, 1e6, "servers per router; 0 = from the radix (balanced)")),
       bind(&D::global_links_per_router,
            integer("global_links_per_router", "0", 0, 1e6, "h: global cables per router; 0 = terminal ports")),
       bind(&D::groups, integer("groups", "0", 0, 1e6, "groups; 0 = just enough for the servers"))}};
  return t;
}

const KeyTable<FabricSpec>& fabric_keys() {
  using F = FabricSpec;
  static const KeyTable<F> t{
      "fabric",
      {bind(&F::topology, one_of("topology", "fat-tree", "network topology")),
       bind(&F::tiers, integer("tiers", "2", 2, 3, "switch tiers of the fat tree")),
       bind(&F::link_bps,
            quantity("link", Quantity::kBandwidth, "400Gbps", 0, "bandwidth per NIC and switch port", true, kMaxLink)),
       bind(&F::nics_per_server, integer("nics_per_server", "0", 0, 1024, "0 = gpus_per_server")),
       bind(&F::nic, text("nic", "\"\"", "NIC catalog name; \"\" = chosen by link speed")),
       bind(&F::switch_model, text("switch", "\"\"", "switch catalog name; \"\" = chosen by link speed")),
       bind(&F::radix, integer("radix", "0", 0, 1e6, "switch ports; 0 = from the switch model")),
       bind(&F::leaf_oversubscription, oversubscription("oversubscription", "1:1", 64, "leaf down:up bandwidth ratio")),
       bind(&F::spine_oversubscription,
            oversubscription("spine_oversubscription", "1:1", 64, "spine down:up ratio (3 tiers)")),
       bind(&F::optics, one_of("optics", "pluggable", "optical module kind")),
       unbound<F>(removed("hop_latency",
                          "it changed no result: switch latency is part of the per-message collective latency "
                          "calibration.network_alpha_s (a catalog constant fitted to published runs), and SimGrid "
                          "links carry no latency; set catalog: {calibration: {network_alpha_s: {value: ..., "
                          "source: ...}}}"),
                  "removed key (an error when written)"),
       bind(&F::su_servers,
            integer("su_servers", "32", 1, 1e6, "rail-optimized: servers per scalable unit (NIC k on rail leaf k)")),
       bind(&F::routing,
            one_of("routing", "ideal",
                   "how flows pick their paths: fat-trees ecmp, dmodk, adaptive; dragonflies minimal, valiant, ugal")),
       bind(&F::connections_per_nic,
            integer("connections_per_nic", "1", 1, 64,
                    "routed fabrics: connections per NIC pair, each routed on its own (NCCL: its channels over the "
                    "NIC x NCCL_IB_QPS_PER_CONNECTION); 1 is the worst case")),
       bind(&F::pxn, boolean("pxn", "true",
                             "rail-optimized, routed: all-to-all data from GPU i to GPU j of another server first "
                             "crosses NVLink to the GPU on rail j (NCCL's PXN, on by default since 2.12); false: it "
                             "leaves on GPU i's NIC and crosses rails through the spines")),
       nested(&F::dragonfly, dragonfly_keys(), "dragonfly", "dragonfly sizes (topology: dragonfly)")}};
  return t;
}

const KeyTable<FacilitySpec>& storage_keys() {
  static const KeyTable<FacilitySpec> t{
      "storage",
      {bind(&FacilitySpec::storage_energy_j,
            quantity("energy", Quantity::kEnergy, "0J", 0, "usable battery capacity; 0 = no storage", false, 1e15)),
       bind(&FacilitySpec::storage_power_w,
            quantity("power", Quantity::kPower, "0W", 0, "charge/discharge rating", false, 1e11)),
       bind(&FacilitySpec::storage_efficiency, number("efficiency", "0.9", 0, 1, "round-trip efficiency", true)),
       bind(&FacilitySpec::storage_smoothing_s,
            quantity("smoothing", Quantity::kTime, "60s", 0,
                     "time constant of the moving average the grid is asked for", true, kDay))}};
  return t;
}

const KeyTable<FacilitySpec>& facility_keys() {
  using F = FacilitySpec;
  static const KeyTable<FacilitySpec> t{
      "facility",
      {bind(&F::model, one_of("model", "constant-pue", "facility power model")),
       bind(&F::pue, number("pue", "1.2", 1.0, 3.0, "power usage effectiveness (constant-pue)")),
       bind(
           &F::power_budget_w,
           quantity("power_budget", Quantity::kPower, "0W", 0,
                    "the site's facility power budget (every pool; reported against the peak); 0 = none", false, 1e10)),
       bind(&F::cooling, one_of("cooling", "air-chiller", "cooling: how the heat leaves the IT (model cooling)")),
       bind(&F::heat_rejection,
            one_of("heat_rejection", "auto", "how the plant rejects heat outdoors (model cooling)")),
       bind(&F::economizer, one_of("economizer", "water-side", "free cooling of the air path (model cooling)")),
       bind(&F::site, text("site", "\"\"", "climate site of data/facility/climate.yaml (model cooling)")),
       bind(&F::start, text("start", "2025-01-01T00:00", "local date (and time) of simulated t = 0 (model cooling)")),
       bind(&F::outdoor_temperature_c,
            number("outdoor_temperature", "-100", -100, 60,
                   "constant outdoor dry bulb, C, instead of the site's weather; -100 = the site's (model cooling)")),
       bind(&F::outdoor_humidity_pct,
            number("outdoor_humidity", "50", 1, 100, "relative humidity with outdoor_temperature, % (model cooling)")),
       bind(&F::design_it_power_w,
            quantity("design_it_power", Quantity::kPower, "0W", 0,
                     "IT capacity the plant is built for (load fraction, no-load losses, provisioned power); 0 = "
                     "every GPU at its power limit (model cooling)",
                     false, 1e11)),
       bind(&F::other_power_w, quantity("other_power", Quantity::kPower, "0W", 0,
                                        "lighting, offices, storage, front-end network; 0 = other_power_fraction of "
                                        "data/facility/cooling.yaml x design IT (model cooling)",
                                        false, 1e10)),
       bind(&F::liquid_share,
            number("liquid_share", "0", 0, 1,
                   "share of IT heat into the liquid loop; 0 = by cooling kind, from data (model cooling)")),
       bind(&F::carbon_region,
            text("carbon_region", "\"\"", "grid region of data/facility/carbon.yaml; \"\" = the site's")),
       bind(&F::electricity_usd_per_kwh,
            number("electricity_price", "0", 0, 10,
                   "electricity price, USD/kWh (the costs in the summary); 0 = calibration "
                   "cost_electricity_usd_per_kwh (US industrial average)")),
       bind(&F::weather_seed, integer("weather_seed", "1", 0, 2147483647, "seed of the day-to-day weather")),
       bind(&F::budget_policy, one_of("budget_policy", "report", "what the site does about the budget")),
       group(storage_keys(), "storage",
             "battery storage between the site and the grid, smoothing the power trace's swings; absent = none")}};
  return t;
}

const KeyTable<TrainingJobSpec>& parallelism_keys() {
  using T = TrainingJobSpec;
  static const KeyTable<T> t{
      "parallelism",
      {bind(&T::tp, integer("tp", "1", 1, 1e6, "tensor-parallel degree")),
       bind(&T::pp, integer("pp", "1", 1, 1e6, "pipeline stages")),
       bind(&T::dp, integer("dp", "1", 1, 1e9, "data-parallel replicas")),
       bind(&T::cp, integer("cp", "1", 1, 1e6, "context-parallel ranks (sequence split)")),
       bind(&T::ep, integer("ep", "1", 1, 1e6, "expert-parallel ranks; divides dp")),
       bind(&T::virtual_stages,
            integer("virtual_stages", "1", 1, 1e6, "interleaved 1F1B model chunks per GPU; 1 = plain 1F1B")),
       bind(&T::zero_stage,
            integer("zero_stage", "0", 0, 3, "ZeRO stage: 1 optimizer, 2 + gradients, 3 + weights sharded (FSDP)")),
       bind(&T::distributed_optimizer,
            boolean("distributed_optimizer", "false", "Megatron distributed optimizer (ZeRO-1)")),
       bind(&T::overlap_grad_reduce,
            boolean("overlap_grad_reduce", "false", "overlap the DP gradient reduction with the backward pass")),
       bind(&T::overlap_tp_comm, boolean("overlap_tp_comm", "false", "overlap tensor-parallel collectives with GEMMs")),
       bind(&T::overlap_ep_comm,
            boolean("overlap_ep_comm", "false", "overlap the expert-parallel all-to-all with compute")),
       bind(&T::moe_max_nodes,
            integer("moe_max_nodes", "0", 0, 1e6,
                    "node-limited MoE routing: a token goes to at most this many servers, once each (0 = unlimited: "
                    "each routed copy travels)")),
       bind(&T::moe_dispatch_precision,
            one_of("moe_dispatch_precision", "bf16", "precision of the MoE dispatch all-to-all (the combine is bf16)")),
       bind(&T::moe_expert_skew,
            number("moe_expert_skew", "0", 0, 10,
                   "Zipf exponent of expert popularity; the busiest expert-parallel rank gates the all-to-all "
                   "(0 = balanced)")),
       bind(&T::order, one_of("order", "tp-cp-pp-dp",
                              "rank layout on the servers, innermost first: which of PP and DP stays near")),
       bind(&T::sequence_parallel, boolean("sequence_parallel", "true", "Megatron sequence parallelism with TP")),
       bind_as<GradReduceDtype>(&T::grad_reduce_bytes,
                                one_of("grad_reduce_dtype", "bf16", "precision of the DP gradient reduction"),
                                grad_reduce_element_bytes)}};
  return t;
}

const KeyTable<TrainingJobSpec>& checkpoint_keys() {
  using T = TrainingJobSpec;
  static const KeyTable<T> t{
      "checkpoint",
      {bind(&T::checkpoints,
            boolean("enabled", "true",
                    "the job writes checkpoints (with failures.*); false: a failure loses all it did since its start")),
       bind(&T::checkpoint_interval_s,
            or_zero(quantity("interval", Quantity::kTime, "0s", 1,
                             "training time between checkpoints; 0 = Daly's optimum for the job's mean time between "
                             "failures and its checkpoint write time (none without failures)",
                             false, kYear))),
       bind(&T::checkpoint_bytes,
            or_zero(quantity("size", Quantity::kData, "0B", 1,
                             "bytes of one checkpoint; 0 = weights + optimizer states", false, 1e18))),
       bind(&T::spares, integer("spares", "0", 0, 1e6,
                                "idle servers the job holds to swap in for failed ones (hot spares), taken at each "
                                "start as far as the pool has them free"))}};
  return t;
}

const KeyTable<TrainingJobSpec>& training_keys() {
  using T = TrainingJobSpec;
  static const KeyTable<T> t{
      "training job",
      {required(bind(&T::name, text("name", "", "job name, unique among jobs and services"))),
       required(bind(&T::model, text("model", "", "model catalog name"))),
       required(bind(&T::gpus, integer("gpus", "", 1, 1e9, "GPUs of the job = tp x pp x dp"))),
       group(parallelism_keys(), "parallelism", "tp, pp, dp degrees"),
       bind(&T::precision, one_of("precision", "bf16", "compute precision")),
       bind(&T::micro_batch, integer("micro_batch", "1", 1, 1e6, "sequences per micro-batch")),
       bind(&T::global_batch, integer("global_batch", "0", 0, 1e9, "sequences per step; 0 = from tokens_per_step")),
       bind(&T::tokens_per_step_requested,
            quantity("tokens_per_step", Quantity::kCount, "0", 0, "tokens per step (4M); 0 = from global_batch", false,
                     kMaxTokensPerStep)),
       bind(&T::seq_len, integer("seq_len", "0", 0, kMaxTokens, "tokens per sequence; 0 = the model's seq_len")),
       bind(&T::recompute, one_of("recompute", "none", "activation recomputation")),
       bind(&T::flash_attention, boolean("flash_attention", "true",
                                         "fused attention kernels (false: unfused softmax, as Megatron 2021-22)")),
       bind(&T::software,
            text("software", "\"\"",
                 "training framework generation (a catalog software entry: megatron-2021, megatron-2022, nemo-2024, "
                 "torchtitan-2024): the settings it ran with for flash_attention and the parallelism overlap and "
                 "precision keys this job does not set; \"\" = none")),
       bind(&T::start_s, quantity("start", Quantity::kTime, "0s", 0,
                                  "start time; with a scheduler (scheduler.policy) the submit time", false, kYear)),
       bind(&T::steps, integer("steps", "0", 0, 1e9, "steps to run; 0 = until the end (or run_time)")),
       bind(&T::run_time_s,
            quantity("run_time", Quantity::kTime, "0s", 0,
                     "work as run time at the estimated step time (steps = run_time / step, rounded up); 0 = steps",
                     false, kYear)),
       bind(&T::tokens,
            quantity("tokens", Quantity::kCount, "0", 0,
                     "work as tokens to train (steps = tokens / tokens per step, rounded up); 0 = steps", false, 1e18)),
       bind(&T::priority, integer("priority", "0", -1e6, 1e6, "scheduler priority (policy priority): higher first")),
       bind(&T::tenant, text("tenant", "\"\"", "whose GPU quota the job counts against (scheduler.quotas)")),
       bind_preference(&T::pool, &T::fallback_pools,
                       string_list("pool",
                                   "accelerator pool it runs on (cluster.name or a cluster.pools name), or a "
                                   "list in order of preference; none = the first pool")),
       bind(&T::detailed_steps, integer("detailed_steps", "3", 1, 1000, "steps simulated flow by flow")),
       bind(&T::exact_tree_broadcast,
            boolean("exact_tree_broadcast", "false",
                    "simulate the DP tree all-reduce's broadcast phase flow by flow (slower) instead of mirroring its "
                    "reduce phase")),
       group(checkpoint_keys(), "checkpoint",
             "checkpoints and hot spares (failures.*); absent = at the Daly optimum, no spares")}};
  return t;
}

/// A `named_values` key whose entries (a free name and its number) `add` puts into the struct; the schema
/// default is {}, which `empty` recognises in a default-constructed struct.
template <typename S>
Key<S> named_numbers(Field field, void (*add)(S&, const std::string&, double), bool (*empty)(const S&)) {
  Key<S> k;
  k.field = std::move(field);
  k.set = [add](const YAML::Node& v, S& out) {
    if (!v.IsMap()) return;
    for (auto it = v.begin(); it != v.end(); ++it)
      if (it->second.IsScalar()) add(out, it->first.Scalar(), it->second.as<double>());
  };
  k.check = [empty](const std::string& path, std::vector<KeyCheck>& out) {
    KeyCheck c;
    c.path = path;
    c.matches = empty(S{});
    out.push_back(c);
  };
  return k;
}

/// `gpus: {8: 0.6, 64: 0.3, 512: 0.1}`: GPUs per job -> relative weight (into gpu_sizes, gpu_weights). A name that
/// is not a whole number becomes size 0, which the rules refuse (experiment_rules.cpp).
Key<TrainingStreamSpec> gpu_mix_key() {
  static const Field weight = number("weight", "", 0, 1e9, "relative weight of this job size");
  return named_numbers<TrainingStreamSpec>(
      named_values("gpus", &weight, "drawn: GPUs per job -> weight, e.g. {8: 0.6, 64: 0.3, 512: 0.1}; {} = {8: 1}"),
      [](TrainingStreamSpec& out, const std::string& name, double weight) {
        int size = 0;
        const auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), size);
        out.gpu_sizes.push_back(ec == std::errc() && end == name.data() + name.size() ? size : 0);
        out.gpu_weights.push_back(weight);
      },
      [](const TrainingStreamSpec& s) { return s.gpu_sizes.empty(); });
}

const KeyTable<TrainingStreamSpec>& job_stream_keys() {
  using J = TrainingStreamSpec;
  static const KeyTable<J> t{
      "job stream",
      {required(bind(&J::name, text("name", "", "stream name; its jobs are <name>-<k>"))),
       required(bind(&J::model, text("model", "", "model catalog name of every job"))),
       bind(&J::trace, text("trace", "\"\"",
                            "\"\" = jobs drawn from the keys below; openb (Alibaba GPU v2023 pod list) or a path to "
                            "a CSV with columns submit (s), gpus, run (s)")),
       bind(&J::interarrival_s, quantity("interarrival", Quantity::kTime, "10min", 0,
                                         "drawn: mean time between submits (Poisson arrivals)", true, kYear)),
       bind(&J::jobs, integer("jobs", "0", 0, 1e7, "at most this many jobs; 0 = as many as arrive in the run")),
       bind(&J::start_s, quantity("start", Quantity::kTime, "0s", 0,
                                  "drawn: first possible submit; trace: added to every submit time", false, kYear)),
       gpu_mix_key(),
       bind(&J::run_time_median_s, quantity("run_time_median", Quantity::kTime, "1h", 0,
                                            "drawn: median run time alone (log-normal)", true, kYear)),
       bind(&J::run_time_mean_s, quantity("run_time_mean", Quantity::kTime, "1h", 0,
                                          "drawn: mean run time alone; >= the median", true, kYear)),
       bind(&J::run_time_min_s, quantity("run_time_min", Quantity::kTime, "1min", 0,
                                         "drawn: shorter run times are drawn again", false, kYear)),
       bind(&J::run_time_max_s,
            quantity("run_time_max", Quantity::kTime, "7d", 0, "drawn: longer run times are drawn again", true, kYear)),
       bind(&J::time_scale, number("time_scale", "1", 0, 1e9, "trace: submit times divided by this", true)),
       bind(&J::gpu_scale, number("gpu_scale", "1", 0, 1e6, "trace: GPUs per job multiplied by this", true)),
       bind(&J::run_scale, number("run_scale", "1", 0, 1e6, "trace: run times multiplied by this", true)),
       bind(&J::tp, integer("tp", "8", 1, 1024, "tensor-parallel degree (smaller jobs: the job's GPUs)")),
       bind(&J::pp, integer("pp", "1", 1, 1024, "pipeline stages (smaller jobs: fewer)")),
       bind(&J::micro_batch, integer("micro_batch", "1", 1, 1e6, "sequences per micro-batch")),
       bind(&J::batch_per_replica, integer("batch_per_replica", "16", 1, 1e6,
                                           "sequences per data-parallel replica per step; global batch = dp x this")),
       bind(&J::seq_len, integer("seq_len", "0", 0, kMaxTokens, "tokens per sequence; 0 = the model's")),
       bind(&J::precision, one_of("precision", "bf16", "compute precision")),
       bind(&J::recompute, one_of("recompute", "selective", "activation recomputation")),
       bind(&J::distributed_optimizer,
            boolean("distributed_optimizer", "true", "Megatron distributed optimizer (ZeRO-1)")),
       bind(&J::priority, integer("priority", "0", -1e6, 1e6, "scheduler priority of its jobs")),
       bind(&J::tenant, text("tenant", "\"\"", "tenant of its jobs (scheduler.quotas)")),
       bind_preference(&J::pool, &J::fallback_pools,
                       string_list("pool",
                                   "accelerator pool it runs on (cluster.name or a cluster.pools name), or a "
                                   "list in order of preference; none = the first pool")),
       bind(&J::detailed_steps, integer("detailed_steps", "1", 1, 1000, "steps of each run simulated flow by flow"))}};
  return t;
}

const KeyTable<ArrivalSpec>& arrivals_keys() {
  using A = ArrivalSpec;
  static const KeyTable<A> t{
      "arrivals",
      {bind(&A::kind, one_of("kind", "poisson", "request arrival process")),
       bind(&A::rate_per_s, number("rate", "1", 0, 1e9, "mean requests per second (poisson)", true)),
       bind(&A::input_tokens, number("input_tokens", "1024", 0, kMaxTokens, "mean prompt tokens (poisson)", true)),
       bind(&A::output_tokens, number("output_tokens", "256", 0, kMaxTokens, "mean generated tokens (poisson)", true)),
       bind(&A::lengths, one_of("lengths", "exponential",
                                "token length distribution (poisson, gamma; batch: fixed unless written); "
                                "servegen-*, mlperf-*: empirical tables (data/traces); a written mean rescales "
                                "its side, an unwritten one is the table's")),
       bind(&A::trace, text("trace", "\"\"",
                            "azure-conv | azure-code | mooncake-conv | mooncake-synthetic | path to a .csv (Azure) or "
                            ".jsonl (Mooncake) (kind: trace)")),
       bind(&A::scale, number("scale", "1", 0, 1e6, "arrival rate multiplier (trace)", true)),
       bind(&A::cv, number("cv", "1", 0, 100, "coefficient of variation of inter-arrival times (gamma)", true)),
       bind(&A::requests, integer("requests", "0", 0, 1e9, "requests all present at the start (batch)")),
       bind(&A::diurnal_amplitude,
            number("diurnal_amplitude", "0", 0, 1,
                   "relative daily swing of the rate (poisson, gamma; trace: the replay's clock is warped)")),
       bind(&A::diurnal_period_s,
            quantity("diurnal_period", Quantity::kTime, "24h", 0, "period of the rate cycle", true, kYear)),
       bind(&A::diurnal_peak_s, quantity("diurnal_peak", Quantity::kTime, "14h", 0,
                                         "time of the peak rate from the start", false, kYear))}};
  return t;
}

using Service = InferenceServiceSpec;

const KeyTable<Service>& slo_keys() {
  static const KeyTable<Service> t{
      "slo",
      {bind(&Service::slo_ttft_s,
            quantity("ttft", Quantity::kTime, "0s", 0, "time to first token target; 0 = none", false, kDay)),
       bind(&Service::slo_tpot_s,
            quantity("tpot", Quantity::kTime, "0s", 0, "time per output token target; 0 = none", false, kDay))}};
  return t;
}

const KeyTable<Service>& autoscale_keys() {
  static const KeyTable<Service> t{
      "autoscale",
      {bind(&Service::autoscale_min_replicas,
            integer("min_replicas", "0", 0, 1e9, "the fewest replicas (>= detailed_replicas); 0 = no autoscaling")),
       bind(&Service::autoscale_target_rate,
            number("target_rate", "0", 0, 1e9,
                   "requests per second each replica is sized for (e.g. from a fleet sweep)")),
       bind(&Service::autoscale_interval_s,
            quantity("interval", Quantity::kTime, "5min", 0, "a decision every interval, from the last interval's rate",
                     true, kDay)),
       bind(&Service::autoscale_startup_s,
            quantity("startup", Quantity::kTime, "2min", 0,
                     "a replica added serves this long after the decision (weights loaded); < interval", false, kDay)),
       bind(&Service::autoscale_lend,
            boolean("lend", "false",
                    "tidal sharing: the servers it parks run the pool's training jobs until it takes them back"))}};
  return t;
}

const KeyTable<Service>& disaggregation_keys() {
  static const KeyTable<Service> t{
      "disaggregation",
      {bind(&Service::prefill_replicas,
            integer("prefill_replicas", "0", 0, 1e9,
                    "replicas that only prefill (chunked, token budget); their KV cache goes to a decode replica as "
                    "a fabric flow; 0 with decode_replicas 0 = colocated")),
       bind(&Service::decode_replicas,
            integer("decode_replicas", "0", 0, 1e9,
                    "replicas that only decode (the router: least-loaded = fewest requests, kv-aware = fewest "
                    "KV tokens, round-robin); prefill_replicas + decode_replicas = replicas"))}};
  return t;
}

const KeyTable<Service>& speculative_keys() {
  static const KeyTable<Service> t{
      "speculative",
      {bind(&Service::speculative_draft_tokens,
            integer("draft_tokens", "0", 0, 64, "draft tokens verified per sequence and step (k); 0 = off")),
       bind(&Service::speculative_acceptance,
            number("acceptance", "0", 0, 0.999, "probability that a draft token is accepted (a)")),
       bind(&Service::speculative_draft_cost_fraction,
            number("draft_cost_fraction", "0", 0, 10,
                   "one draft pass / one target decode iteration, time (c; ~ the draft/target size); required "
                   "with draft_tokens"))}};
  return t;
}

const KeyTable<Service>& inference_keys() {
  using S = Service;
  static const KeyTable<S> t{
      "inference service",
      {required(bind(&S::name, text("name", "", "service name, unique among jobs and services"))),
       required(bind(&S::model, text("model", "", "model catalog name"))),
       bind(&S::replicas, integer("replicas", "1", 1, 1e9, "model replicas")),
       bind(&S::tp, integer("tp", "1", 1, 1024, "tensor-parallel GPUs per replica")),
       bind(&S::pp,
            integer("pp", "1", 1, 1024, "pipeline stages per replica (replica GPUs = tp x pp, within one server)")),
       bind(&S::ep, integer("ep", "1", 1, 1024, "expert-parallel GPUs within each stage (MoE only; divides tp)")),
       bind(&S::attention_dp,
            boolean("attention_dp", "false",
                    "attention data-parallel over the tp GPUs (each holds all attention weights and its own "
                    "sequences' KV cache); false: attention split by heads")),
       group(speculative_keys(), "speculative", "speculative decoding; absent = off"),
       bind(&S::precision, one_of("precision", "bf16", "compute precision")),
       bind(&S::engine, text("engine", "trtllm",
                             "serving engine profile (catalog engines: step overhead, collective latency): trtllm, "
                             "vllm")),
       bind(&S::max_batch, integer("max_batch", "256", 1, 1e9, "sequences decoded together")),
       bind(&S::max_batch_tokens, integer("max_batch_tokens", "8192", 1, 1e9, "token budget per iteration")),
       bind(&S::router, one_of("router", "least-loaded", "request router")),
       bind(&S::start_s, quantity("start", Quantity::kTime, "0s", 0, "start time", false, kYear)),
       nested(&S::arrivals, arrivals_keys(), "arrivals", "request arrivals"),
       bind(&S::kv_cache_fraction, number("kv_cache_fraction", "0.9", 0, 1,
                                          "share of HBM - weights - activations given to the KV cache", true)),
       bind(&S::kv_policy,
            one_of("kv_policy", "reserve",
                   "reserve: prompt + output reserved at admission, no eviction; paged: preemption by recompute")),
       bind(&S::prefix_caching,
            boolean("prefix_caching", "false", "reuse the KV of shared prompt blocks (trace prefix hashes)")),
       group(slo_keys(), "slo", "latency targets for goodput"),
       group(autoscale_keys(), "autoscale",
             "replicas that follow the demand (between min_replicas and replicas), optionally lending what they park"),
       bind(&S::detailed_replicas, integer("detailed_replicas", "0", 0, 1e9,
                                           "replicas simulated request by request; 0 = all; the others mirror them")),
       bind(&S::decode_stretches,
            boolean("decode_stretches", "true", "advance decode-only stretches in one step (exact)")),
       bind(&S::pool,
            text("pool", "\"\"",
                 "accelerator pool its replicas run on (cluster.name or a cluster.pools name); \"\" = the first pool")),
       group(disaggregation_keys(), "disaggregation",
             "prefill/decode pools with KV-cache transfers over the fabric; absent = colocated")}};
  return t;
}

const KeyTable<ExperimentSpec>& workload_keys() {
  static const KeyTable<ExperimentSpec> t{
      "workload",
      {list(&ExperimentSpec::training, training_keys(), "training", "training jobs"),
       list(&ExperimentSpec::inference, inference_keys(), "inference", "inference services"),
       list(&ExperimentSpec::training_streams, job_stream_keys(), "job_streams",
            "training jobs arriving over time, drawn or from a job trace (needs scheduler.policy)")}};
  return t;
}

/// `quotas: {team-a: 4096, team-b: 1024}`: tenant -> the most GPUs its running training jobs may hold.
Key<SchedulerSpec> quota_key() {
  static const Field gpus = number("gpus", "", 0, 1e9, "GPUs the tenant's running jobs may hold together");
  return named_numbers<SchedulerSpec>(
      named_values("quotas", &gpus,
                   "tenant -> the most GPUs its running jobs may hold (jobs name their tenant); {} = none"),
      [](SchedulerSpec& out, const std::string& tenant, double gpus) { out.quota_gpus[tenant] = gpus; },
      [](const SchedulerSpec& s) { return s.quota_gpus.empty(); });
}

const KeyTable<SchedulerSpec>& scheduler_keys() {
  static const KeyTable<SchedulerSpec> t{
      "scheduler",
      {bind(&SchedulerSpec::policy,
            one_of("policy", "none",
                   "who runs when: none places every training job at t = 0 (no queue); fifo, backfill, priority "
                   "queue jobs from their start (submit) time until their servers are free")),
       bind(&SchedulerSpec::placement,
            one_of("placement", "packed", "where a started job's servers are (packed: fewest leaves and pods)")),
       bind(&SchedulerSpec::preemption,
            boolean("preemption", "false", "policy priority: a waiting job stops running jobs of lower priority")),
       quota_key(),
       bind(&SchedulerSpec::remeasure_interval_s,
            quantity("remeasure_interval", Quantity::kTime, "0s", 0,
                     "the least time between two measurements of a job's step time as its neighbours change (the "
                     "changes within it are measured together at its end); 0 = at every change",
                     false, kDay))}};
  return t;
}

const KeyTable<ForcedFailureSpec>& forced_failure_keys() {
  using F = ForcedFailureSpec;
  static const KeyTable<F> t{
      "forced",
      {required(bind(&F::time_s, quantity("time", Quantity::kTime, "", 0, "when it fails", false, kYear))),
       required(bind(&F::failure_class, text("class", "", "a failure class of the catalog (failure_classes)"))),
       bind(&F::component,
            integer("component", "0", 0, 1e9, "which one of its scope: a GPU, server, NIC, leaf or spine index"))}};
  return t;
}

const KeyTable<FailureSpec>& failure_keys() {
  using F = FailureSpec;
  static const KeyTable<F> t{
      "failures",
      {bind(&F::enabled, boolean("enabled", "false",
                                 "draw failures of every catalog failure class (data/catalog/reliability.yaml)")),
       bind(&F::rate_scale, number("rate_scale", "1", 0, 1e4, "multiplies every class's failure rate")),
       bind(&F::repair_scale, number("repair_scale", "1", 0, 1e4, "multiplies every class's repair time")),
       bind(&F::detection_s,
            or_zero(quantity("detection", Quantity::kTime, "0s", 1e-3,
                             "failure to the job's stop (watchdog); 0 = the catalog's reliability.detection", false,
                             kDay))),
       bind(&F::restart_s, or_zero(quantity("restart", Quantity::kTime, "0s", 1e-3,
                                            "stop to training again, before the checkpoint is read; 0 = the catalog's "
                                            "reliability.restart",
                                            false, kDay))),
       bind(&F::stragglers,
            boolean("stragglers", "false",
                    "slow servers at the catalog's reliability.straggler_fraction and straggler_slowdown (MegaScale's "
                    "~0.5 % of machines ~10 % slower)")),
       bind(&F::straggler_fraction,
            number("straggler_fraction", "-1", -1, 1,
                   "share of servers that run slow; -1 = none, or the catalog's with stragglers: true")),
       bind(&F::straggler_slowdown,
            number("straggler_slowdown", "-1", -1, 100,
                   "a slow server's multiplier on the local compute of every step of its job; -1 = the catalog's")),
       list(&F::forced, forced_failure_keys(), "forced", "failures at known times (what-ifs, tests)")}};
  return t;
}

const KeyTable<StorageSpec>& checkpoint_storage_keys() {
  using S = StorageSpec;
  static const KeyTable<S> t{
      "storage",
      {bind(&S::write_bandwidth_bps,
            or_zero(quantity("write_bandwidth", Quantity::kBandwidth, "0bps", 8e6,
                             "aggregate write bandwidth; 0 = the catalog's reliability.storage_write_bandwidth", false,
                             8e16))),
       bind(&S::read_bandwidth_bps,
            or_zero(quantity("read_bandwidth", Quantity::kBandwidth, "0bps", 8e6,
                             "aggregate read bandwidth (restore); 0 = the write bandwidth", false, 8e16))),
       bind(&S::per_server_bandwidth_bps,
            or_zero(quantity("per_server_bandwidth", Quantity::kBandwidth, "0bps", 8e6,
                             "each server's link to the store; 0 = not limiting", false, 8e16))),
       bind(&S::latency_s, or_zero(quantity("latency", Quantity::kTime, "0s", 1e-3,
                                            "fixed cost of one checkpoint write or read; 0 = the catalog's "
                                            "reliability.storage_latency",
                                            false, kDay)))}};
  return t;
}

const KeyTable<OutputSpec>& power_trace_keys() {
  static const KeyTable<OutputSpec> t{
      "power_trace",
      {bind(&OutputSpec::power_trace_start_s,
            quantity("start", Quantity::kTime, "0s", 0, "start of the window (simulated time)", false, kYear)),
       bind(&OutputSpec::power_trace_duration_s,
            quantity("duration", Quantity::kTime, "0s", 0, "length of the window; 0 = no trace", false, kDay)),
       bind(&OutputSpec::power_trace_resolution_s,
            quantity("resolution", Quantity::kTime, "10ms", 0, "bin width (mean power over each bin)", true, 3600))}};
  return t;
}

const KeyTable<OutputSpec>& output_keys() {
  static const KeyTable<OutputSpec> t{
      "output",
      {bind(&OutputSpec::path, text("path", "\"\"", "results file; \"\" = results/<name>.h5")),
       bind(&OutputSpec::sample_interval_s,
            quantity("sample_interval", Quantity::kTime, "1s", 0, "power time-series sampling period", true, kYear)),
       bind(&OutputSpec::request_records,
            one_of("request_records", "auto", "what a run keeps of each inference request until its results")),
       group(power_trace_keys(), "power_trace",
             "a high-resolution power trace of a window (the swings of synchronous training); absent = none")}};
  return t;
}

const KeyTable<SweepSpec>& sweep_keys() {
  static const KeyTable<SweepSpec> t{
      "sweep",
      {unbound<SweepSpec>(any("grid", "{}", "dotted key -> list of values; cartesian product, last axis fastest"),
                          "read from the resolved tree by sim/sweep (grid axes)"),
       bind(&SweepSpec::output_dir, text("output_dir", "\"\"", "\"\" = results/<name>-sweep")),
       bind(&SweepSpec::repeats,
            integer("repeats", "1", 1, 1000,
                    "runs per grid point with seeds seed, seed+1, ...; sweep.h5 /points gives mean and 95 % CI"))}};
  return t;
}

const KeyTable<PlanSpec>& plan_keys() {
  static const KeyTable<PlanSpec> t{
      "plan",
      {bind(&PlanSpec::size_key,
            text("size", "\"\"",
                 "the integer key to size (e.g. workload.inference[0].replicas): the smallest value meeting `meet`")),
       bind(&PlanSpec::min_size, integer("min", "1", 0, 1e7, "smallest size tried")),
       bind(&PlanSpec::max_size, integer("max", "1024", 1, 1e7, "largest size tried; none meets: the point fails")),
       unbound<PlanSpec>(any("scale", "{}", "key -> factor: set to ceil(size x factor) with the size (e.g. servers)"),
                         "read by experiment_loader.cpp (check_plan)"),
       unbound<PlanSpec>(any("meet", "{}",
                             "metric -> {at_least: x} or {at_most: x}; summary.NAME, jobs.NAME or services.NAME "
                             "(every row)"),
                         "read by experiment_loader.cpp (check_plan)"),
       unbound<PlanSpec>(any("limits", "{}",
                             "metric -> {at_most: x} or {at_least: x} on each answer (summary.gpus, "
                             "summary.facility_power_provisioned, summary.tco_per_hour): an answer past one is over "
                             "its limits, off the front"),
                         "read by experiment_loader.cpp (check_plan)"),
       unbound<PlanSpec>(any("grid", "{}", "dotted key -> list of values: the discrete choices, each sized"),
                         "read by experiment_loader.cpp (check_plan)"),
       bind(&PlanSpec::output_dir, text("output_dir", "\"\"", "\"\" = results/<name>-plan"))}};
  return t;
}

}  // namespace

const KeyTable<ExperimentSpec>& experiment_keys() {
  using E = ExperimentSpec;
  static const KeyTable<E> root{
      "experiment",
      {required(bind(&E::name, text("name", "", "experiment name"))),
       bind(&E::description, text("description", "\"\"", "free text")),
       bind(&E::seed, wide(integer("seed", "42", 0, 9.2e18, "random seed"))),
       required(bind(&E::duration_s, quantity("duration", Quantity::kTime, "", 0, "simulated time", true, kYear))),
       unbound<E>(string_list("catalog_files", "extra catalog files, relative to the experiment file"),
                  "read by experiment_loader.cpp into the Catalog"),
       unbound<E>(
           fields::nested("catalog", FieldKind::kMap, &catalog_schema(), "inline catalog entries (add or override)"),
           "read by catalog_loader.cpp into the Catalog"),
       required(nested(&E::cluster, cluster_keys(), "cluster", "the servers and their accelerators")),
       nested(&E::fabric, fabric_keys(), "fabric", "the scale-out network"),
       nested(&E::facility, facility_keys(), "facility", "the data center around the IT load"),
       nested(&E::scheduler, scheduler_keys(), "scheduler", "the cluster scheduler of the training jobs"),
       nested(&E::failures, failure_keys(), "failures",
              "component failures, detection and restart (training jobs stop, lose work, restart; needs a scheduler)"),
       nested(&E::storage, checkpoint_storage_keys(), "storage", "the checkpoint store"),
       group(workload_keys(), "workload", "training jobs and inference services"),
       nested(&E::output, output_keys(), "output", "results"),
       nested(&E::sweep, sweep_keys(), "sweep", "parameter sweep"),
       nested(&E::plan, plan_keys(), "plan", "capacity plan: the smallest size meeting conditions (clustersim plan)")}};
  return root;
}

const Schema& experiment_schema() { return experiment_keys().schema(); }

}  // namespace clustersim
