#pragma once
/// @file
/// Speculative decoding (Leviathan et al. 2023, "Fast Inference from Transformers via Speculative Decoding"):
/// a draft proposes k tokens per sequence, the target verifies them in one forward pass of k + 1 tokens and
/// keeps the accepted prefix plus one token of its own. With an i.i.d. per-token acceptance rate a, the
/// expected tokens per verification step are (1 - a^(k+1)) / (1 - a) (their eq. 1).

namespace clustersim {

struct SpeculativeParams {
  int draft_tokens = 0;            ///< k draft tokens per sequence and step; 0 = no speculation
  double acceptance = 0;           ///< a, probability that a draft token is accepted, in [0, 1)
  double draft_cost_fraction = 0;  ///< c, one draft forward pass / one target decode iteration (time)
  bool enabled() const { return draft_tokens > 0; }
};

/// Expected tokens produced per verification step, (1 - a^(k+1)) / (1 - a); k + 1 when a = 1.
double expected_tokens_per_step(int draft_tokens, double acceptance);

}  // namespace clustersim
