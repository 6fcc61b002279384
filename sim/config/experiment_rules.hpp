#pragma once
/// @file
/// Cross-field rules of an experiment (what one key alone cannot tell): catalog names exist, tp x pp x dp
/// = gpus, jobs fit the cluster, names are unique, precisions are supported, batch sizes are consistent,
/// inference traces exist. Each problem is a diagnostic at the relevant key.

#include <vector>

#include <yaml-cpp/yaml.h>

#include "sim/config/schema.hpp"
#include "spec/catalog.hpp"
#include "spec/experiment_spec.hpp"

namespace clustersim {

/// What the cross-field rules found consistent enough for the physical checks (sim/setup/feasibility) to run.
struct RuleOutcome {
  std::vector<bool> layout_consistent;  ///< per training job: the layout can be sized (HBM fit)
  bool fabric_consistent = false;       ///< the fabric keys are valid and name catalog parts (it can be built)
};

/// Servers a cluster scheduler has for training jobs in pool `pool` (an index of site_pools): the pool's less those
/// its inference services' GPUs fill (whole servers, packed at best; placement may use a few more). 0 or less
/// when the services take them all.
long long scheduler_servers(const ExperimentSpec& spec, int pool);

/// Checks `spec` (built from `resolved.tree` by build_spec) against itself and `catalog`. Rules whose keys
/// failed validation (absent from the resolved tree) are skipped, so one mistake gives one diagnostic.
RuleOutcome check_experiment(const ExperimentSpec& spec, const ResolvedConfig& resolved, const Catalog& catalog,
                             Diagnostics& diags);

}  // namespace clustersim
