#pragma once
/// @file
/// A workload kind as a plug-in of the engine: what run_experiment does for each `workload.<kind>` list of an
/// experiment (training jobs, inference services, ...), behind one interface. run_experiment creates one
/// Workload per registered kind (sim/engine/workload_registry), then, in registry order:
///   1. place(): each takes its servers from its pool's ServerAllocator (sim/engine/placement), in file order;
///   2. launch(): after the platform is built, each builds its runtimes (power groups, arrivals, seeds) and
///      creates its SimGrid actors;
///   3. the engine runs to the experiment's end;
///   4. append_results(): each closes its power accounting and hands what it measured to the results builder.
/// run_experiment never names a kind: the order of the registry is the order of placement, power groups,
/// actor creation and results (which keeps every seed and number of a run as it is).
///
/// Adding a workload kind (e.g. a batch of fine-tuning jobs, a failure injector, a job scheduler that owns
/// the training jobs) touches:
///   1. its spec: a record and its list in spec/experiment_spec.hpp, with its keys under `workload.<kind>` in
///      the experiment schema (sim/config);
///   2. sim/engine/workloads/<kind>_workload.{hpp,cpp}: a Workload implementation (place, launch,
///      append_results); its actors in the same files or next to them;
///   3. one line in sim/engine/workload_registry.cpp: {name, description, factory};
///   4. a unit test in tests/unit/ (and an example under experiments/).
/// A kind with a results table of its own also adds the table's row type in sim/results and its builder
/// (sim/engine/results_builder) and a member of ResultsInputs that append_results fills. A kind that acts on
/// the others (a failure injector) gets the platform's hosts here; a scheduler that decides where training
/// jobs run replaces the training kind's place() (its own ServerAllocator policy), not run_experiment.

#include "models/power/cluster_power.hpp"
#include "sim/config/experiment_loader.hpp"
#include "sim/engine/placement.hpp"
#include "sim/engine/power_tracker.hpp"
#include "sim/engine/server_lending.hpp"
#include "topologies/fabric.hpp"
#include "topologies/simgrid_platform.hpp"

namespace clustersim {

struct ResultsInputs;

/// What run_experiment hands each workload to launch it.
struct WorkloadContext {
  const LoadedExperiment& experiment;  ///< the spec and the catalog
  const Platform& platform;            ///< server hosts (index = server id, as placed) and the frontend host
  PowerTracker& tracker;               ///< the workload's GPUs report their activity here
  double end_s;                        ///< end of the run (the experiment's duration)
  const Fabric& fabric;                ///< where each server sits (group, pod)
  const std::vector<PoolSpec>& pools;  ///< the site's accelerator pools (site_pools)
  std::vector<int> servers_placed;     ///< per pool: servers the workloads took at placement (the rest: scheduler's)
  ServerLending& lending;              ///< tidal sharing: servers services lend to the training jobs over time
  const ClusterPowerModel* power = nullptr;  ///< the site's power (facility.budget_policy hold asks it)
};

/// One kind of workload of an experiment: every entry of its `workload.<kind>` list.
class Workload {
 public:
  virtual ~Workload() = default;

  /// The `workload.<kind>` name it was registered under.
  virtual const char* kind() const = 0;

  /// Takes the servers of each of its entries from `servers`, in file order. Called before the engine exists.
  virtual void place(SiteAllocator& servers) = 0;

  /// Builds its runtimes and creates their actors on `context.platform`. Called once, after every workload
  /// was placed, before the engine runs.
  virtual void launch(const WorkloadContext& context) = 0;

  /// After the run: closes its power accounting at `in.end_s` and adds what it measured to `in`. The
  /// workload outlives `in`'s use (its runtimes are referenced, not copied).
  virtual void append_results(ResultsInputs& in) = 0;
};

}  // namespace clustersim
