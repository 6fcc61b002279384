#pragma once
/// @file
/// The physical checks of an experiment, run by the loader after its cross-field rules: each training job's
/// layout fits in HBM (models/training/memory), and the fabric can be built from the catalog's parts
/// (topologies/). They need the models and topologies, so they live here, above sim/config. Also the
/// experiment loader that runs them: the one every command uses.

#include <string>
#include <vector>

#include "sim/config/experiment_loader.hpp"
#include "sim/config/experiment_rules.hpp"
#include "sim/config/schema.hpp"

namespace clustersim {

/// Reports, at the key to blame, a training job whose layout does not fit in HBM and a fabric that cannot be
/// built. Checks only what `outcome` found consistent (one mistake, one diagnostic).
void check_feasibility(const ExperimentSpec& spec, const ResolvedConfig& resolved, const Catalog& catalog,
                       const RuleOutcome& outcome, Diagnostics& diags);

/// load_experiment with the physical checks: what `validate`, `run` and `sweep` use. Throws ConfigError.
LoadedExperiment load_experiment(const std::string& path, const std::vector<Override>& overrides = {});

}  // namespace clustersim
