// Accelerator pools (cluster.pools, spec/cluster_pools.hpp): where each pool's servers are, input errors at the
// key, calibration resolved per pool's accelerator, jobs scheduled inside their pool, per-pool power that adds up
// to the site's, and a peak that is the site's power peak (weighted by each pool's watts per unit of activity).
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "../../experiment_text_util.hpp"
#include "../../simgrid_test_util.hpp"
#include "common/diagnostics.hpp"
#include "sim/engine/power_tracker.hpp"
#include "sim/engine/simulation.hpp"
#include "sim/setup/training_layout.hpp"
#include "spec/cluster_pools.hpp"

namespace clustersim {
namespace {

// 4 H100 servers (pool h100, servers 0-3) and 4 Ascend 910B servers (pool ascend, servers 4-7); the same job in
// each pool, and a small service on the Ascend pool.
const char* kSite = R"(name: pools-test
seed: 1
duration: 20min
cluster:
  gpu: H100-SXM
  name: h100
  servers: 8
  pools:
    - {name: ascend, gpu: Ascend-910B, servers: 4}
fabric: {tiers: 2, link: 400Gbps}
scheduler: {policy: fifo}
workload:
  training:
    - {name: a, pool: h100, model: llama3-8b, gpus: 16, parallelism: {tp: 8, dp: 2}, global_batch: 64, steps: 40, detailed_steps: 1}
    - {name: b, pool: ascend, model: llama3-8b, gpus: 16, parallelism: {tp: 8, dp: 2}, global_batch: 64, steps: 40, detailed_steps: 1}
  inference:
    - name: chat
      pool: ascend
      model: llama3-8b
      replicas: 2
      tp: 8
      arrivals: {kind: poisson, rate: 2, input_tokens: 500, output_tokens: 100}
output: {sample_interval: 1min}
)";

std::string write_yaml(const std::string& yaml) { return test::write_experiment(yaml, "pools"); }

std::string replace(const std::string& s, const std::string& from, const std::string& to) {
  return test::replace_first(s, from, to);
}

std::string load_error(const std::string& yaml) { return test::load_error(yaml, "pools"); }

TEST(ClusterPools, PoolsAreConsecutiveServerRangesAfterTheMainPool) {
  ClusterSpec c;
  c.name = "main";
  c.gpu = "H100-SXM";
  c.servers = 10;
  c.pools.push_back({"b", "H20", "", 3});
  c.pools.push_back({"c", "Ascend-910B", "", 2});
  const auto pools = site_pools(c);
  ASSERT_EQ(pools.size(), 3u);
  EXPECT_EQ(pools[0].name, "main");
  EXPECT_EQ(pools[0].servers, 5);
  EXPECT_EQ(pools[1].first_server, 5);
  EXPECT_EQ(pools[2].first_server, 8);
  EXPECT_EQ(pool_index(pools, ""), 0);
  EXPECT_EQ(pool_index(pools, "c"), 2);
  EXPECT_EQ(pool_index(pools, "x"), -1);
  EXPECT_EQ(pool_of_servers(pools), (std::vector<int>{0, 0, 0, 0, 0, 1, 1, 1, 2, 2}));
  c.servers = 5;  // the pools take every server: no main pool
  EXPECT_EQ(site_pools(c).size(), 2u);
  EXPECT_EQ(site_pools(c)[0].name, "b");
}

TEST(ClusterPools, InputErrorsAreReportedAtTheirKey) {
  EXPECT_EQ(load_error(kSite), "");
  EXPECT_NE(load_error(replace(kSite, "pool: ascend, model", "pool: ascned, model")).find("did you mean 'ascend'"),
            std::string::npos);
  EXPECT_NE(load_error(replace(kSite, "gpu: Ascend-910B, servers: 4", "gpu: Ascend-910B, servers: 9"))
                .find("the pools take 9 servers but the cluster has 8"),
            std::string::npos);
  EXPECT_NE(load_error(replace(kSite, "{name: ascend, gpu: Ascend-910B", "{name: h100, gpu: Ascend-910B"))
                .find("duplicate pool name 'h100'"),
            std::string::npos);
  EXPECT_NE(load_error(replace(kSite, "gpu: Ascend-910B", "gpu: GB200")).find("holds 4 GPUs but the cluster's"),
            std::string::npos);
  EXPECT_NE(load_error(replace(kSite, "gpu: Ascend-910B", "gpu: Ascend910B")).find("unknown accelerator"),
            std::string::npos);
  // A job larger than its pool (the site has room, the pool does not) could never start.
  const std::string big =
      replace(kSite, "{name: b, pool: ascend, model: llama3-8b, gpus: 16, parallelism: {tp: 8, dp: 2}",
              "{name: b, pool: ascend, model: llama3-8b, gpus: 48, parallelism: {tp: 8, dp: 6}");
  EXPECT_NE(load_error(big).find("in pool 'ascend'"), std::string::npos) << load_error(big);
}

TEST(ClusterPools, EachJobGetsItsPoolsAcceleratorAndCalibration) {
  const LoadedExperiment e = load_experiment(write_yaml(kSite));
  const TrainingLayout a = training_layout(e.spec.training[0], e.spec, e.catalog);
  const TrainingLayout b = training_layout(e.spec.training[1], e.spec, e.catalog);
  EXPECT_EQ(a.gpu.name, "H100-SXM");
  EXPECT_EQ(b.gpu.name, "Ascend-910B");
  // The catalog's by_gpu values for each pool's accelerator, the fallback where it has none.
  const auto& by_gpu = e.catalog.calibration.by_gpu.at("matmul_efficiency");
  EXPECT_DOUBLE_EQ(a.calibration.matmul_efficiency, by_gpu.at("H100-SXM"));
  EXPECT_EQ(by_gpu.count("Ascend-910B"), 0u);
  EXPECT_DOUBLE_EQ(b.calibration.matmul_efficiency, e.catalog.calibration.matmul_efficiency);
}

/// "" when `x` is within `tol` of `y`, else a line saying so (the checks run in a child process, which reports
/// back text: gtest assertions there would not reach the parent).
std::string near(const char* what, double x, double y, double tol) {
  if (std::fabs(x - y) <= tol) return "";
  char line[256];
  std::snprintf(line, sizeof line, "%s: %.17g vs %.17g\n", what, x, y);
  return line;
}

std::string is(const char* what, bool ok) { return ok ? "" : std::string(what) + "\n"; }

TEST(ClusterPools, JobsRunInTheirPoolAndPowerAddsUp) {
  const std::string failures = test::run_in_child([] {
    RunOptions options;
    options.progress = false;
    const RunResults r = run_experiment(load_experiment(write_yaml(kSite)), options);
    const RunRecord& rec = *r.record;
    std::string f;
    if (rec.pools.size() != 2 || rec.jobs.size() != 2 || rec.services.size() != 1) return std::string("sizes\n");
    f += is("pool names", rec.pools[0].name == "h100" && rec.pools[1].name == "ascend");
    f += is("ascend first server", rec.pools[1].first_server == 4);
    f += is("serving GPUs", rec.pools[1].serving_gpus == 16 && rec.pools[0].serving_gpus == 0);
    const JobRow &a = rec.jobs[0], &b = rec.jobs[1];
    f += is("job pools", a.pool == "h100" && b.pool == "ascend" && rec.services[0].pool == "ascend");
    // Both start at once: the service leaves 2 of the Ascend pool's 4 servers, the job takes the other 2.
    f += is("both start at 0", a.start_s == 0 && b.start_s == 0);
    // The Ascend hosts compute at the 910B's speed: the simulated step is at least the 910B's compute time,
    // about 3x the H100's (989 / 313 TFLOP/s of BF16 peak, and a lower matmul efficiency).
    f += is("910B step >= its compute", b.step_time_s > b.compute_time_s);
    f += is("910B compute > 3x H100's", b.compute_time_s / a.compute_time_s > 3.0);
    f += near("h100 GPU-hours", rec.pools[0].training_gpu_hours, 16 * a.held_s / 3600, 1e-9);
    f += near("ascend GPU-hours", rec.pools[1].training_gpu_hours, 16 * b.held_s / 3600, 1e-9);
    // IT energy: the pools' GPU and server energy and the site's network.
    const RunSummary& s = rec.summary;
    const double pools_j = rec.pools[0].it_energy_j + rec.pools[1].it_energy_j;
    f += near("IT energy", pools_j + s.network_power_w * s.duration_s, s.it_energy_j, 1e-9 * s.it_energy_j);
    // Each interval's pool rows add up to the site's power sample (GPU + server).
    if (rec.pool_samples.size() != 2 * rec.power_samples.size()) return f + "pool samples\n";
    double highest = 0;
    for (size_t i = 0; i < rec.power_samples.size(); ++i) {
      const auto& p = rec.power_samples[i];
      f += near("interval power", rec.pool_samples[2 * i].it_power_w + rec.pool_samples[2 * i + 1].it_power_w,
                p.gpu_power_w + p.server_power_w, 1e-6 * p.it_power_w);
      highest = std::max(highest, p.it_power_w);
    }
    // The peak is the site's: at least every interval's mean.
    f += is("peak >= every interval", s.it_power_peak_w >= highest * (1 - 1e-12));
    return f;
  });
  EXPECT_EQ(failures, "");
}

TEST(ClusterPools, ThePeakIsThatOfPowerNotOfSummedActivity) {
  PowerTracker t;
  t.set_pool_weights({1.0, 10.0});  // a pool-1 GPU adds 10x the watts of a pool-0 GPU per unit of activity
  const int g0 = t.add_group(10, 0), g1 = t.add_group(2, 1);
  t.set_activity(g0, 1.0, 0.0);  // activity 10, power 10
  t.set_activity(g0, 0.0, 1.0);
  t.set_activity(g1, 1.0, 1.0);  // activity 2, power 20: the peak of power
  t.set_activity(g1, 0.0, 2.0);
  EXPECT_EQ(t.peak_activity_by_pool(), (std::vector<double>{0.0, 2.0}));
  EXPECT_EQ(t.peak_activity_sum(), 2.0);
  EXPECT_EQ(t.pool_integrals(3.0), (std::vector<double>{10.0, 2.0}));
}

}  // namespace
}  // namespace clustersim

namespace clustersim {
namespace {

// A job with a list of pools starts in the first that can start it: h100 is full (job a holds its 4 servers), so
// c starts at once in ascend, with the 910B's layout; d prefers ascend, held by c, and may also run on h100,
// held by a: it starts in whichever frees up first (c's 10 steps end before a's 20 minutes).
const char* kFallback = R"(name: fallback-test
seed: 1
duration: 30min
cluster:
  gpu: H100-SXM
  name: h100
  servers: 8
  pools:
    - {name: ascend, gpu: Ascend-910B, servers: 4}
fabric: {tiers: 2, link: 400Gbps}
scheduler: {policy: fifo}
workload:
  training:
    - {name: a, pool: h100, model: llama3-8b, gpus: 32, parallelism: {tp: 8, dp: 4}, global_batch: 64, run_time: 20min, detailed_steps: 1}
    - {name: c, pool: [h100, ascend], model: llama3-8b, gpus: 32, parallelism: {tp: 8, dp: 4}, global_batch: 64, steps: 10, start: 1min, detailed_steps: 1}
    - {name: d, pool: [ascend, h100], model: llama3-8b, gpus: 32, parallelism: {tp: 8, dp: 4}, global_batch: 64, steps: 10, start: 2min, detailed_steps: 1}
output: {sample_interval: 1min}
)";

TEST(ClusterPools, AJobStartsInTheFirstOfItsPoolsThatHasRoom) {
  const std::string out = test::run_in_child([] {
    RunOptions options;
    options.progress = false;
    const RunResults r = run_experiment(load_experiment(write_yaml(kFallback)), options);
    std::string text;
    char line[256];
    for (const JobRow& j : r.record->jobs) {
      std::snprintf(line, sizeof line, "%s %s %.6g %.6g\n", j.name.c_str(), j.pool.c_str(), j.start_s,
                    j.compute_time_s);
      text += line;
    }
    return text;
  });
  char name[3][8], pool[3][16];
  double start[3], compute[3];
  ASSERT_EQ(
      std::sscanf(out.c_str(), "%7s %15s %lf %lf %7s %15s %lf %lf %7s %15s %lf %lf", name[0], pool[0], &start[0],
                  &compute[0], name[1], pool[1], &start[1], &compute[1], name[2], pool[2], &start[2], &compute[2]),
      12)
      << out;
  EXPECT_STREQ(pool[0], "h100");
  EXPECT_STREQ(pool[1], "ascend");  // its second choice: h100 was full
  EXPECT_EQ(start[1], 60);
  EXPECT_GT(compute[1] / compute[0], 3.0);  // the 910B's layout, not the H100's
  // d: ascend (its first choice) is held by c, h100 by a: it starts where room comes first, c's end in ascend.
  EXPECT_GT(start[2], 120);
  EXPECT_STREQ(pool[2], "ascend");
}

TEST(ClusterPools, FallbackPoolsAreCheckedLikeThePool) {
  EXPECT_EQ(load_error(kFallback), "");
  EXPECT_NE(load_error(replace(kFallback, "pool: [h100, ascend]", "pool: [h100, ascnd]")).find("did you mean 'ascend'"),
            std::string::npos);
}

}  // namespace
}  // namespace clustersim
