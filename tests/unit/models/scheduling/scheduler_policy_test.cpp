// The cluster scheduler's policies (models/scheduling/scheduler_policy): FIFO order, EASY backfill that never
// delays the first waiting job, priorities and the preemption order.
#include "models/scheduling/scheduler_policy.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <random>

namespace clustersim {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

QueuedJob queued(int id, int servers, double submit, double run = kInf, int priority = 0) {
  return {id, servers, priority, submit, run};
}

TEST(SchedulerPolicy, FifoStartsInSubmitOrderAndBlocksBehindTheFirstThatDoesNotFit) {
  SchedulerState st;
  st.free_servers = 5;
  // Given out of order: the policy sorts by submit time.
  st.queue = {queued(2, 1, 2.0), queued(0, 4, 0.0), queued(1, 2, 1.0)};
  const ScheduleDecision d = decide(SchedulerKind::kFifo, st);
  EXPECT_EQ(d.start, std::vector<int>({0}));  // job 1 (2 servers) does not fit in the 1 left: job 2 waits too
  EXPECT_TRUE(d.preempt.empty());
  st.free_servers = 7;
  EXPECT_EQ(decide(SchedulerKind::kFifo, st).start, std::vector<int>({0, 1, 2}));
  // Same submit time: lower id first.
  st.queue = {queued(5, 1, 0.0), queued(3, 1, 0.0)};
  EXPECT_EQ(decide(SchedulerKind::kFifo, st).start, std::vector<int>({3, 5}));
}

TEST(SchedulerPolicy, BackfillStartsOnlyJobsThatLeaveTheHeadItsReservation) {
  // Running: 4 servers until t = 100. Free: 2. Head: 5 servers -> reserved at t = 100, when 6 are free (1 extra).
  SchedulerState st;
  st.now_s = 0;
  st.free_servers = 2;
  st.running = {{10, 4, 0, 0.0, 100.0}};
  st.queue = {queued(0, 5, 0.0), queued(1, 2, 1.0, 50.0), queued(2, 2, 2.0, 200.0), queued(3, 1, 3.0, 500.0)};
  const ScheduleDecision fifo = decide(SchedulerKind::kFifo, st);
  EXPECT_TRUE(fifo.start.empty());
  const ScheduleDecision d = decide(SchedulerKind::kBackfill, st);
  // Job 1 ends (t = 50) before the reservation; job 2 would outlast it and needs 2 > 1 extra server; job 3 fits in
  // the extra server... but job 1 took the 2 free ones, so nothing is left for job 3 now.
  EXPECT_EQ(d.start, std::vector<int>({1}));
  st.free_servers = 3;  // one more free server: job 3 takes it, within the extra
  EXPECT_EQ(decide(SchedulerKind::kBackfill, st).start, std::vector<int>({1, 3}));
}

/// The earliest time `servers` are free given the free count and running jobs (end estimates exact).
double earliest_fit(int servers, int free, std::vector<RunningJob> running) {
  std::sort(running.begin(), running.end(),
            [](const RunningJob& a, const RunningJob& b) { return a.end_estimate_s < b.end_estimate_s; });
  if (free >= servers) return 0;
  for (const RunningJob& r : running) {
    free += r.servers;
    if (free >= servers) return r.end_estimate_s;
  }
  return kInf;
}

TEST(SchedulerPolicy, BackfillNeverDelaysTheFirstWaitingJob) {
  // Random states: the head's earliest start with the backfilled jobs running is never later than without them.
  std::mt19937_64 rng(7);
  int backfilled = 0;
  for (int trial = 0; trial < 2000; ++trial) {
    SchedulerState st;
    st.now_s = 0;
    st.free_servers = static_cast<int>(rng() % 8);
    for (int r = 0; r < 4; ++r)
      st.running.push_back({100 + r, 1 + static_cast<int>(rng() % 6), 0, 0.0, 1.0 + static_cast<double>(rng() % 100)});
    for (int q = 0; q < 6; ++q)
      st.queue.push_back(queued(q, 1 + static_cast<int>(rng() % 10), q, 1.0 + static_cast<double>(rng() % 150)));
    const ScheduleDecision fifo = decide(SchedulerKind::kFifo, st);
    const ScheduleDecision bf = decide(SchedulerKind::kBackfill, st);
    ASSERT_TRUE(std::equal(fifo.start.begin(), fifo.start.end(), bf.start.begin()));  // FIFO's starts come first
    if (fifo.start.size() == st.queue.size()) continue;
    const QueuedJob head = st.queue[fifo.start.size()];  // submit order = index order here
    auto run_with = [&](const std::vector<int>& started, int& free) {
      std::vector<RunningJob> running = st.running;
      free = st.free_servers;
      for (int id : started) {
        running.push_back({id, st.queue[id].servers, 0, 0.0, st.queue[id].run_estimate_s});
        free -= st.queue[id].servers;
      }
      return running;
    };
    int free_fifo = 0, free_bf = 0;
    const auto running_fifo = run_with(fifo.start, free_fifo);
    const auto running_bf = run_with(bf.start, free_bf);
    ASSERT_GE(free_bf, 0);
    backfilled += static_cast<int>(bf.start.size() - fifo.start.size());
    EXPECT_LE(earliest_fit(head.servers, free_bf, running_bf), earliest_fit(head.servers, free_fifo, running_fifo))
        << "trial " << trial;
  }
  EXPECT_GT(backfilled, 100);  // the property was exercised
}

TEST(SchedulerPolicy, PriorityOrdersByPriorityThenSubmit) {
  SchedulerState st;
  st.free_servers = 3;
  st.queue = {queued(0, 2, 0.0, kInf, 0), queued(1, 2, 1.0, kInf, 5), queued(2, 1, 2.0, kInf, 5)};
  EXPECT_EQ(decide(SchedulerKind::kPriority, st).start, std::vector<int>({1, 2}));
}

TEST(SchedulerPolicy, PreemptionStopsLowerPriorityJobsLowestFirstThenLatestStarted) {
  SchedulerState st;
  st.now_s = 50;
  st.free_servers = 1;
  st.preemption = true;
  st.running = {{10, 2, 0, 10.0, kInf}, {11, 2, 0, 20.0, kInf}, {12, 4, 1, 5.0, kInf}, {13, 4, 3, 1.0, kInf}};
  st.queue = {queued(0, 3, 40.0, kInf, 2)};
  ScheduleDecision d = decide(SchedulerKind::kPriority, st);
  EXPECT_EQ(d.preempt, std::vector<int>({11}));  // 1 free + 2 of the latest-started priority-0 job
  EXPECT_TRUE(d.start.empty());                  // it starts once they have stopped
  st.queue = {queued(0, 6, 40.0, kInf, 2)};
  EXPECT_EQ(decide(SchedulerKind::kPriority, st).preempt, std::vector<int>({11, 10, 12}));
  // Servers already being freed count: no second round of victims.
  st.stopping_servers = 5;
  EXPECT_TRUE(decide(SchedulerKind::kPriority, st).preempt.empty());
  st.stopping_servers = 0;
  // Only strictly lower priorities, and only when that is enough.
  st.queue = {queued(0, 12, 40.0, kInf, 2)};
  EXPECT_TRUE(decide(SchedulerKind::kPriority, st).preempt.empty());
  st.queue = {queued(0, 3, 40.0, kInf, 0)};
  EXPECT_TRUE(decide(SchedulerKind::kPriority, st).preempt.empty());
  st.preemption = false;
  st.queue = {queued(0, 3, 40.0, kInf, 2)};
  EXPECT_TRUE(decide(SchedulerKind::kPriority, st).preempt.empty());
}

TEST(SchedulerPolicy, QuotasHoldATenantBackWithoutBlockingTheOthers) {
  SchedulerState st;
  st.free_servers = 10;
  st.quota_gpus = {16, 1000};                  // tenant 0: 16 GPUs, tenant 1: plenty
  st.running = {{10, 1, 0, 0.0, kInf, 0, 8}};  // tenant 0 holds 8
  QueuedJob a = queued(0, 2, 0.0), b = queued(1, 1, 1.0), c = queued(2, 1, 2.0), d = queued(3, 3, 3.0);
  a.tenant = 0, a.gpus = 16;  // 8 + 16 > 16: set aside
  b.tenant = 1, b.gpus = 8;
  c.tenant = 0, c.gpus = 8;  // 8 + 8 = 16: fits the quota
  d.gpus = 24;               // no tenant: no quota
  st.queue = {a, b, c, d};
  for (SchedulerKind policy : {SchedulerKind::kFifo, SchedulerKind::kBackfill, SchedulerKind::kPriority})
    EXPECT_EQ(decide(policy, st).start, std::vector<int>({1, 2, 3}));  // a waits, the rest go
  // A started job counts at once: two more of tenant 0 at 8 GPUs each, only the first fits.
  QueuedJob e = c;
  e.id = 4, e.submit_s = 4.0;
  st.queue = {c, e};
  EXPECT_EQ(decide(SchedulerKind::kFifo, st).start, std::vector<int>({2}));
}

TEST(SchedulerPolicy, NoneHasNoQueue) { EXPECT_THROW(decide(SchedulerKind::kNone, {}), std::invalid_argument); }

}  // namespace
}  // namespace clustersim

namespace clustersim {
namespace {

QueuedJob small_job(int id, double gpus, double submit, double run = std::numeric_limits<double>::infinity()) {
  QueuedJob j{id, 1, 0, submit, run};
  j.gpus = gpus;
  return j;
}

TEST(SchedulerPolicy, SmallJobsFillPartlyUsedServersAndPassBlockedOnes) {
  SchedulerState st;
  st.gpus_per_server = 8;
  st.free_servers = 0;
  st.partial_free_gpus = {2, 5};
  // FIFO: a 4-GPU job fits in the server with 5 free (best fit), then a 2-GPU job in the one with 2, then a 2-GPU
  // job finds 1 + 0 free: it blocks the rest.
  st.queue = {small_job(0, 4, 0), small_job(1, 2, 1), small_job(2, 2, 2), small_job(3, 1, 3)};
  EXPECT_EQ(decide(SchedulerKind::kFifo, st).start, std::vector<int>({0, 1}));
  // A whole-server job at the head (no whole server free) blocks FIFO; backfill lets a small job use a partly
  // used server: it takes nothing from the head's reservation, whatever its run time.
  QueuedJob whole{9, 1, 0, -1.0, 100.0};
  whole.gpus = 8;
  st.running = {{20, 1, 0, 0.0, 50.0}};
  st.queue = {whole, small_job(1, 2, 1, 1e9)};
  EXPECT_TRUE(decide(SchedulerKind::kFifo, st).start.empty());
  EXPECT_EQ(decide(SchedulerKind::kBackfill, st).start, std::vector<int>({1}));
}

}  // namespace
}  // namespace clustersim
