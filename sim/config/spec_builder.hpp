#pragma once
/// @file
/// Resolved experiment tree (see schema.hpp) + catalog -> ExperimentSpec: every member is filled from its
/// key through the key tables (experiment_keys.hpp), then the "0 / empty = derived" values are filled in:
/// the server from the accelerator, GPUs and NICs per server, scale-up domain and bandwidth, sequence
/// length, global batch from tokens per step, output paths. Tolerates keys missing after validation
/// errors (their members keep the struct defaults, which equal the schema defaults).

#include <yaml-cpp/yaml.h>

#include "spec/catalog.hpp"
#include "spec/experiment_spec.hpp"

namespace clustersim {

/// Builds the typed spec from a resolved experiment tree. Unknown catalog names keep their sentinel
/// values (the cross-field rules report them).
ExperimentSpec build_spec(const YAML::Node& tree, const Catalog& catalog);

}  // namespace clustersim
