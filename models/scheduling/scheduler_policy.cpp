#include "models/scheduling/scheduler_policy.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>

namespace clustersim {

std::vector<QueuedJob> policy_order(SchedulerKind policy, std::vector<QueuedJob> queue) {
  auto by_submit = [](const QueuedJob& a, const QueuedJob& b) {
    return a.submit_s != b.submit_s ? a.submit_s < b.submit_s : a.id < b.id;
  };
  if (policy == SchedulerKind::kPriority)
    std::sort(queue.begin(), queue.end(), [&](const QueuedJob& a, const QueuedJob& b) {
      return a.priority != b.priority ? a.priority > b.priority : by_submit(a, b);
    });
  else
    std::sort(queue.begin(), queue.end(), by_submit);
  return queue;
}

namespace {

/// What is free as the decision starts jobs: whole servers, and the free GPUs of partly used servers.
struct Capacity {
  int whole = 0;
  std::multiset<int> partial;
  int gpus_per_server = 0;

  bool small(const QueuedJob& j) const { return gpus_per_server > 0 && j.gpus > 0 && j.gpus < gpus_per_server; }
  /// The partly used server a small job would take (best fit), or end().
  std::multiset<int>::iterator best_fit(const QueuedJob& j) const {
    return partial.lower_bound(static_cast<int>(std::ceil(j.gpus)));
  }
  bool fits(const QueuedJob& j) const {
    if (!small(j)) return j.servers <= whole;
    return best_fit(j) != partial.end() || whole >= 1;
  }
  /// Whole servers the job would take now.
  int whole_servers(const QueuedJob& j) const {
    if (!small(j)) return j.servers;
    return best_fit(j) != partial.end() ? 0 : 1;
  }
  void take(const QueuedJob& j) {
    if (!small(j)) {
      whole -= j.servers;
      return;
    }
    const int g = static_cast<int>(std::ceil(j.gpus));
    int left = 0;
    if (auto it = best_fit(j); it != partial.end()) {
      left = *it - g;
      partial.erase(it);
    } else {
      whole -= 1;
      left = gpus_per_server - g;
    }
    if (left > 0) partial.insert(left);
  }
};

/// EASY reservation of `head`: the earliest expected time at which `free` servers plus those of the running
/// jobs ended by then hold it, and the servers left over at that time for jobs that outlast it.
struct Reservation {
  double shadow_s = std::numeric_limits<double>::infinity();
  int extra_servers = 0;
};

Reservation reserve(const QueuedJob& head, int free, std::vector<RunningJob> running) {
  std::sort(running.begin(), running.end(), [](const RunningJob& a, const RunningJob& b) {
    return a.end_estimate_s != b.end_estimate_s ? a.end_estimate_s < b.end_estimate_s : a.id < b.id;
  });
  Reservation r;
  int avail = free;
  for (const RunningJob& j : running) {
    if (avail >= head.servers) break;
    avail += j.servers;
    r.shadow_s = j.end_estimate_s;
  }
  if (avail >= head.servers) r.extra_servers = avail - head.servers;
  return r;
}

/// Running jobs of lower priority than `head` to stop so that it fits, lowest priority first, then latest
/// started; empty when even all of them would not make room.
std::vector<int> victims_for(const QueuedJob& head, int available, std::vector<RunningJob> running) {
  std::vector<RunningJob> lower;
  for (const RunningJob& j : running)
    if (j.priority < head.priority) lower.push_back(j);
  std::sort(lower.begin(), lower.end(), [](const RunningJob& a, const RunningJob& b) {
    if (a.priority != b.priority) return a.priority < b.priority;
    return a.start_s != b.start_s ? a.start_s > b.start_s : a.id > b.id;
  });
  std::vector<int> out;
  for (const RunningJob& j : lower) {
    if (available >= head.servers) break;
    out.push_back(j.id);
    available += j.servers;
  }
  if (available < head.servers) out.clear();
  return out;
}

}  // namespace

ScheduleDecision decide(SchedulerKind policy, const SchedulerState& state) {
  if (policy == SchedulerKind::kNone) throw std::invalid_argument("decide: the 'none' policy has no queue");
  ScheduleDecision d;
  std::vector<QueuedJob> queue = policy_order(policy, state.queue);
  // Tenant quotas: what each tenant holds now; a job that would pass its quota is set aside (it waits without
  // blocking the others), and each job started below counts at once.
  std::vector<double> used(state.quota_gpus.size(), 0);
  auto has_quota = [&](int tenant) { return tenant >= 0 && tenant < static_cast<int>(used.size()); };
  for (const RunningJob& j : state.running)
    if (has_quota(j.tenant)) used[j.tenant] += j.gpus;
  auto over_quota = [&](const QueuedJob& j) {
    return has_quota(j.tenant) && used[j.tenant] + j.gpus > state.quota_gpus[j.tenant];
  };
  auto count = [&](const QueuedJob& j) {
    if (has_quota(j.tenant)) used[j.tenant] += j.gpus;
  };
  Capacity cap{
      state.free_servers, {state.partial_free_gpus.begin(), state.partial_free_gpus.end()}, state.gpus_per_server};
  std::vector<RunningJob> running = state.running;
  size_t i = 0;
  // Start jobs in order while they fit (jobs over their quota stay out of the way).
  while (i < queue.size()) {
    if (over_quota(queue[i])) {
      queue.erase(queue.begin() + static_cast<std::ptrdiff_t>(i));
      continue;
    }
    if (!cap.fits(queue[i])) break;
    d.start.push_back(queue[i].id);
    count(queue[i]);
    running.push_back({queue[i].id, cap.small(queue[i]) ? 0 : queue[i].servers, queue[i].priority, state.now_s,
                       state.now_s + queue[i].run_estimate_s, queue[i].tenant, queue[i].gpus});
    cap.take(queue[i]);
    ++i;
  }
  if (i == queue.size()) return d;
  const QueuedJob& head = queue[i];
  // The first job that does not fit. Servers already being freed count as coming: wait for them.
  if (policy == SchedulerKind::kPriority && state.preemption && head.servers > cap.whole + state.stopping_servers) {
    d.preempt = victims_for(head, cap.whole + state.stopping_servers, state.running);
    if (!d.preempt.empty()) return d;  // the head starts once they have stopped; nothing overtakes it meanwhile
  }
  if (policy == SchedulerKind::kFifo) return d;
  // EASY backfill behind the head's reservation.
  Reservation r = reserve(head, cap.whole, running);
  for (size_t k = i + 1; k < queue.size(); ++k) {
    const QueuedJob& j = queue[k];
    if (!cap.fits(j) || over_quota(j)) continue;
    const bool ends_before = state.now_s + j.run_estimate_s <= r.shadow_s;
    const int whole = cap.whole_servers(j);  // 0: on a partly used server, nothing taken from the reservation
    if (!ends_before && whole > r.extra_servers) continue;
    d.start.push_back(j.id);
    count(j);
    cap.take(j);
    if (!ends_before) r.extra_servers -= whole;
  }
  return d;
}

}  // namespace clustersim
