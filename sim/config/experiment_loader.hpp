#pragma once
/// @file
/// YAML experiment -> validated ExperimentSpec + Catalog. All input errors are collected and thrown
/// together as one ConfigError (exit code 2).

#include <functional>
#include <string>
#include <vector>

#include "sim/config/experiment_rules.hpp"
#include "spec/catalog.hpp"
#include "spec/experiment_spec.hpp"
#include "spec/facility_data.hpp"
#include "spec/uncertainty.hpp"

namespace clustersim {

/// A `--set key.path=value` override. The value is YAML text ("800Gbps", "[1,2]", "true").
struct Override {
  std::string key;
  std::string value;
};

/// Parses "key.path=value"; returns false (and an error) on bad syntax.
bool parse_override(const std::string& text, Override& out, std::string& error);

/// Everything a run needs from its inputs.
struct LoadedExperiment {
  ExperimentSpec spec;
  Catalog catalog;
  FacilityData facility_data;  ///< data/facility/*.yaml, read only for facility.model: cooling
  UncertaintyBands bands;      ///< data/validation/bands.yaml: the predictions' uncertainty (none when missing)
  std::string source_path;     ///< the experiment file as given
  std::string source_yaml;     ///< the user's file, verbatim
  std::string resolved_yaml;   ///< canonical resolved experiment: defaults explicit, SI units, overrides applied
};

/// The checks that need the models and topologies, supplied by sim/setup/feasibility (whose load_experiment is
/// the one every command uses). Empty members are skipped. Each runs for the base experiment first, then once
/// per sweep value.
struct SetupChecks {
  /// The run budget (sim/setup/run_budget), first: false when the run is too big, and the rest is skipped.
  std::function<bool(const ExperimentSpec& spec, const ResolvedConfig& resolved, Diagnostics& diags)> budget;
  /// HBM fit and fabric buildable, after the cross-field rules, with their outcome.
  std::function<void(const ExperimentSpec& spec, const ResolvedConfig& resolved, const Catalog& catalog,
                     const RuleOutcome& outcome, Diagnostics& diags)>
      physical;
};

/// Loads the shipped catalog (data/catalog/*.yaml), then the experiment, its `catalog_files` and inline
/// `catalog` entries (which add or override shipped entries), applies overrides, validates everything
/// including cross-field rules (tp*pp*dp == gpus, jobs fit the cluster, names exist in the catalog).
/// with the `checks` of the setup layer around them. Throws ConfigError with every problem found.
LoadedExperiment load_experiment(const std::string& path, const std::vector<Override>& overrides,
                                 const SetupChecks& checks);

/// Loads only the catalog (shipped plus `extra_files`). Throws ConfigError.
Catalog load_catalog(const std::vector<std::string>& extra_files = {});

/// The directory holding the shipped data (catalog/, traces/, validation/), the first of: $CLUSTERSIM_DATA_DIR;
/// EXE_DIR/../share/clustersim/data when it exists (an installed binary: `cmake --install`); the data/ folder of
/// the source tree the binary was built from (kSourceDir in common/version.hpp).
std::string data_dir();

/// Where data_dir() came from: "CLUSTERSIM_DATA_DIR", "the installation" or "the build's source tree".
std::string data_dir_origin();

/// The root schema of an experiment file (for `describe keys`).
const struct Schema& experiment_schema();

}  // namespace clustersim
