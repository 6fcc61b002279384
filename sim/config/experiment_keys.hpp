#pragma once
/// @file
/// The experiment's key tables: every key of an experiment file bound to the ExperimentSpec member it fills
/// (see binding.hpp for the mechanism and how a key is added; the tables are in experiment_schema.cpp).

#include "sim/config/binding.hpp"
#include "spec/experiment_spec.hpp"

namespace clustersim {

/// The root table of an experiment file; `experiment_keys().schema()` is experiment_schema().
const KeyTable<ExperimentSpec>& experiment_keys();

}  // namespace clustersim
