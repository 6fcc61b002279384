#pragma once
/// @file
/// Resolved experiment tree (see schema.hpp) + catalog -> ExperimentSpec, with the "0 / empty = derived"
/// values filled in: the server from the accelerator, GPUs and NICs per server, sequence length, global
/// batch from tokens per step, output paths. Tolerates keys missing after validation errors.

#include <yaml-cpp/yaml.h>

#include "spec/catalog.hpp"
#include "spec/experiment_spec.hpp"

namespace clustersim {

/// Builds the typed spec from a resolved experiment tree. Unknown catalog names keep their sentinel
/// values (the cross-field rules report them).
ExperimentSpec build_spec(const YAML::Node& tree, const Catalog& catalog);

/// Parses a precision name ("bf16", "fp8", "fp4"); bf16 for anything else.
Precision precision_from_name(const std::string& name);

}  // namespace clustersim
