#pragma once
/// @file
/// An empirical request-length distribution as a table of equally spaced quantiles (read by
/// sim/input/length_quantiles_reader, sampled by models/inference/length_distribution).

#include <vector>

namespace clustersim {

struct LengthQuantiles {
  std::vector<double> input_tokens;   ///< equally spaced quantiles 0 .. 1 of prompt tokens
  std::vector<double> output_tokens;  ///< the same for generated tokens
};

}  // namespace clustersim
