#pragma once
/// @file
/// KV-cache sizes and the KV-cache memory of a replica.
///
/// Sizes per token (all layers): multi-head attention (MHA) and grouped-query attention (GQA) cache a key
/// and a value vector per KV head: 2 x layers x kv_heads x head_dim x bytes (MHA is kv_heads = heads).
/// Multi-head latent attention (MLA, DeepSeek-V2/V3) caches one compressed latent plus the decoupled RoPE
/// key per layer: layers x (latent_dim + rope_dim) x bytes, shared by all heads.
///
/// Capacity: the HBM of the replica's GPUs minus the weights and the activation workspace, times the
/// fraction the serving engine gives the cache (vLLM gpu_memory_utilization, TensorRT-LLM
/// kv_cache_free_gpu_mem_fraction). Prefix caching keeps the KV of 512-token prompt blocks, named by hash
/// (the Mooncake trace's hash_ids), in the otherwise free part of the cache, evicted least recently used.

#include <cstdint>
#include <list>
#include <unordered_map>
#include <vector>

#include "spec/catalog.hpp"

namespace clustersim {

/// Inputs of the KV capacity of one replica.
struct KvCapacityParams {
  double hbm_bytes_per_gpu = 0;
  int gpus = 1;  ///< GPUs of the replica (tensor x pipeline parallel)
  double weight_bytes_per_gpu = 0;
  double activation_bytes_per_gpu = 0;  ///< workspace for the largest iteration
  double cache_fraction = 0.9;          ///< share of the remaining memory given to the cache
  double kv_bytes_per_token = 0;        ///< whole replica
};

/// Tokens of KV cache the replica holds; 0 when the weights do not fit.
double kv_capacity_tokens(const KvCapacityParams& p);

/// Prefix cache: an LRU set of prompt-block hashes whose KV is kept in free cache memory.
class PrefixCache {
 public:
  explicit PrefixCache(int block_tokens = 512) : block_tokens_(block_tokens) {}
  int block_tokens() const { return block_tokens_; }
  /// Leading blocks of `hashes` present in the cache (a prefix match stops at the first miss); touches them.
  int match(const std::vector<uint32_t>& hashes);
  /// Leading blocks of `hashes` present, without touching their recency.
  int peek(const std::vector<uint32_t>& hashes) const;
  /// Inserts the blocks (most recently used), then evicts down to `max_blocks`.
  void insert(const std::vector<uint32_t>& hashes, long max_blocks);
  /// Evicts least recently used blocks until at most `max_blocks` remain.
  void shrink(long max_blocks);
  long size() const { return static_cast<long>(lru_.size()); }

 private:
  int block_tokens_;
  std::list<uint32_t> lru_;  // front = most recently used
  std::unordered_map<uint32_t, std::list<uint32_t>::iterator> where_;
};

}  // namespace clustersim
