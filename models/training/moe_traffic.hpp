#pragma once
/// @file
/// MoE expert-parallel traffic (issue 14): what one token's dispatch and combine put on the fabric.
/// - Routing. Without a node limit each of the k routed copies of a token travels on its own (Megatron's
///   all-to-all): k copies. With node-limited routing (DeepSeek-V3: at most M = 4 nodes per token) a token
///   travels once to each of the min(M, k, S) servers it is routed to and is forwarded there to its experts
///   over the scale-up links (DeepEP): min(M, k, S) copies. S = servers of the EP group.
/// - Precision. The dispatch may travel in FP8 (1 byte per element, DeepSeek-V3), the combine in BF16 (2 bytes):
///   the two phases average (dispatch_bytes + 2) / 2 bytes per element.
/// - Skew. Experts are placed round-robin on the ep ranks; their popularity follows a Zipf law of exponent s
///   (s = 0: perfectly balanced, what load-balancing losses aim for: factor 1). With s > 0 the busiest rank gates
///   each all-to-all phase: busiest_rank_factor = ep x the largest rank share of the routed tokens, plus the
///   sampling spread of a multinomial split of `routed` tokens, sqrt(2 ln ep) x sqrt(share (1 - share) / routed)
///   x ep (the expected maximum of ep near-normal loads).

namespace clustersim {

/// Copies of one token that go to other servers' experts, per routed token (see the file comment).
double moe_copies_per_token(int active_experts, int max_nodes, int group_servers);

/// The busiest EP rank's load over the mean (>= 1) for `experts` experts on `ep` ranks, Zipf exponent `zipf_s`
/// and `routed` token copies per call over the group.
double moe_busiest_rank_factor(int experts, int ep, double zipf_s, double routed);

}  // namespace clustersim
