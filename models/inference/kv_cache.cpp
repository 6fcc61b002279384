#include "models/inference/kv_cache.hpp"

#include <algorithm>

namespace clustersim {

double kv_capacity_tokens(const KvCapacityParams& p) {
  const double free_per_gpu = p.hbm_bytes_per_gpu - p.weight_bytes_per_gpu - p.activation_bytes_per_gpu;
  if (free_per_gpu <= 0 || p.kv_bytes_per_token <= 0) return 0;
  return free_per_gpu * p.cache_fraction * p.gpus / p.kv_bytes_per_token;
}

int PrefixCache::match(const std::vector<uint32_t>& hashes) {
  int n = 0;
  for (uint32_t h : hashes) {
    auto it = where_.find(h);
    if (it == where_.end()) break;
    lru_.splice(lru_.begin(), lru_, it->second);
    ++n;
  }
  return n;
}

int PrefixCache::peek(const std::vector<uint32_t>& hashes) const {
  int n = 0;
  for (uint32_t h : hashes) {
    if (!where_.count(h)) break;
    ++n;
  }
  return n;
}

void PrefixCache::insert(const std::vector<uint32_t>& hashes, long max_blocks) {
  for (uint32_t h : hashes) {
    auto it = where_.find(h);
    if (it != where_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second);
    } else {
      lru_.push_front(h);
      where_[h] = lru_.begin();
    }
  }
  shrink(max_blocks);
}

void PrefixCache::shrink(long max_blocks) {
  while (static_cast<long>(lru_.size()) > std::max(0L, max_blocks)) {
    where_.erase(lru_.back());
    lru_.pop_back();
  }
}

}  // namespace clustersim
