#include "models/inference/scheduler.hpp"

#include <algorithm>
#include <climits>
#include <cmath>

namespace clustersim {

namespace {
/// floor(v) as an int saturated to [0, INT_MAX] (NaN gives 0): a count derived from doubles, never UB.
int floor_count(double v) {
  if (!(v >= 0)) return 0;
  return v >= static_cast<double>(INT_MAX) ? INT_MAX : static_cast<int>(std::floor(v));
}
}  // namespace

ReplicaScheduler::ReplicaScheduler(const SchedulerParams& p) : params_(p), prefix_cache_(p.prefix_block_tokens) {}

void ReplicaScheduler::enqueue(ServingRequest* r) {
  if (r->prefill_target == 0) r->prefill_target = r->arrival.input_tokens;
  waiting_.push_back(r);
}

double ReplicaScheduler::admission_need(const ServingRequest& r) const {
  if (params_.policy == KvPolicy::kReserve && !params_.prefill_only)
    return r.prefill_target + (r.arrival.output_tokens - r.generated);
  return r.prefill_target;
}

long ReplicaScheduler::free_blocks() const {
  const double blocks = (params_.kv_capacity_tokens - kv_used_) / params_.prefix_block_tokens;
  if (!(blocks >= 0)) return 0;
  return blocks >= static_cast<double>(LONG_MAX) ? LONG_MAX : static_cast<long>(blocks);
}

void ReplicaScheduler::release(ServingRequest* r) {
  kv_used_ -= r->kv_tokens;
  r->kv_tokens = 0;
}

void ReplicaScheduler::preempt_last() {
  ServingRequest* r = running_.back();
  running_.pop_back();
  release(r);
  r->prefill_target = r->arrival.input_tokens + r->generated;
  r->prefilled = 0;
  r->preemptions++;
  ++preemptions_;
  waiting_.push_front(r);
}

IterationPlan ReplicaScheduler::plan() {
  IterationPlan plan;
  plan_into(plan);
  return plan;
}

void ReplicaScheduler::plan_into(IterationPlan& plan) {
  plan.decodes.clear();
  plan.chunks.clear();
  plan.work = IterationWork{};
  plan.repeat = 1;
  const long preempted_before = preemptions_;
  // Paged KV: every decoding sequence needs one more token; evict the newest until they fit.
  if (params_.policy == KvPolicy::kPaged) {
    auto decoding = [&] {
      return std::count_if(running_.begin(), running_.end(), [](const ServingRequest* r) { return !r->prefilling(); });
    };
    while (running_.size() > 1 && kv_used_ + decoding() > params_.kv_capacity_tokens) preempt_last();
  }
  int budget = params_.max_batch_tokens;
  bool first_decode = false;  // a request that arrived prefilled (decode pool) produces its first token
  for (ServingRequest* r : running_) {
    if (r->prefilling()) continue;
    first_decode = first_decode || r->first_token_s < 0;
    plan.decodes.push_back(r);
    plan.work.decode_tokens += 1;
    plan.work.decode_context_tokens += r->arrival.input_tokens + r->generated;
    budget -= 1;
  }
  auto add_chunk = [&](ServingRequest* r) {
    const int chunk = std::min(r->prefill_target - r->prefilled, budget);
    if (chunk <= 0) return;
    plan.chunks.emplace_back(r, chunk);
    plan.work.prefill_tokens += chunk;
    plan.work.prefill_attention_ctx += chunk * (r->prefilled + (chunk + 1) / 2.0);
    if (r->prefilled + chunk == r->prefill_target) plan.work.prefill_completions += 1;
    budget -= chunk;
  };
  for (ServingRequest* r : running_)
    if (r->prefilling() && budget > 0) add_chunk(r);

  // Admission, first come first served; none in an iteration that had to preempt (no thrashing).
  while (!waiting_.empty() && budget > 0 && static_cast<int>(running_.size()) < params_.max_batch &&
         preemptions_ == preempted_before) {
    ServingRequest* r = waiting_.front();
    const double need = admission_need(*r);
    if (kv_used_ + need > params_.kv_capacity_tokens && !running_.empty()) break;
    waiting_.pop_front();
    if (params_.prefix_caching && r->preemptions == 0 && !r->arrival.prefix_blocks.empty()) {
      prefix_cache_.shrink(free_blocks());
      const int blocks = prefix_cache_.match(r->arrival.prefix_blocks);
      const long long cached = static_cast<long long>(blocks) * params_.prefix_block_tokens;
      r->cached_tokens = static_cast<int>(std::min<long long>(cached, r->arrival.input_tokens - 1));
      r->prefilled = r->cached_tokens;
      cached_tokens_ += r->cached_tokens;
    }
    r->kv_tokens = need;
    kv_used_ += need;
    running_.push_back(r);
    add_chunk(r);
  }

  // A decode-only batch with nothing admissible repeats until its first completion (and, with paged KV,
  // while the cache has room for the growing contexts).
  if (plan.chunks.empty() && !plan.decodes.empty()) {
    int k = 1 << 30;
    for (const ServingRequest* r : plan.decodes) k = std::min(k, r->arrival.output_tokens - r->generated);
    if (params_.policy == KvPolicy::kPaged) {
      const double room = params_.kv_capacity_tokens - kv_used_;
      k = std::min(k, floor_count(room / static_cast<double>(plan.decodes.size())));
    }
    // Requests still waiting could be admitted as soon as the batch has room: only completions change that.
    plan.repeat = first_decode ? 1 : std::max(1, k);
  }
}

std::vector<ServingRequest*> ReplicaScheduler::complete(const IterationPlan& plan, int iterations, double end_s) {
  std::vector<ServingRequest*> done;
  complete_into(plan, iterations, end_s, done);
  return done;
}

void ReplicaScheduler::complete_into(const IterationPlan& plan, int iterations, double end_s,
                                     std::vector<ServingRequest*>& done) {
  done.clear();
  for (ServingRequest* r : plan.decodes) {
    r->generated += iterations;
    if (r->first_token_s < 0) r->first_token_s = end_s;  // repeat = 1 then: end_s ends the first iteration
    if (params_.policy == KvPolicy::kPaged) {
      r->kv_tokens += iterations;
      kv_used_ += iterations;
    }
  }
  for (auto& [r, chunk] : plan.chunks) {
    r->prefilled += chunk;
    if (r->prefilling()) continue;
    if (params_.prefix_caching && !r->arrival.prefix_blocks.empty())
      prefix_cache_.insert(r->arrival.prefix_blocks, free_blocks());
    if (params_.prefill_only) continue;  // the decode replica produces the tokens
    r->generated += 1;                   // the prefill's forward pass produces the next token
    if (r->first_token_s < 0) r->first_token_s = end_s;
  }
  auto finished = [&](ServingRequest* r) {
    if (r->prefilling() || !(params_.prefill_only || r->finished())) return false;
    if (!params_.prefill_only) r->done_s = end_s;
    release(r);
    done.push_back(r);
    return true;
  };
  running_.erase(std::remove_if(running_.begin(), running_.end(), finished), running_.end());
}

}  // namespace clustersim
