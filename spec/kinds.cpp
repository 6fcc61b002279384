#include "spec/kinds.hpp"

#include <utility>

namespace clustersim {

const std::vector<KindEntry<TopologyKind>>& KindTraits<TopologyKind>::table() {
  static const std::vector<KindEntry<TopologyKind>> t = {
      {"fat-tree", TopologyKind::kFatTree, "2- or 3-tier folded Clos"},
      {"rail-optimized", TopologyKind::kRailOptimized, "fat tree whose leaves are rails, in scalable units"},
      {"dragonfly", TopologyKind::kDragonfly, "groups of all-to-all routers joined by global links"},
  };
  return t;
}

const std::vector<KindEntry<RoutingKind>>& KindTraits<RoutingKind>::table() {
  static const std::vector<KindEntry<RoutingKind>> t = {
      {"ideal", RoutingKind::kIdeal,
       "every flow spread evenly over all paths (adaptive routing, packet spraying): aggregated uplinks, fastest"},
      {"ecmp", RoutingKind::kEcmp, "each connection hashed onto one cable at each tier (seeded, per switch)"},
      {"dmodk", RoutingKind::kDmodk, "static destination-based InfiniBand routing (D-mod-K): the cable by destination"},
      {"adaptive", RoutingKind::kAdaptive,
       "fat-tree: each connection on the least-loaded cable at each switch when its server pair first talks"},
      {"minimal", RoutingKind::kMinimal, "dragonfly: each group pair's traffic on the global cables between them"},
      {"valiant", RoutingKind::kValiant,
       "dragonfly: each connection through a random intermediate group (two global hops, load spread)"},
      {"ugal", RoutingKind::kUgal,
       "dragonfly: each connection minimal unless its global link is loaded more than twice a Valiant detour's"},
  };
  return t;
}

const std::vector<KindEntry<RankOrder>>& KindTraits<RankOrder>::table() {
  static const std::vector<KindEntry<RankOrder>> t = {
      {"tp-cp-pp-dp", RankOrder::kTpCpPpDp,
       "a replica's pipeline stages on consecutive servers; data-parallel peers a replica apart"},
      {"tp-cp-dp-pp", RankOrder::kTpCpDpPp,
       "Megatron-LM's default: a stage's data-parallel (and expert) peers on consecutive servers; stages a block "
       "apart"},
  };
  return t;
}

const std::vector<KindEntry<OpticsKind>>& KindTraits<OpticsKind>::table() {
  static const std::vector<KindEntry<OpticsKind>> t = {
      {"pluggable", OpticsKind::kPluggable, "pluggable optical transceivers with DSP"},
      {"lpo", OpticsKind::kLpo, "linear-drive pluggable optics (no DSP)"},
      {"cpo", OpticsKind::kCpo, "co-packaged optics"},
      {"dac", OpticsKind::kDac, "passive copper cables"},
  };
  return t;
}

const std::vector<KindEntry<RouterKind>>& KindTraits<RouterKind>::table() {
  static const std::vector<KindEntry<RouterKind>> t = {
      {"round-robin", RouterKind::kRoundRobin, "requests to replicas in turn"},
      {"least-loaded", RouterKind::kLeastLoaded, "to the replica with the fewest requests"},
      {"kv-aware", RouterKind::kKvAware, "to the replica with the fewest KV tokens"},
  };
  return t;
}

const std::vector<KindEntry<RequestRecords>>& KindTraits<RequestRecords>::table() {
  static const std::vector<KindEntry<RequestRecords>> t = {
      {"auto", RequestRecords::kAuto, "streamed in runs longer than a day, else kept"},
      {"kept", RequestRecords::kKept, "every request kept to the end of the run (memory grows with the run)"},
      {"streamed", RequestRecords::kStreamed,
       "a request folded into the results and freed once done (colocated services; the same numbers)"},
  };
  return t;
}

const std::vector<KindEntry<KvPolicy>>& KindTraits<KvPolicy>::table() {
  static const std::vector<KindEntry<KvPolicy>> t = {
      {"reserve", KvPolicy::kReserve, "prompt + output reserved at admission, no eviction"},
      {"paged", KvPolicy::kPaged, "blocks allocated as tokens come, preemption by recompute"},
  };
  return t;
}

const std::vector<KindEntry<ArrivalKind>>& KindTraits<ArrivalKind>::table() {
  static const std::vector<KindEntry<ArrivalKind>> t = {
      {"poisson", ArrivalKind::kPoisson, "exponential inter-arrival times at `rate`"},
      {"gamma", ArrivalKind::kGamma, "gamma inter-arrival times with coefficient of variation `cv`"},
      {"batch", ArrivalKind::kBatch, "`requests` requests all present at the start"},
      {"trace", ArrivalKind::kTrace, "replay of a request trace (`trace`)"},
  };
  return t;
}

const std::vector<KindEntry<LengthDistribution>>& KindTraits<LengthDistribution>::table() {
  static const std::vector<KindEntry<LengthDistribution>> t = {
      {"fixed", LengthDistribution::kFixed, "every request has the mean lengths"},
      {"exponential", LengthDistribution::kExponential, "exponentially distributed around the means"},
      {"servegen-deepseek-r1", LengthDistribution::kServegenDeepseekR1,
       "ServeGen's empirical DeepSeek-R1 production lengths (a written mean rescales its side)"},
      {"mlperf-llama2-70b", LengthDistribution::kMlperfLlama2_70b,
       "MLPerf Inference llama2-70b dataset (Open Orca, 24,576 samples; a written mean rescales its side)"},
      {"mlperf-llama3.1-8b", LengthDistribution::kMlperfLlama31_8b,
       "MLPerf Inference llama3.1-8b dataset (CNN/DailyMail, 13,368 samples; a written mean rescales its side)"},
      {"mlperf-mixtral-8x7b", LengthDistribution::kMlperfMixtral8x7b,
       "MLPerf Inference mixtral-8x7b dataset (15,000 samples; a written mean rescales its side)"},
      {"mlperf-llama3.1-405b", LengthDistribution::kMlperfLlama31_405b,
       "MLPerf Inference llama3.1-405b dataset (8,313 samples; a written mean rescales its side)"},
      {"mlperf-deepseek-r1", LengthDistribution::kMlperfDeepseekR1,
       "MLPerf Inference deepseek-r1 dataset (4,388 samples; a written mean rescales its side)"},
  };
  return t;
}

const std::vector<KindEntry<GradReduceDtype>>& KindTraits<GradReduceDtype>::table() {
  static const std::vector<KindEntry<GradReduceDtype>> t = {
      {"bf16", GradReduceDtype::kBf16, "2 bytes per gradient element"},
      {"fp32", GradReduceDtype::kFp32, "4 bytes per gradient element"},
  };
  return t;
}

const std::vector<KindEntry<FacilityModelKind>>& KindTraits<FacilityModelKind>::table() {
  static const std::vector<KindEntry<FacilityModelKind>> t = {
      {"constant-pue", FacilityModelKind::kConstantPue, "facility power = IT power x facility.pue, at every instant"},
      {"cooling", FacilityModelKind::kCooling,
       "cooling plant, electrical losses and fixed loads from physics, hourly weather of facility.site"},
  };
  return t;
}

const std::vector<KindEntry<CoolingKind>>& KindTraits<CoolingKind>::table() {
  static const std::vector<KindEntry<CoolingKind>> t = {
      {"air-chiller", CoolingKind::kAirChiller, "all heat by air: CRAH fans, chilled water, chillers with economizer"},
      {"direct-liquid", CoolingKind::kDirectLiquid,
       "direct-to-chip warm-water cold plates take a share of the heat, the rest by air"},
      {"immersion", CoolingKind::kImmersion, "servers in a dielectric liquid: nearly all heat to the liquid loop"},
  };
  return t;
}

const std::vector<KindEntry<EconomizerKind>>& KindTraits<EconomizerKind>::table() {
  static const std::vector<KindEntry<EconomizerKind>> t = {
      {"water-side", EconomizerKind::kWaterSide,
       "the heat rejection cools the chilled water through a heat exchanger when cold enough"},
      {"air-side", EconomizerKind::kAirSide,
       "outdoor air cools the hall directly when cool enough (evaporatively assisted unless dry-cooler)"},
  };
  return t;
}

const std::vector<KindEntry<HeatRejectionKind>>& KindTraits<HeatRejectionKind>::table() {
  static const std::vector<KindEntry<HeatRejectionKind>> t = {
      {"auto", HeatRejectionKind::kAuto,
       "by cooling kind: air-chiller cooling-tower, direct-liquid and immersion adiabatic"},
      {"cooling-tower", HeatRejectionKind::kCoolingTower, "evaporative towers: sink at the wet bulb, uses water"},
      {"dry-cooler", HeatRejectionKind::kDryCooler,
       "dry coolers / air-cooled condensers: sink at the dry bulb, no water"},
      {"adiabatic", HeatRejectionKind::kAdiabatic,
       "dry coolers whose inlet air is evaporatively pre-cooled when hot (water only then)"},
  };
  return t;
}

const std::vector<KindEntry<BudgetPolicy>>& KindTraits<BudgetPolicy>::table() {
  static const std::vector<KindEntry<BudgetPolicy>> t = {
      {"report", BudgetPolicy::kReport, "the budget is only reported against the facility power (time above it)"},
      {"cap", BudgetPolicy::kCap,
       "every GPU is capped (the same fraction of its board limit, the tightest of this and the pool's power_cap) "
       "so that the site at full load stays within the budget in the run's hottest hour"},
      {"hold", BudgetPolicy::kHold,
       "the scheduler holds a training job whose start would take the site's facility power (every running job "
       "at the top of its step) above the budget"},
  };
  return t;
}

const std::vector<KindEntry<SchedulerKind>>& KindTraits<SchedulerKind>::table() {
  static const std::vector<KindEntry<SchedulerKind>> t = {
      {"none", SchedulerKind::kNone, "every training job holds its servers from t = 0 (a snapshot: no queue)"},
      {"fifo", SchedulerKind::kFifo, "jobs start in submit order; a job that does not fit blocks those behind it"},
      {"backfill", SchedulerKind::kBackfill,
       "EASY backfill: FIFO, and a later job may start early if it does not delay the first waiting job"},
      {"priority", SchedulerKind::kPriority,
       "higher priority first (then submit order), with EASY backfill; with preemption a waiting job stops "
       "running jobs of lower priority"},
  };
  return t;
}

const std::vector<KindEntry<PlacementKind>>& KindTraits<PlacementKind>::table() {
  static const std::vector<KindEntry<PlacementKind>> t = {
      {"packed", PlacementKind::kPacked,
       "topology-aware: a job's servers under as few leaves (groups) and pods as possible, best fit"},
      {"linear", PlacementKind::kLinear, "the free servers with the lowest numbers, wherever they are"},
  };
  return t;
}

const std::vector<KindEntry<FailureScope>>& KindTraits<FailureScope>::table() {
  static const std::vector<KindEntry<FailureScope>> t = {
      {"gpu", FailureScope::kGpu, "one per GPU: its failure stops its server's job"},
      {"server", FailureScope::kServer, "one per server (host, CPU, memory, power supply, software)"},
      {"nic", FailureScope::kNic, "one per scale-out NIC port and its cable or optic (one per GPU)"},
      {"leaf", FailureScope::kLeaf, "one per leaf switch (fabric group): its failure cuts every server under it"},
      {"spine", FailureScope::kSpine,
       "one per spine switch (fat-tree, rail-optimized): its failure takes its share of the uplinks of every leaf of "
       "its pod (and of the pod's core cables) until repaired: the fabric degrades, jobs slow through it"},
      {"core", FailureScope::kCore,
       "one per core switch (3-tier fat-tree with several pods): its failure takes its share of every pod's core "
       "cables until repaired: jobs across pods slow through the fabric"},
  };
  return t;
}

const std::vector<KindEntry<Precision>>& KindTraits<Precision>::table() {
  static const std::vector<KindEntry<Precision>> t = {
      {"bf16", Precision::kBf16, "bfloat16"},
      {"fp8", Precision::kFp8, "8-bit floating point"},
      {"fp4", Precision::kFp4, "4-bit floating point"},
  };
  return t;
}

const std::vector<KindEntry<Recompute>>& KindTraits<Recompute>::table() {
  static const std::vector<KindEntry<Recompute>> t = {
      {"none", Recompute::kNone, "every activation stored"},
      {"selective", Recompute::kSelective, "attention recomputed in the backward pass"},
      {"full", Recompute::kFull, "each layer recomputed from its input"},
  };
  return t;
}

std::string empirical_lengths_file(LengthDistribution d) {
  const std::string name = kind_name(d);
  for (const auto& [prefix, dir] : {std::pair<std::string, std::string>{"servegen-", "alibaba-servegen-2025"},
                                    {"mlperf-", "mlperf-inference-datasets"}})
    if (name.compare(0, prefix.size(), prefix) == 0)
      return "traces/" + dir + "/" + name.substr(prefix.size()) + "-lengths.csv";
  return "";
}

double grad_reduce_element_bytes(GradReduceDtype d) { return d == GradReduceDtype::kFp32 ? 4 : 2; }

}  // namespace clustersim
