#pragma once
/// @file
/// The batch scheduler of one replica (continuous batching), free of SimGrid so that it can be tested alone.
///
/// Every iteration: (1) the running sequences that finished their prefill each decode one token; (2) the
/// remaining token budget (max_batch_tokens) goes to chunked prefill of running sequences, oldest first;
/// (3) waiting requests are admitted first-come first-served while the batch (max_batch), the budget and
/// the KV cache have room, and start their prefill in the same iteration.
///
/// Decode pool of a disaggregated service: requests arrive with their prefill done (prefilled =
/// prefill_target, generated = 0); they decode from the iteration after admission, and the end of their
/// first decode iteration is their first token (such a plan has repeat = 1 so that the time is exact).
///
/// KV-cache policies:
/// - reserve: admission reserves prompt + output tokens, so a running request is never evicted
///   (TensorRT-LLM GUARANTEED_NO_EVICT, its default);
/// - paged: admission allocates the prompt, every decoded token one more; when the cache is full the most
///   recently admitted request is preempted: its KV is dropped and it is recomputed later, prompt plus the
///   tokens already generated (vLLM's recompute preemption).
/// With prefix caching, a request's leading prompt blocks found in the replica's prefix cache are not
/// recomputed (models/inference/kv_cache PrefixCache).

#include <deque>
#include <vector>

#include "models/inference/kv_cache.hpp"
#include "models/inference/request.hpp"
#include "models/inference/serving_model.hpp"
#include "spec/kinds.hpp"  // KvPolicy

namespace clustersim {

struct SchedulerParams {
  int max_batch = 256;          ///< sequences running together
  int max_batch_tokens = 8192;  ///< tokens per iteration (decode + prefill chunks)
  double kv_capacity_tokens = 1e9;
  KvPolicy policy = KvPolicy::kReserve;
  bool prefix_caching = false;
  int prefix_block_tokens = 512;
  /// Prefill pool of a disaggregated service: admission holds the prompt's KV only, a request leaves the
  /// replica (returned by complete(), done_s unset, no token generated) when its prefill completes.
  bool prefill_only = false;
};

/// The work of the next iteration(s) and who does it.
struct IterationPlan {
  IterationWork work;
  std::vector<ServingRequest*> decodes;
  std::vector<std::pair<ServingRequest*, int>> chunks;  ///< prefill chunks (request, tokens)
  int repeat = 1;  ///< iterations this same composition lasts (decode-only stretches until a completion)
  bool empty() const { return decodes.empty() && chunks.empty(); }
};

class ReplicaScheduler {
 public:
  explicit ReplicaScheduler(const SchedulerParams& params);

  /// A request arrives at the replica.
  void enqueue(ServingRequest* r);
  /// Admits, preempts and composes the next iteration. `repeat` is the number of identical iterations
  /// that follow when nothing arrives (1 unless the batch is decode-only and nothing can be admitted).
  IterationPlan plan();
  /// plan() into `out`, reusing its vectors' storage (the engine plans millions of iterations).
  void plan_into(IterationPlan& out);
  /// Applies the first `iterations` iterations of `plan`, the last one ending at `end_s`; returns the
  /// requests that finished.
  std::vector<ServingRequest*> complete(const IterationPlan& plan, int iterations, double end_s);
  /// complete() into `done` (cleared first), reusing its storage.
  void complete_into(const IterationPlan& plan, int iterations, double end_s, std::vector<ServingRequest*>& done);

  bool idle() const { return waiting_.empty() && running_.empty(); }
  size_t waiting() const { return waiting_.size(); }
  size_t running() const { return running_.size(); }
  double kv_used_tokens() const { return kv_used_; }
  double kv_capacity_tokens() const { return params_.kv_capacity_tokens; }
  long preemptions() const { return preemptions_; }
  /// Leading blocks of `hashes` in this replica's prefix cache (for KV-aware routing; no LRU update).
  int cached_prefix_blocks(const std::vector<uint32_t>& hashes) const { return prefix_cache_.peek(hashes); }
  /// Prompt tokens served from the prefix cache so far.
  double cached_prompt_tokens() const { return cached_tokens_; }

 private:
  double admission_need(const ServingRequest& r) const;
  void release(ServingRequest* r);
  void preempt_last();
  long free_blocks() const;

  SchedulerParams params_;
  std::deque<ServingRequest*> waiting_;
  std::vector<ServingRequest*> running_;  ///< in admission order
  double kv_used_ = 0;
  long preemptions_ = 0;
  double cached_tokens_ = 0;
  PrefixCache prefix_cache_;
};

}  // namespace clustersim
