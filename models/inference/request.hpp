#pragma once
/// @file
/// One inference request through its life in a replica: arrival, prefill progress (chunked), decode
/// progress and the times of its first token and completion. Plain data shared by the scheduler
/// (models/inference/scheduler), the SimGrid actors (sim/engine/inference_service) and the results.

#include <cstdint>
#include <vector>

#include "models/inference/arrivals.hpp"

namespace clustersim {

struct ServingRequest {
  RequestArrival arrival;
  int replica = -1;
  double first_token_s = -1;  ///< time the first output token was produced; -1 = not yet
  double done_s = -1;         ///< time the last output token was produced; -1 = not yet
  int prefill_target = 0;     ///< tokens to prefill: the prompt, or prompt + generated after a preemption
  int prefilled = 0;          ///< tokens of prefill_target computed (or found in the prefix cache)
  int generated = 0;          ///< output tokens produced
  int cached_tokens = 0;      ///< prompt tokens served from the prefix cache at admission
  int preemptions = 0;        ///< times evicted from the KV cache (recomputed later)
  double kv_tokens = 0;       ///< KV-cache tokens currently held (reserved or used)

  bool prefilling() const { return prefilled < prefill_target; }
  bool finished() const { return generated >= arrival.output_tokens; }
};

}  // namespace clustersim
