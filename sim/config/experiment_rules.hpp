#pragma once
/// @file
/// Cross-field rules of an experiment (what one key alone cannot tell): catalog names exist, tp x pp x dp
/// = gpus, jobs fit the cluster, names are unique, precisions are supported, batch sizes are consistent,
/// inference traces exist. Each problem is a diagnostic at the relevant key.

#include <yaml-cpp/yaml.h>

#include "models/hardware/catalog.hpp"
#include "sim/config/experiment_spec.hpp"
#include "sim/config/schema.hpp"

namespace clustersim {

/// Checks `spec` (built from `resolved.tree` by build_spec) against itself and `catalog`. Rules whose keys
/// failed validation (absent from the resolved tree) are skipped, so one mistake gives one diagnostic.
void check_experiment(const ExperimentSpec& spec, const ResolvedConfig& resolved, const Catalog& catalog,
                      Diagnostics& diags);

}  // namespace clustersim
