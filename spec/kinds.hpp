#pragma once
/// @file
/// The string kinds of an experiment as `enum class`es, each with ONE table of {name, value, doc}.
/// The table is the only place a kind's YAML name is written: the schema takes its choices (and its
/// "did you mean") from it, `clustersim describe keys` lists them, the spec builder parses with it, and
/// the code compares enum values. Names reappear only at the edges (resolved YAML, HDF5 attributes,
/// messages) through kind_name().
///
/// Adding a kind value: one enumerator + one table row in kinds.cpp (+ its use). Adding a kind: the enum,
/// a `KindTraits` specialisation here and its table in kinds.cpp.

#include <optional>
#include <string>
#include <vector>

#include "spec/catalog.hpp"
#include "spec/recompute.hpp"

namespace clustersim {

/// Scale-out fabric topology (fabric.topology).
enum class TopologyKind { kFatTree, kRailOptimized, kDragonfly };
/// How flows pick their paths through the fabric (fabric.routing): topologies/routed_fat_tree.hpp (ecmp, dmodk),
/// routed_dragonfly.hpp (minimal, valiant).
enum class RoutingKind { kIdeal, kEcmp, kDmodk, kAdaptive, kMinimal, kValiant, kUgal };
/// How a training job's ranks are laid out on its servers (parallelism.order), innermost first: tensor and context
/// parallelism always inside; then the pipeline stages of one replica (tp-cp-pp-dp) or the data-parallel (and
/// expert-parallel) peers of one stage (tp-cp-dp-pp, Megatron-LM's default order).
enum class RankOrder { kTpCpPpDp, kTpCpDpPp };
/// Optical module kind of the fabric links (fabric.optics); the catalog's transceivers carry the same names.
enum class OpticsKind { kPluggable, kLpo, kCpo, kDac };
/// Request router of an inference service (router).
enum class RouterKind { kRoundRobin, kLeastLoaded, kKvAware };
/// KV-cache admission policy of an inference service (kv_policy).
enum class KvPolicy { kReserve, kPaged };
/// What a run keeps of an inference service's requests (output.request_records).
enum class RequestRecords { kAuto, kKept, kStreamed };
/// Request arrival process (arrivals.kind).
enum class ArrivalKind { kPoisson, kGamma, kBatch, kTrace };
/// Token length distribution of generated requests (arrivals.lengths). The empirical ones are quantile tables in
/// data/traces: see empirical_lengths_file().
enum class LengthDistribution {
  kFixed,
  kExponential,
  kServegenDeepseekR1,
  kMlperfLlama2_70b,
  kMlperfLlama31_8b,
  kMlperfMixtral8x7b,
  kMlperfLlama31_405b,
  kMlperfDeepseekR1
};
/// Element type of the DP gradient reduction (parallelism.grad_reduce_dtype).
enum class GradReduceDtype { kBf16, kFp32 };
/// Facility power model (facility.model): how IT power becomes facility power (models/power/facility_model.hpp).
enum class FacilityModelKind { kConstantPue, kCooling };
/// How the heat leaves the IT (facility.cooling, model cooling): see models/power/cooling_facility.hpp.
enum class CoolingKind { kAirChiller, kDirectLiquid, kImmersion };
/// How the cooling plant rejects heat outdoors (facility.heat_rejection): auto = by cooling kind.
enum class HeatRejectionKind { kAuto, kCoolingTower, kDryCooler, kAdiabatic };
/// Free cooling of the air path (facility.economizer): through the chilled water, or with outdoor air.
enum class EconomizerKind { kWaterSide, kAirSide };
/// What the site does about facility.power_budget (facility.budget_policy).
enum class BudgetPolicy { kReport, kCap, kHold };
/// Cluster scheduler of the training jobs (scheduler.policy): none places every job at t = 0.
enum class SchedulerKind { kNone, kFifo, kBackfill, kPriority };
/// Where the scheduler puts a job's servers (scheduler.placement).
enum class PlacementKind { kPacked, kLinear };

/// One row of a kind table.
template <typename E>
struct KindEntry {
  const char* name;  ///< the YAML spelling
  E value;
  const char* doc;  ///< one line
};

/// `KindTraits<E>::table()` is E's table, in documentation order (the schema lists choices in this order).
template <typename E>
struct KindTraits;

#define CLUSTERSIM_KIND_TABLE(E)                     \
  template <>                                        \
  struct KindTraits<E> {                             \
    static const std::vector<KindEntry<E>>& table(); \
  }
CLUSTERSIM_KIND_TABLE(TopologyKind);
CLUSTERSIM_KIND_TABLE(OpticsKind);
CLUSTERSIM_KIND_TABLE(RoutingKind);
CLUSTERSIM_KIND_TABLE(RankOrder);
CLUSTERSIM_KIND_TABLE(RouterKind);
CLUSTERSIM_KIND_TABLE(KvPolicy);
CLUSTERSIM_KIND_TABLE(RequestRecords);
CLUSTERSIM_KIND_TABLE(ArrivalKind);
CLUSTERSIM_KIND_TABLE(LengthDistribution);
CLUSTERSIM_KIND_TABLE(GradReduceDtype);
CLUSTERSIM_KIND_TABLE(FacilityModelKind);
CLUSTERSIM_KIND_TABLE(BudgetPolicy);
CLUSTERSIM_KIND_TABLE(CoolingKind);
CLUSTERSIM_KIND_TABLE(HeatRejectionKind);
CLUSTERSIM_KIND_TABLE(EconomizerKind);
CLUSTERSIM_KIND_TABLE(SchedulerKind);
CLUSTERSIM_KIND_TABLE(PlacementKind);
CLUSTERSIM_KIND_TABLE(FailureScope);
CLUSTERSIM_KIND_TABLE(Precision);
CLUSTERSIM_KIND_TABLE(Recompute);
#undef CLUSTERSIM_KIND_TABLE

/// The table of kind E.
template <typename E>
const std::vector<KindEntry<E>>& kind_table() {
  return KindTraits<E>::table();
}

/// The YAML name of `value` ("?" for a value missing from its table, which the kinds test refuses).
template <typename E>
const char* kind_name(E value) {
  for (const auto& e : kind_table<E>())
    if (e.value == value) return e.name;
  return "?";
}

/// The value named `name`, or nothing.
template <typename E>
std::optional<E> kind_from_name(const std::string& name) {
  for (const auto& e : kind_table<E>())
    if (name == e.name) return e.value;
  return std::nullopt;
}

/// Every name of kind E, in table order (schema choices).
template <typename E>
std::vector<std::string> kind_names() {
  std::vector<std::string> out;
  for (const auto& e : kind_table<E>()) out.emplace_back(e.name);
  return out;
}

/// "fat-tree", "rail-optimized", "dragonfly": the key of the topology registry (topologies/).
inline const char* topology_name(TopologyKind k) { return kind_name(k); }
/// "pluggable", "lpo", "cpo", "dac": the catalog's transceiver kinds.
inline const char* optics_name(OpticsKind k) { return kind_name(k); }

/// The quantile table of an empirical distribution, relative to the data directory
/// ("traces/alibaba-servegen-2025/deepseek-r1-lengths.csv"); empty for a parametric one (fixed, exponential).
std::string empirical_lengths_file(LengthDistribution d);

/// Bytes per reduced gradient element: 2 (bf16) or 4 (fp32).
double grad_reduce_element_bytes(GradReduceDtype d);

}  // namespace clustersim
