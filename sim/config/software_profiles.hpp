#pragma once
/// @file
/// Training software profiles (workload.training[].software, catalog `software`): a framework generation's
/// settings (flash attention, sequence parallelism, the distributed optimizer, DP and TP overlap, the precision of
/// the gradient reduction) given to every job that names it, for each key the job leaves unset. What the
/// experiment writes always wins; the resolved configuration stored with the results shows the values used.

#include <yaml-cpp/yaml.h>

#include "common/diagnostics.hpp"
#include "sim/config/schema.hpp"
#include "spec/catalog.hpp"
#include "spec/experiment_spec.hpp"

namespace clustersim {

/// Applies the profiles of `spec.training` (the jobs of workload.training, in order) from `catalog`. `input` is the
/// experiment as written with overrides applied: a key it holds for a job is the job's own. Updates `spec` and
/// `resolved.tree`; an unknown profile is a diagnostic at the job's `software` key (did you mean).
void apply_software_profiles(const YAML::Node& input, const Catalog& catalog, ResolvedConfig& resolved,
                             ExperimentSpec& spec, Diagnostics& diags);

}  // namespace clustersim
