#pragma once
/// @file
/// The terminal summary of a run: cluster power and energy, then one line per training job and per
/// inference service, in human units.

#include <string>

#include "sim/results/results.hpp"

namespace clustersim {

/// Formats the summary of `results` (as written by the simulation) for the terminal.
std::string format_run_summary(const RunResults& results);

}  // namespace clustersim
