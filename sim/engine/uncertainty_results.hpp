#pragma once
/// @file
/// The uncertainty bands of a run's predictions (spec/uncertainty.hpp): each training job's step time, each
/// service's throughput and GPU power, the site's IT power, from the bands of data/validation/bands.yaml.

#include "sim/engine/results_builder.hpp"

namespace clustersim {

/// Fills the jobs' step_time_uncertainty, the services' output_tokens_per_s_uncertainty and gpu_power_uncertainty
/// and the summary's it_power_uncertainty (the widest of the site's pools) with their bases. Rows follow
/// `in.jobs` and `in.services` (services without a row are skipped by name).
void apply_uncertainty_bands(const ResultsInputs& in, RunRecord& record);

}  // namespace clustersim
