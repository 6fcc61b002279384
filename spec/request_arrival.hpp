#pragma once
/// @file
/// One request of an inference workload as it arrives: what the arrival generators (models/inference/arrivals)
/// draw and the trace readers (sim/input/trace_reader) read.

#include <cstdint>
#include <vector>

namespace clustersim {

/// The largest prompt or output a request may have, tokens (far above any model's context window). Traces
/// and experiment keys beyond it are input errors; the generators saturate to it (token_count).
constexpr double kMaxRequestTokens = 100'000'000;

struct RequestArrival {
  double time_s = 0;
  int input_tokens = 0;
  int output_tokens = 0;
  std::vector<uint32_t> prefix_blocks;  ///< hashes of the prompt's 512-token blocks (Mooncake); empty = unknown
};

}  // namespace clustersim
