// The cluster scheduler in the engine (sim/engine/job_scheduler): four jobs on 16 servers submitted over
// 7 minutes, run as FIFO, EASY backfill and priorities with preemption; who starts when (by hand from the
// submit times and run times), what is conserved (GPU time held, steps), and determinism.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "../../simgrid_test_util.hpp"
#include "sim/config/overrides.hpp"
#include "sim/engine/simulation.hpp"
#include "sim/results/segment_row.hpp"

namespace clustersim {
namespace {

// a: 8 servers from t = 0 for 30 min of work; b: 16 servers (the whole cluster) at 5 min for 20 min; c: 4 servers
// at 6 min for 10 min; d: 8 servers at 7 min for 2 h (longer than the run).
const char* kQueue = R"(name: queue-test
seed: 1
duration: 2h
cluster: {gpu: H100-SXM, servers: 16}
fabric: {tiers: 2, link: 400Gbps}
scheduler: {policy: fifo}
workload:
  training:
    - {name: a, model: llama3-8b, gpus: 64, parallelism: {tp: 8, dp: 8}, global_batch: 64, run_time: 30min, detailed_steps: 1}
    - {name: b, model: llama3-8b, gpus: 128, parallelism: {tp: 8, dp: 16}, global_batch: 128, start: 5min, run_time: 20min, detailed_steps: 1}
    - {name: c, model: llama3-8b, gpus: 32, parallelism: {tp: 8, dp: 4}, global_batch: 32, start: 6min, run_time: 10min, detailed_steps: 1}
    - {name: d, model: llama3-8b, gpus: 64, parallelism: {tp: 8, dp: 8}, global_batch: 64, start: 7min, run_time: 2h, detailed_steps: 1}
output: {sample_interval: 5min}
)";

struct JobOut {
  std::string state;
  double submit = 0, start = 0, end = 0, held = 0, steps = 0, steps_total = 0;
  long gpus = 0, servers = 0, leaves = 0, preemptions = 0;
};

struct RunOut {
  std::vector<JobOut> jobs;
  double held_gpu_s_from_samples = 0;
  double wait_p50 = 0, allocation = 0;
  std::string text;  ///< everything, printed exactly (determinism)
};

/// Runs `yaml` with the overrides `sets` (key=value) in this process: call it inside test::run_in_child. The
/// experiment file is named by process, as ctest runs the tests of this file side by side.
RunResults run_yaml(const char* yaml, const std::vector<std::string>& sets) {
  const auto path =
      std::filesystem::path(testing::TempDir()) / ("clustersim_scheduler_" + std::to_string(getpid()) + ".yaml");
  std::ofstream(path) << yaml;
  std::vector<Override> overrides;
  for (const auto& s : sets) {
    Override o;
    std::string error;
    if (!parse_override(s, o, error)) throw std::invalid_argument("bad override " + s + ": " + error);
    overrides.push_back(o);
  }
  RunOptions options;
  options.progress = false;
  return run_experiment(load_experiment(path.string(), overrides), options);
}

std::string run_text(const std::vector<std::string>& sets) {
  return test::run_in_child([&] {
    const RunResults r = run_yaml(kQueue, sets);
    std::string out;
    char line[512];
    for (const JobRow& j : r.record->jobs) {
      std::snprintf(line, sizeof line, "job %s %.17g %.17g %.17g %.17g %.17g %.17g %ld %ld %ld %ld\n", j.state.c_str(),
                    j.submit_s, j.start_s, j.end_s, j.held_s, j.steps, j.steps_total, static_cast<long>(j.gpus),
                    static_cast<long>(j.servers), static_cast<long>(j.leaves), static_cast<long>(j.preemptions));
      out += line;
    }
    for (size_t i = 0; i < r.record->schedule_samples.size(); ++i) {
      const auto& x = r.record->schedule_samples[i];
      const double next = i + 1 < r.record->schedule_samples.size() ? r.record->schedule_samples[i + 1].time_s
                                                                    : r.record->summary.duration_s;
      std::snprintf(line, sizeof line, "sample %.17g %.17g %.17g %.17g %.17g\n", x.time_s, next - x.time_s,
                    x.queued_jobs, x.running_jobs, x.allocated_gpus);
      out += line;
    }
    std::snprintf(line, sizeof line, "summary %.17g %.17g\n", r.record->summary.job_wait_p50_s,
                  r.record->summary.training_gpu_allocation);
    return out + line;
  });
}

RunOut run(const std::vector<std::string>& sets) {
  RunOut out;
  out.text = run_text(sets);
  std::istringstream in(out.text);
  std::string kind;
  // Numbers through std::stod: "nan" is a value here (a job never started), which operator>> refuses.
  auto num = [&in] {
    std::string t;
    in >> t;
    return std::stod(t);
  };
  while (in >> kind) {
    if (kind == "job") {
      JobOut j;
      in >> j.state;
      j.submit = num(), j.start = num(), j.end = num(), j.held = num(), j.steps = num(), j.steps_total = num();
      j.gpus = std::lround(num()), j.servers = std::lround(num()), j.leaves = std::lround(num());
      j.preemptions = std::lround(num());
      out.jobs.push_back(j);
    } else if (kind == "sample") {
      num();
      const double len = num();
      num(), num();
      out.held_gpu_s_from_samples += num() * len;
    } else if (kind == "summary") {
      out.wait_p50 = num(), out.allocation = num();
    } else {
      ADD_FAILURE() << "unexpected output: " << out.text.substr(0, 300);
      break;
    }
  }
  return out;
}

void expect_conserved(const RunOut& r) {
  double held = 0;
  for (const JobOut& j : r.jobs) {
    held += static_cast<double>(j.gpus) * j.held;
    EXPECT_LE(j.steps, j.steps_total);
    if (j.state == "done") {
      EXPECT_EQ(j.steps, j.steps_total);
    }
  }
  // GPU time held: the jobs' table and the time series' integral agree.
  EXPECT_NEAR(r.held_gpu_s_from_samples, held, 1e-9 * held);
  EXPECT_NEAR(r.allocation, held / (128 * 7200.0), 1e-12);
}

TEST(JobScheduler, FifoStartsEachJobWhenTheOneBeforeItLeavesRoom) {
  const RunOut r = run({});
  ASSERT_EQ(r.jobs.size(), 4u) << r.text;
  const JobOut &a = r.jobs[0], &b = r.jobs[1], &c = r.jobs[2], &d = r.jobs[3];
  EXPECT_EQ(a.start, 0);
  EXPECT_NEAR(a.end, 1800, 5);  // 30 min of work at the measured step (the analytic estimate is within 0.3%)
  EXPECT_EQ(b.start, a.end);    // b needs all 16 servers: it waits for a
  EXPECT_EQ(c.start, b.end);    // FIFO: c and d wait behind b though 8 servers were free
  EXPECT_EQ(d.start, b.end);
  EXPECT_EQ(c.state, "done");
  EXPECT_EQ(d.state, "running");  // 2 h of work does not end within the run
  EXPECT_NEAR(d.held, 7200 - d.start, 1e-6);
  EXPECT_EQ(b.servers, 16);
  EXPECT_EQ(b.leaves, 2);  // radix 128, 8 NICs per server: 8 servers per leaf (describe-fabric)
  expect_conserved(r);
}

TEST(JobScheduler, BackfillStartsShortJobsWithoutDelayingTheHead) {
  const RunOut fifo = run({});
  const RunOut r = run({"scheduler.policy=backfill"});
  ASSERT_EQ(r.jobs.size(), 4u) << r.text;
  EXPECT_EQ(r.jobs[2].start, 360);                 // c (10 min) ends before b's reservation at a's end
  EXPECT_EQ(r.jobs[1].start, fifo.jobs[1].start);  // b starts as under FIFO
  EXPECT_EQ(r.jobs[3].start, r.jobs[1].end);       // d (2 h) would delay b: it waits
  EXPECT_LT(r.wait_p50, fifo.wait_p50);
  expect_conserved(r);
}

TEST(JobScheduler, ATenantsQuotaHoldsItsJobsBack) {
  // a and c belong to tenant x, which may hold 64 GPUs: c cannot backfill beside a (64 + 32 > 64).
  const RunOut r = run({"scheduler.policy=backfill", "workload.training[0].tenant=x", "workload.training[2].tenant=x",
                        "scheduler.quotas.x=64"});
  ASSERT_EQ(r.jobs.size(), 4u) << r.text;
  EXPECT_GT(r.jobs[2].start, r.jobs[0].end - 1e-9);  // after a, not at its submit (360 s) as without the quota
  EXPECT_EQ(r.jobs[2].state, "done");
  expect_conserved(r);
}

TEST(JobScheduler, PreemptionStopsTheLowerPriorityJobAndResumesItLater) {
  const RunOut r = run({"scheduler.policy=priority", "scheduler.preemption=true", "workload.training[3].priority=5"});
  ASSERT_EQ(r.jobs.size(), 4u) << r.text;
  const JobOut &c = r.jobs[2], &d = r.jobs[3];
  EXPECT_EQ(c.start, 360);  // backfilled at submit
  EXPECT_EQ(d.start, 420);  // d (priority 5) needs 8 servers: 4 free + c's 4, stopped at once
  EXPECT_EQ(c.preemptions, 1);
  EXPECT_EQ(c.state, "done");  // resumed when a ended, and finished its remaining steps
  EXPECT_GT(c.end, 1800);
  EXPECT_GT(c.held, 600);  // the steps under way when stopped were lost and run again
  expect_conserved(r);
}

// Two jobs on a 2:1 oversubscribed 2-tier fat-tree of 2 servers per leaf: a (17 servers) packs 8 leaves and one
// server of a ninth; b (19 servers, from 10 min to its end) takes the other server of that leaf and 9 more leaves.
// Their DP rings both leave the shared leaf through its uplinks: neighbours.
const char* kContention = R"(name: contention
seed: 1
duration: 1h
cluster: {gpu: H100-SXM, servers: 36}
fabric: {tiers: 2, link: 400Gbps, radix: 32, oversubscription: 2}
scheduler: {policy: fifo}
workload:
  training:
    - {name: a, model: llama3-8b, gpus: 136, parallelism: {tp: 8, dp: 17}, global_batch: 136, run_time: 50min, detailed_steps: 2}
    - {name: b, model: llama3-8b, gpus: 152, parallelism: {tp: 8, dp: 19}, global_batch: 152, start: 10min, run_time: 20min, detailed_steps: 2}
output: {sample_interval: 5min}
)";

std::string run_segments(const char* yaml, const std::vector<std::string>& sets) {
  return test::run_in_child([&] {
    const RunResults r = run_yaml(yaml, sets);
    std::string out;
    char line[256];
    for (const SegmentRow& g : r.record->segments) {
      std::snprintf(line, sizeof line, "%s %.17g %.17g %.17g %.17g %.17g %ld %ld\n", g.job.c_str(), g.start_s, g.end_s,
                    g.steps, g.step_time_s, g.dp_allreduce_s, static_cast<long>(g.looked_up),
                    static_cast<long>(g.neighbours));
      out += line;
    }
    for (const JobRow& j : r.record->jobs) {
      std::snprintf(line, sizeof line, "job %.17g %.17g\n", j.steps, j.steps_total);
      out += line;
    }
    return out;
  });
}

struct Segment {
  std::string job;
  double start = 0, end = 0, steps = 0, step = 0, dp = 0;
  long looked_up = 0, neighbours = 0;
};

/// The segments (and the jobs' steps done and asked) of run_segments' text.
std::vector<Segment> parse_segments(const std::string& text, double& steps_done, double& steps_total) {
  std::istringstream in(text);
  std::vector<Segment> seg;
  std::string name;
  steps_done = steps_total = 0;
  while (in >> name) {
    if (name == "job") {
      double d, t;
      in >> d >> t;
      steps_done += d;
      steps_total += t;
      continue;
    }
    Segment g;
    g.job = name;
    in >> g.start >> g.end >> g.steps >> g.step >> g.dp >> g.looked_up >> g.neighbours;
    seg.push_back(g);
  }
  return seg;
}

TEST(JobScheduler, NeighboursSlowEachOtherOnlyWhileBothRun) {
  const std::string text = run_segments(kContention, {});
  double steps_done = 0, steps_total = 0;
  const std::vector<Segment> seg = parse_segments(text, steps_done, steps_total);
  ASSERT_EQ(seg.size(), 4u) << text;
  const Segment &a0 = seg[0], &a1 = seg[1], &a2 = seg[2], &b = seg[3];
  // a alone, a beside b (re-measured when b started), a alone again (when b ended: the first situation, looked up).
  EXPECT_EQ(a0.job + a1.job + a2.job + b.job, "aaab");
  EXPECT_EQ(a0.end, 600);
  EXPECT_EQ(a1.start, 600);
  EXPECT_EQ(a1.end, b.end);
  EXPECT_EQ(a2.start, b.end);
  EXPECT_EQ(a0.neighbours, 0);
  EXPECT_EQ(a1.neighbours, 1);
  EXPECT_EQ(b.neighbours, 1);
  EXPECT_EQ(a2.looked_up, 1);
  EXPECT_EQ(a2.step, a0.step);  // after its neighbour, the step time it had before
  // Sharing the leaf's uplinks slows both rings: between 1% and the 2x of two flows on one bottleneck, in the step
  // (the DP reduction is a part of it).
  EXPECT_GT(a1.step, 1.01 * a0.step);
  EXPECT_LT(a1.step, 2.0 * a0.step);
  EXPECT_NEAR(b.step, a1.step, 0.01 * a1.step);  // the same bottleneck, similar jobs
  // b's 20 min of work (at its step time alone, as a's) take longer beside a.
  EXPECT_GT(b.end - b.start, 1200 * 1.01);
  // Every step is counted once: re-measures lose no progress.
  EXPECT_EQ(steps_done, steps_total);
  EXPECT_NEAR(a0.steps + a1.steps + a2.steps, steps_total - b.steps, 1e-9);
}

// scheduler.remeasure_interval: a's run began at 0, so b's start at 10 min is measured 15 min after a's launch;
// b measures at its own start (its run is new), and b's end (30 min + its slowdown) is measured at once, as a's
// last measurement is more than 15 min old by then.
TEST(JobScheduler, ARemeasureIntervalDefersTheMeasurement) {
  const std::string text = run_segments(kContention, {"scheduler.remeasure_interval=15min"});
  double steps_done = 0, steps_total = 0;
  const std::vector<Segment> seg = parse_segments(text, steps_done, steps_total);
  ASSERT_EQ(seg.size(), 4u) << text;
  const Segment &a0 = seg[0], &a1 = seg[1], &a2 = seg[2], &b = seg[3];
  EXPECT_EQ(a0.job + a1.job + a2.job + b.job, "aaab");
  EXPECT_EQ(a0.end, 900);  // not 600: the change waited for the interval
  EXPECT_EQ(a1.start, 900);
  EXPECT_EQ(a1.neighbours, 1);
  EXPECT_EQ(b.start, 600);
  EXPECT_EQ(a2.start, b.end);
  EXPECT_EQ(a2.looked_up, 1);
  EXPECT_EQ(steps_done, steps_total);
}

// By hand from the link loads. 8 servers, radix 32 at 400G, 2:1: 4 leaves of 2 servers, each with 11 uplinks
// (describe-fabric: 44 leaf-spine cables), so 4.4 Tbit/s up and down against a server's 8 x 400G = 3.2 Tbit/s.
// Linear placement: a = servers 0, 1 (leaf 0) and 2 (leaf 1); b = 3 (leaf 1), 4, 5 (leaf 2). Each job's DP ring
// (3 servers, one flow each way per hop) crosses leaf 1 once in each direction. Alone, every flow runs at the
// server's 3.2 Tbit/s; together, leaf 1's uplink (and downlink) carries two flows of 4.4 / 2 = 2.2 Tbit/s, the
// slowest of each ring. The simulated DP reduction (flows + microseconds of latency terms) grows by 3.2 / 2.2.
const char* kByHand = R"(name: by-hand
seed: 1
duration: 30min
cluster: {gpu: H100-SXM, servers: 8}
fabric: {tiers: 2, link: 400Gbps, radix: 32, oversubscription: 2}
scheduler: {policy: fifo, placement: linear}
workload:
  training:
    - {name: a, model: llama3-8b, gpus: 24, parallelism: {tp: 8, dp: 3}, global_batch: 24, run_time: 20min, detailed_steps: 1}
    - {name: b, model: llama3-8b, gpus: 24, parallelism: {tp: 8, dp: 3}, global_batch: 24, start: 5min, run_time: 5min, detailed_steps: 1}
output: {sample_interval: 5min}
)";

TEST(JobScheduler, ContentionMatchesTheSharedUplinkByHand) {
  const std::string text = run_segments(kByHand, {});
  double steps_done = 0, steps_total = 0;
  const std::vector<Segment> seg = parse_segments(text, steps_done, steps_total);
  ASSERT_EQ(seg.size(), 4u) << text;
  const Segment &alone = seg[0], &together = seg[1], &after = seg[2], &b = seg[3];
  ASSERT_EQ(alone.neighbours + together.neighbours * 10 + after.looked_up * 100, 110) << text;
  const double expected = 3.2 / 2.2;
  EXPECT_NEAR(together.dp / alone.dp, expected, 1e-3 * expected) << text;
  EXPECT_NEAR(b.dp, together.dp, 1e-9 * together.dp);  // the mirror image of a
  EXPECT_EQ(after.step, alone.step);
}

// Jobs smaller than a server share it: two 4-GPU jobs and a 2-GPU job on one 8-GPU server. The first two start
// together at once; the third waits for one of them (best fit would put it in the 0 GPUs left).
const char* kSharing = R"(name: sharing
seed: 1
duration: 2h
cluster: {gpu: H100-SXM, servers: 1}
fabric: {tiers: 2, link: 400Gbps}
scheduler: {policy: fifo}
workload:
  training:
    - {name: a, model: megatron-gpt-1.7b, gpus: 4, parallelism: {tp: 4, dp: 1}, global_batch: 8, run_time: 10min, detailed_steps: 1}
    - {name: b, model: megatron-gpt-1.7b, gpus: 4, parallelism: {tp: 4, dp: 1}, global_batch: 8, run_time: 20min, detailed_steps: 1}
    - {name: c, model: megatron-gpt-1.7b, gpus: 2, parallelism: {tp: 2, dp: 1}, global_batch: 8, start: 1min, run_time: 5min, detailed_steps: 1}
output: {sample_interval: 5min}
)";

TEST(JobScheduler, SmallJobsShareAServer) {
  const std::string text = run_segments(kSharing, {});
  double steps_done = 0, steps_total = 0;
  const std::vector<Segment> seg = parse_segments(text, steps_done, steps_total);
  ASSERT_EQ(seg.size(), 3u) << text;
  EXPECT_EQ(seg[0].start, 0);                   // a
  EXPECT_EQ(seg[1].start, 0);                   // b beside it
  EXPECT_EQ(seg[2].start, seg[0].end) << text;  // c when a leaves 4 GPUs
  EXPECT_EQ(steps_done, steps_total);
}

TEST(JobScheduler, SameSeedSameRun) {
  EXPECT_EQ(run({"scheduler.policy=backfill"}).text, run({"scheduler.policy=backfill"}).text);
}

}  // namespace
}  // namespace clustersim
