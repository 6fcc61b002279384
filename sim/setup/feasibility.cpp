#include "sim/setup/feasibility.hpp"

#include <utility>

#include "sim/config/rule_context.hpp"
#include "sim/setup/fabric_params.hpp"
#include "sim/setup/job_streams.hpp"
#include "sim/setup/run_budget.hpp"
#include "sim/setup/training_layout.hpp"
#include "spec/cluster_pools.hpp"

namespace clustersim {

namespace {

/// The key to blame for a fabric error: the error's own key, else the component the message names (when the
/// user chose it) or the link speed; then its nearest written parent.
std::string fabric_blame(const Rules& r, const TopologyError& e) {
  std::string key = e.key();
  if (key.empty()) {
    const std::string what = e.what();
    const auto names = [&](const char* word) { return what.find(word) != std::string::npos; };
    if (names("switch") && r.written("fabric.switch"))
      key = "fabric.switch";
    else if (names("NIC") && r.written("fabric.nic"))
      key = "fabric.nic";
    else if (names("transceiver") && r.written("fabric.optics") && !r.written("fabric.link"))
      key = "fabric.optics";
    else
      key = "fabric.link";
  }
  while (!r.written(key) && key.find('.') != std::string::npos) key = key.substr(0, key.rfind('.'));
  return key;
}

/// Selects the fabric's components and builds its graph exactly as `run` does (build_fabric), so that what
/// `run` would refuse `validate` reports, at the key to blame or its nearest written parent. The built fabric
/// goes to `keep` when not null.
void check_fabric(Rules& r, const ExperimentSpec& spec, const Catalog& catalog, std::optional<ExperimentFabric>* keep) {
  try {
    ExperimentFabric built = build_fabric(spec, catalog);
    if (keep != nullptr) *keep = std::move(built);
  } catch (const TopologyError& e) {
    r.error(fabric_blame(r, e), e.what(), e.hint());
  }
}

/// Hands `kept` to `out` when it was built from the parameters `out.experiment` needs (its components selected
/// again: they are cheap and may carry catalog overrides), else builds the fabric again.
void hand_on_fabric(std::optional<ExperimentFabric> kept, PreparedExperiment& out) {
  const LoadedExperiment& exp = out.experiment;
  if (kept) {
    FabricComponents components = experiment_fabric_components(exp.spec, exp.catalog);
    if (kept->fabric.params == fabric_build_params(exp.spec, components.sw.radix)) {
      out.fabric = std::move(*kept);
      out.fabric.components = std::move(components);
      out.fabric_from_check = true;
      return;
    }
  }
  out.fabric = build_experiment_fabric(exp);
}

}  // namespace

void check_feasibility(const ExperimentSpec& spec, const ResolvedConfig& resolved, const Catalog& catalog,
                       const RuleOutcome& outcome, Diagnostics& diags, std::optional<ExperimentFabric>* keep) {
  Rules r(resolved, diags);
  for (size_t i = 0; i < spec.training.size() && i < outcome.layout_consistent.size(); ++i) {
    if (!outcome.layout_consistent[i]) continue;
    std::string hint;
    const std::string error = memory_fit_error(training_layout(spec.training[i], spec, catalog), hint);
    if (!error.empty()) r.error("workload.training[" + std::to_string(i) + "]", error, hint);
    const auto pools = site_pools(spec.cluster);
    for (const std::string& name : spec.training[i].fallback_pools) {  // it must fit where it may start
      const int p = pool_index(pools, name);
      if (p < 0 || !catalog.accelerators.count(pools[p].gpu)) continue;  // reported by the rules
      TrainingJobSpec there = spec.training[i];
      there.pool = name;
      const std::string e = memory_fit_error(training_layout(there, spec, catalog), hint);
      if (!e.empty())
        r.error("workload.training[" + std::to_string(i) + "].pool", "in pool '" + name + "': " + e, hint);
    }
  }
  check_job_streams(r, spec, catalog);
  if (outcome.fabric_consistent) check_fabric(r, spec, catalog, keep);
}

LoadedExperiment load_experiment(const std::string& path, const std::vector<Override>& overrides) {
  SetupChecks checks;
  checks.budget = &check_run_budget;
  checks.physical = [](const ExperimentSpec& spec, const ResolvedConfig& resolved, const Catalog& catalog,
                       const RuleOutcome& outcome,
                       Diagnostics& diags) { check_feasibility(spec, resolved, catalog, outcome, diags); };
  LoadedExperiment out = load_experiment(path, overrides, checks);
  append_stream_jobs(out);
  return out;
}

PreparedExperiment prepare_experiment(const std::string& path, const std::vector<Override>& overrides) {
  std::optional<ExperimentFabric> kept;
  bool base_pass = true;  // the loader checks the base experiment first, then each sweep value
  SetupChecks checks;
  checks.budget = &check_run_budget;
  checks.physical = [&](const ExperimentSpec& spec, const ResolvedConfig& resolved, const Catalog& catalog,
                        const RuleOutcome& outcome, Diagnostics& diags) {
    check_feasibility(spec, resolved, catalog, outcome, diags, base_pass ? &kept : nullptr);
    base_pass = false;
  };
  PreparedExperiment out;
  out.experiment = load_experiment(path, overrides, checks);
  append_stream_jobs(out.experiment);
  hand_on_fabric(std::move(kept), out);
  return out;
}

}  // namespace clustersim
