#pragma once
/// @file
/// From a validated training job spec to the inputs of models/training (the step model and the memory
/// model), and the memory fit check with its "by how much and what would fit" message.

#include <string>

#include "models/training/step_model.hpp"
#include "spec/experiment_spec.hpp"

namespace clustersim {

/// The step-model inputs of `job` in `spec` (catalog entries must exist: checked before).
TrainingLayout training_layout(const TrainingJobSpec& job, const ExperimentSpec& spec, const Catalog& catalog);

/// Empty when the layout fits in HBM; otherwise the error message (needed vs available, by how much)
/// and in `hint` the changes of the layout that would fit.
std::string memory_fit_error(const TrainingLayout& layout, std::string& hint);

}  // namespace clustersim
