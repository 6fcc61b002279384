#pragma once
/// @file
/// The one rule that turns `tokens_per_step` into the sequences a training job trains per step.

namespace clustersim {

/// Most sequences per step a job may train (the range of `global_batch`).
inline constexpr double kMaxGlobalBatch = 1e9;

/// Sequences per step for `tokens` tokens per step: the nearest whole number of micro-batch rounds, each round
/// being `per_step` = dp x micro_batch sequences of `seq_len` tokens (every data-parallel replica runs the same
/// number of whole micro-batches, as Megatron-LM requires of global_batch). Returns 0 when `tokens` is less than
/// one round (the caller reports it) and -1 when the result is not finite or exceeds kMaxGlobalBatch. The job
/// then trains (and reports) sequences x seq_len tokens per step, not `tokens`.
long long sequences_from_tokens(double tokens, int seq_len, long long per_step);

}  // namespace clustersim
