#pragma once
/// @file
/// Typed experiment specs: what the YAML experiment resolves to after validation, defaults and
/// overrides. Canonical SI units throughout (bit/s, B, W, J, s). Built by sim/config/experiment_loader.
/// Every member that a key fills is bound to it in sim/config/experiment_schema.cpp; its initialiser here
/// equals the key's schema default (tests/unit/sim/config/key_bindings_test.cpp), and 0 / "" mean "derived" where the
/// key's doc says so (filled by sim/config/spec_builder.cpp).

#include <map>
#include <string>
#include <vector>

#include "spec/catalog.hpp"
#include "spec/kinds.hpp"
#include "spec/length_quantiles.hpp"
#include "spec/recompute.hpp"

namespace clustersim {

/// One accelerator pool: servers of one accelerator and server type, a consecutive range of the cluster's server
/// ids on the one fabric (spec/cluster_pools.hpp resolves where each starts).
struct PoolSpec {
  std::string name;
  std::string gpu;     ///< accelerator catalog name
  std::string server;  ///< server catalog name; "" in the key = the accelerator's default_server
  int servers = 0;
  int gpus_per_server = 0;            ///< derived: the server entry's gpus (equal across pools: one fabric)
  int scaleup_domain = 0;             ///< 0 in the key = the accelerator's
  double scaleup_bandwidth_bps = 0;   ///< 0 in the key = the accelerator's, bit/s
  double nic_host_bandwidth_bps = 0;  ///< derived: what one NIC's host slot carries (PCIe), bit/s; 0 = no limit
  int first_server = 0;               ///< derived (site_pools): its first server id
  double power_cap_w = 0;             ///< per-GPU power cap, W; 0 = the board limit (TDP)
};

struct ClusterSpec {
  std::string gpu;                    ///< accelerator catalog name
  std::string server;                 ///< server catalog name
  int servers = 0;                    ///< every server of the site (all pools)
  int gpus_per_server = 0;            ///< 0 in the key = the server entry's gpus
  int scaleup_domain = 0;             ///< GPUs per scale-up domain (NVLink/UB); 0 in the key = the accelerator's
  double scaleup_bandwidth_bps = 0;   ///< per GPU per direction inside the domain, bit/s; from the accelerator
  double nic_host_bandwidth_bps = 0;  ///< derived: what one NIC's host slot carries (PCIe), bit/s; 0 = no limit
  std::string name = "main";          ///< the pool of `gpu` servers: the servers no `pools` entry takes
  double power_cap_w = 0;             ///< per-GPU power cap of the main pool, W; 0 = the board limit (TDP)
  /// GPU power floor while a training job runs, a fraction of the board limit (power smoothing: the GPU burns
  /// power in the low phases of a step so that the site's swings shrink); 0 = none
  double gpu_power_floor = 0;
  std::vector<PoolSpec> pools;  ///< further pools, as written (cluster.pools); site_pools() resolves them
};

/// Dragonfly sizes; 0 = derived from the radix (topologies/dragonfly.hpp).
struct DragonflySpec {
  int routers_per_group = 0;
  int servers_per_router = 0;
  int global_links_per_router = 0;
  int groups = 0;
};

struct FabricSpec {
  TopologyKind topology = TopologyKind::kFatTree;
  int tiers = 2;                      ///< 2 or 3
  double link_bps = 400e9;            ///< per NIC port / per switch port, bit/s
  int nics_per_server = 0;            ///< 0 in the key = gpus_per_server
  std::string nic;                    ///< NIC catalog name ("" = generic at link speed)
  std::string switch_model;           ///< switch catalog name ("" = chosen by link speed)
  int radix = 0;                      ///< 0 = from the switch model
  double leaf_oversubscription = 1;   ///< leaf down:up bandwidth ratio
  double spine_oversubscription = 1;  ///< spine (aggregation) down:up ratio, 3-tier only
  OpticsKind optics = OpticsKind::kPluggable;
  double hop_latency_s = 1e-6;  ///< per switch hop, s: fixed, not a key (fabric.hop_latency was removed: only
                                ///< SimGrid links in the latency mode, off in runs, read it)
  int su_servers = 32;          ///< rail-optimized: servers per scalable unit
  RoutingKind routing = RoutingKind::kIdeal;  ///< how flows pick their paths (fat-tree, rail-optimized)
  int connections_per_nic = 1;                ///< routed modes: connections (QPs) per NIC pair, each routed on its own
  bool pxn = true;  ///< rail-optimized, routed: cross-rail all-to-all goes NVLink first, then rail (NCCL's PXN)
  DragonflySpec dragonfly;
};

struct FacilitySpec {
  FacilityModelKind model = FacilityModelKind::kConstantPue;  ///< facility power model
  double pue = 1.2;                                           ///< constant-pue only
  double power_budget_w = 0;  ///< the site's facility power budget (grid connection), W; 0 = none
  BudgetPolicy budget_policy = BudgetPolicy::kReport;  ///< what the site does to stay within the budget
  /// Battery storage between the site and the grid (facility.storage), applied to the power trace
  /// (output.power_trace; models/power/power_swings.hpp); energy 0 = none.
  double storage_energy_j = 0;
  double storage_power_w = 0;
  double storage_efficiency = 0.9;  ///< round trip
  double storage_smoothing_s = 60;  ///< time constant of the grid's moving average
  // The cooling model (facility.model: cooling); its constants live in data/facility/cooling.yaml.
  CoolingKind cooling = CoolingKind::kAirChiller;
  HeatRejectionKind heat_rejection = HeatRejectionKind::kAuto;
  EconomizerKind economizer = EconomizerKind::kWaterSide;
  std::string site;                        ///< data/facility/climate.yaml site ("" = constant outdoor_temperature)
  std::string start = "2025-01-01T00:00";  ///< local standard time of simulated t = 0
  double outdoor_temperature_c = -100;     ///< constant dry bulb, C; -100 = the site's hourly weather
  double outdoor_humidity_pct = 50;        ///< relative humidity with outdoor_temperature, %
  double design_it_power_w = 0;            ///< IT capacity the plant is built for, W; 0 = the cluster at full load
  double other_power_w = 0;            ///< lighting, offices, storage, front-end network, W; 0 = the data's fraction
  double liquid_share = 0;             ///< heat into the liquid loop, 0..1; 0 = by cooling kind (data)
  double electricity_usd_per_kwh = 0;  ///< electricity price, USD/kWh; 0 = calibration cost_electricity_usd_per_kwh
  std::string carbon_region;           ///< data/facility/carbon.yaml region ("" = the site's)
  int weather_seed = 1;                ///< seed of the day-to-day temperature anomaly
};

struct TrainingJobSpec {
  std::string name;
  std::string model;  ///< LLM catalog name
  int gpus = 0;
  int tp = 1, pp = 1, dp = 1;
  int cp = 1;                              ///< context-parallel ranks
  int ep = 1;                              ///< expert-parallel ranks (divides dp)
  int virtual_stages = 1;                  ///< interleaved pipeline chunks per GPU (1 = plain 1F1B)
  int zero_stage = 0;                      ///< ZeRO stage 0-3 (3 = FSDP)
  bool distributed_optimizer = false;      ///< Megatron distributed optimizer (= ZeRO-1)
  bool overlap_grad_reduce = false;        ///< DP reduction overlaps the backward pass
  bool overlap_tp_comm = false;            ///< TP collectives overlap GEMMs
  bool overlap_ep_comm = false;            ///< EP all-to-all overlaps compute
  int moe_max_nodes = 0;                   ///< node-limited routing: servers per token at most (0 = unlimited)
  RankOrder order = RankOrder::kTpCpPpDp;  ///< how ranks are laid out on the servers (innermost first)
  Precision moe_dispatch_precision = Precision::kBf16;  ///< of the dispatch all-to-all (fp8 halves its bytes)
  double moe_expert_skew = 0;                           ///< Zipf exponent of expert popularity (0 = balanced)
  bool sequence_parallel = true;                        ///< Megatron sequence parallelism with TP
  bool flash_attention = true;                          ///< fused attention kernels
  double grad_reduce_bytes = 2;                         ///< 2 (bf16) or 4 (fp32) bytes per reduced gradient element
  Precision precision = Precision::kBf16;
  int micro_batch = 1;                   ///< sequences per micro-batch
  int global_batch = 0;                  ///< sequences per step
  double tokens_per_step_requested = 0;  ///< tokens_per_step as given (0 = global_batch given); the job trains
                                         ///< global_batch x seq_len tokens, see sequences_from_tokens()
  int seq_len = 0;                       ///< tokens per sequence (0 = the model's)
  Recompute recompute = Recompute::kNone;
  double start_s = 0;     ///< with a scheduler: the submit time (the job starts when the scheduler places it)
  int steps = 0;          ///< 0 = run until the end of the experiment (or run_time_s)
  double run_time_s = 0;  ///< work as run time alone at the estimated step time (steps = ceil); 0 = steps
  double tokens = 0;      ///< work as tokens to train (steps = ceil(tokens / tokens per step)); 0 = steps
  int priority = 0;       ///< scheduler.policy priority: higher first
  std::string tenant;     ///< whose quota it counts against (scheduler.quotas); "" = none
  std::string pool;       ///< the accelerator pool it runs on (cluster.pools); "" = the first pool
  std::vector<std::string> fallback_pools;  ///< further pools it may start in, in order of preference
  int detailed_steps = 3;                   ///< steps simulated flow by flow before steady state is extrapolated
  bool exact_tree_broadcast = false;        ///< simulate the DP tree's broadcast phase instead of mirroring its reduce
  /// Checkpoints (training[].checkpoint): when they are written, and the hot spares the job holds.
  bool checkpoints = true;           ///< false: none (a failure loses everything since the job's start)
  double checkpoint_interval_s = 0;  ///< training time between two checkpoints; 0 = the Daly optimum
  double checkpoint_bytes = 0;       ///< 0 = weights + optimizer states (models/reliability/checkpoint.hpp)
  int spares = 0;                    ///< idle servers it holds to swap in for failed ones (hot spares; as free)
  std::string software;              ///< a catalog software profile ("" = none): defaults of the keys it sets
};

/// Training jobs that arrive over time (workload.job_streams): drawn from distributions or read from a job trace,
/// each a training job of `model` that the cluster scheduler runs (sim/setup/job_streams expands them).
struct TrainingStreamSpec {
  std::string name;             ///< jobs are named <name>-<k>
  std::string model;            ///< LLM catalog name
  std::string trace;            ///< "" = drawn; "openb" (Alibaba GPU v2023 pods) or a CSV path (submit, gpus, run)
  double interarrival_s = 600;  ///< drawn: mean time between submits (Poisson)
  int jobs = 0;                 ///< at most this many jobs (0 = no cap)
  double start_s = 0;           ///< drawn: no submit before; trace: added to every submit time
  std::vector<int> gpu_sizes;   ///< drawn: GPUs per job, with gpu_weights (key `gpus`: {size: weight})
  std::vector<double> gpu_weights;
  double run_time_median_s = 3600;  ///< drawn: log-normal run time alone (median, mean)
  double run_time_mean_s = 3600;
  double run_time_min_s = 60;      ///< drawn: run times outside [min, max] are drawn again
  double run_time_max_s = 604800;  ///< 7 days
  double time_scale = 1;           ///< trace: submit times divided by it (2 = twice the rate)
  double gpu_scale = 1;            ///< trace: GPUs multiplied by it (rounded up to whole tp x pp)
  double run_scale = 1;            ///< trace: run times multiplied by it
  int tp = 8, pp = 1;              ///< largest TP and PP degree (a smaller job uses what fits)
  int micro_batch = 1;
  int batch_per_replica = 16;  ///< sequences per data-parallel replica per step (global batch = dp x it)
  int seq_len = 0;             ///< 0 = the model's
  Precision precision = Precision::kBf16;
  Recompute recompute = Recompute::kSelective;
  bool distributed_optimizer = true;
  int priority = 0;
  std::string tenant;                       ///< its jobs' tenant (scheduler.quotas)
  std::string pool;                         ///< its jobs' accelerator pool; "" = the first pool
  std::vector<std::string> fallback_pools;  ///< further pools its jobs may start in, in order of preference
  int detailed_steps = 1;
};

/// The cluster scheduler of the training jobs (policies: models/scheduling/scheduler_policy.hpp).
struct SchedulerSpec {
  SchedulerKind policy = SchedulerKind::kNone;  ///< none: every job placed at t = 0, as a snapshot
  PlacementKind placement = PlacementKind::kPacked;
  bool preemption = false;                   ///< priority: a waiting job may stop running jobs of lower priority
  std::map<std::string, double> quota_gpus;  ///< tenant -> the most GPUs its running jobs may hold
  /// The least time between two measurements of a job's step time: a neighbour change within it is measured at
  /// its end, with the changes since (0 = at every change, exact).
  double remeasure_interval_s = 0;
};

/// A failure forced at a known time (failures.forced): a what-if, or a test matched by hand.
struct ForcedFailureSpec {
  double time_s = 0;
  std::string failure_class;  ///< a catalog failure class (its scope says which servers it cuts off)
  int component = 0;          ///< which one: a GPU, server, NIC or leaf index of the cluster
};

/// Component failures and their cost (failures.*; models/reliability). Off unless `enabled` or `forced`.
struct FailureSpec {
  bool enabled = false;            ///< draw failures of every catalog failure class over the run
  double rate_scale = 1;           ///< multiplies every class's rate (what-if)
  double detection_s = 0;          ///< failure to the job's stop (watchdog); 0 = the catalog's reliability constant
  double restart_s = 0;            ///< stop to training again, before the restore; 0 = the catalog's
  double repair_scale = 1;         ///< multiplies every class's repair time
  bool stragglers = false;         ///< slow servers at the catalog's fraction and slowdown (or those below)
  double straggler_fraction = -1;  ///< share of servers that run slow; < 0 = the catalog's (with stragglers)
  double straggler_slowdown = -1;  ///< their step-time multiplier on local compute; < 0 = the catalog's
  std::vector<ForcedFailureSpec> forced;
  bool active() const { return enabled || !forced.empty(); }
};

/// Where checkpoints go (storage.*): bandwidths of the checkpoint store as seen by the cluster.
struct StorageSpec {
  double write_bandwidth_bps = 0;       ///< aggregate write bandwidth; 0 = the catalog's reliability constant
  double read_bandwidth_bps = 0;        ///< aggregate read (restore); 0 = the write bandwidth
  double per_server_bandwidth_bps = 0;  ///< each server's link to the store; 0 = not limiting
  double latency_s = 0;                 ///< fixed cost of one checkpoint write or read; 0 = the catalog's
};

struct ArrivalSpec {
  ArrivalKind kind = ArrivalKind::kPoisson;
  double rate_per_s = 1;                                          ///< mean request rate (poisson)
  double input_tokens = 1024;                                     ///< mean prompt length (poisson)
  double output_tokens = 256;                                     ///< mean generated length (poisson)
  LengthDistribution lengths = LengthDistribution::kExponential;  ///< poisson/gamma token lengths
  /// An empirical `lengths` table scaled to input_tokens / output_tokens (read once by the loader); empty otherwise.
  LengthQuantiles empirical_lengths;
  std::string trace;             ///< trace name (azure-conv, azure-code) or CSV path (trace)
  double scale = 1;              ///< rate multiplier for traces (time compression)
  double cv = 1;                 ///< inter-arrival coefficient of variation (gamma)
  int requests = 0;              ///< requests present at the start (batch)
  double diurnal_amplitude = 0;  ///< relative daily swing of the rate (poisson, gamma)
  double diurnal_period_s = 86400;
  double diurnal_peak_s = 50400;  ///< time of the daily peak, s from the start
};

struct InferenceServiceSpec {
  std::string name;
  std::string model;
  int replicas = 1;
  int tp = 1;
  int pp = 1;                                  ///< pipeline stages per replica (replica GPUs = tp x pp)
  int ep = 1;                                  ///< expert-parallel GPUs within a stage (MoE; divides tp)
  bool attention_dp = false;                   ///< attention data-parallel over the tp GPUs (DeepSeek-style)
  int speculative_draft_tokens = 0;            ///< speculative decoding: k draft tokens; 0 = off
  double speculative_acceptance = 0;           ///< per-token acceptance rate a
  double speculative_draft_cost_fraction = 0;  ///< draft pass time / target decode iteration time
  int gpus() const { return tp * pp; }         ///< GPUs per replica
  Precision precision = Precision::kBf16;
  std::string engine = "trtllm";  ///< serving engine profile (catalog engines)
  int max_batch = 256;            ///< sequences decoded together
  int max_batch_tokens = 8192;    ///< token budget per iteration (chunked prefill)
  RouterKind router = RouterKind::kLeastLoaded;
  ArrivalSpec arrivals;
  double start_s = 0;
  double kv_cache_fraction = 0.9;           ///< share of HBM left after weights and activations given to the KV cache
  KvPolicy kv_policy = KvPolicy::kReserve;  ///< reserve (no eviction) | paged (preemption by recompute)
  bool prefix_caching = false;              ///< reuse prompt-block KV (traces with prefix hashes)
  double slo_ttft_s = 0;                    ///< goodput SLO on time to first token; 0 = none
  double slo_tpot_s = 0;                    ///< goodput SLO on time per output token; 0 = none
  int detailed_replicas = 0;                ///< replicas simulated request by request; 0 = all (the rest mirror them)
  std::string pool;                         ///< the accelerator pool its replicas run on; "" = the first pool
  bool decode_stretches = true;             ///< advance decode-only stretches in one step (exact)
  /// Prefill/decode disaggregation: replicas that only prefill and replicas that only decode
  /// (prefill_replicas + decode_replicas = replicas). 0 and 0 = colocated (every replica does both).
  int prefill_replicas = 0;
  int decode_replicas = 0;
  bool disaggregated() const { return prefill_replicas > 0 || decode_replicas > 0; }
  /// Autoscaling (models/inference/autoscaler.hpp): `replicas` is then the most the service may run.
  int autoscale_min_replicas = 0;     ///< the fewest replicas; 0 = no autoscaling (always `replicas`)
  double autoscale_target_rate = 0;   ///< requests per second each replica is sized for
  double autoscale_interval_s = 300;  ///< decisions every interval, from the rate seen in the last one
  double autoscale_startup_s = 120;   ///< a replica added serves this long after the decision
  bool autoscale_lend = false;        ///< tidal sharing: lend the servers it parks to the pool's training jobs
  bool autoscaled() const { return autoscale_min_replicas > 0; }
};

struct OutputSpec {
  std::string path;              ///< results file (.h5)
  double sample_interval_s = 1;  ///< power time-series sampling period, s
  RequestRecords request_records = RequestRecords::kAuto;
  /// High-resolution power trace (output.power_trace): phase-resolved power over [start, start + duration) at
  /// `resolution`; duration 0 = none.
  double power_trace_start_s = 0;
  double power_trace_duration_s = 0;
  double power_trace_resolution_s = 0.01;
};

/// One sweep axis: a dotted key path and the values (YAML text) it takes.
struct SweepAxis {
  std::string key;
  std::vector<std::string> values;
};

struct SweepSpec {
  std::vector<SweepAxis> grid;  ///< cartesian product, last axis varies fastest
  std::string output_dir;       ///< where run files and sweep.h5 go
  int repeats = 1;              ///< runs per grid point, with seeds seed, seed + 1, ... (a last `seed` axis)
};

/// A condition a plan's answer must meet: every value of `metric` ("GROUP.NAME": summary.X, or a column of the
/// jobs or services table, every row) at least or at most `bound`.
struct PlanCondition {
  std::string metric;
  bool at_least = true;
  double bound = 0;
};

/// `clustersim plan` (sim/sweep/plan_runner.hpp): for every point of `grid`, the smallest integer value of
/// `size_key` in [min_size, max_size] whose run meets every condition (the keys of `scale` set to
/// ceil(size x factor) with it); then the front of the answers.
struct PlanSpec {
  std::string size_key;  ///< "" = no plan
  int min_size = 1;
  int max_size = 1024;
  std::vector<std::pair<std::string, double>> scale;  ///< key -> factor
  std::vector<PlanCondition> meet;
  std::vector<PlanCondition> limits;  ///< on the answer: one that breaks a limit is over it (off the front)
  std::vector<SweepAxis> grid;
  std::string output_dir;  ///< "" = results/<name>-plan
};

struct ExperimentSpec {
  std::string name;
  std::string description;
  unsigned long long seed = 42;
  double duration_s = 0;  ///< required key
  ClusterSpec cluster;
  FabricSpec fabric;
  FacilitySpec facility;
  SchedulerSpec scheduler;
  FailureSpec failures;
  StorageSpec storage;
  std::vector<TrainingJobSpec> training;  ///< after loading, the jobs of job_streams are appended (setup)
  std::vector<TrainingStreamSpec> training_streams;
  std::vector<InferenceServiceSpec> inference;
  OutputSpec output;
  SweepSpec sweep;
  PlanSpec plan;
};

}  // namespace clustersim
