#pragma once
/// @file
/// Reads request-length quantile tables (data/traces/alibaba-servegen-2025).

#include <string>

#include "spec/length_quantiles.hpp"

namespace clustersim {

/// Reads a "quantile,input_tokens,output_tokens" CSV ('#' lines are comments). Throws ConfigError.
LengthQuantiles read_length_quantiles(const std::string& path);

}  // namespace clustersim
