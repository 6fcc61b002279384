#pragma once
/// @file
/// The physical checks of an experiment, run by the loader after its cross-field rules: each training job's
/// layout fits in HBM (models/training/memory), and the fabric can be built from the catalog's parts
/// (topologies/). They need the models and topologies, so they live here, above sim/config. Also the
/// experiment loaders that run them: the ones every command uses. prepare_experiment keeps the fabric its
/// check built for the base experiment and hands it on, so that a run builds its fabric once.

#include <optional>
#include <string>
#include <vector>

#include "sim/config/experiment_loader.hpp"
#include "sim/config/experiment_rules.hpp"
#include "sim/config/schema.hpp"
#include "sim/setup/fabric_params.hpp"

namespace clustersim {

/// Reports, at the key to blame, a training job whose layout does not fit in HBM and a fabric that cannot be
/// built. Checks only what `outcome` found consistent (one mistake, one diagnostic). The fabric built by the
/// check goes to `keep` when not null (left empty when the check did not build it).
void check_feasibility(const ExperimentSpec& spec, const ResolvedConfig& resolved, const Catalog& catalog,
                       const RuleOutcome& outcome, Diagnostics& diags, std::optional<ExperimentFabric>* keep = nullptr);

/// load_experiment with the physical checks: what `validate` and `sweep` use. Throws ConfigError.
LoadedExperiment load_experiment(const std::string& path, const std::vector<Override>& overrides = {});

/// An experiment ready to run: loaded and checked, with its fabric built.
struct PreparedExperiment {
  LoadedExperiment experiment;
  ExperimentFabric fabric;         ///< the fabric the check of the base experiment built (not a sweep value's)
  bool fabric_from_check = false;  ///< false when it had to be built again (the check did not build it)
};

/// load_experiment that keeps the fabric built by the check of the base experiment (built again only if it
/// does not match the loaded spec): what `run` and `describe-fabric` use. Throws ConfigError.
PreparedExperiment prepare_experiment(const std::string& path, const std::vector<Override>& overrides = {});

}  // namespace clustersim
