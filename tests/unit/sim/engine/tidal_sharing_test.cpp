// Autoscaling and tidal sharing in the engine: an autoscaled service follows its demand (replicas, tokens and
// power weighted by what each request stands for), and the servers it parks run training jobs that are
// preempted when it takes them back. Serving is the same with and without lending; GPUs are never counted twice.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "../../experiment_text_util.hpp"
#include "../../simgrid_test_util.hpp"
#include "common/diagnostics.hpp"
#include "sim/config/overrides.hpp"
#include "sim/engine/simulation.hpp"

namespace clustersim {
namespace {

// 16 servers: a chat service of 1 to 12 TP8 replicas (1 per server) sized at 1 request/s each, demand between
// 0.2 x and 1.8 x 6/s over a 2 h day; training jobs of 2 servers arriving every 4 min on what it leaves.
const char* kTidal = R"(name: tidal-test
seed: 2
duration: 2h
cluster: {gpu: H100-SXM, servers: 16}
fabric: {tiers: 2, link: 400Gbps}
scheduler: {policy: backfill}
workload:
  inference:
    - name: chat
      model: llama3-8b
      replicas: 12
      detailed_replicas: 2
      tp: 8
      autoscale: {min_replicas: 2, target_rate: 1, interval: 5min, startup: 1min, lend: true}
      arrivals: {kind: poisson, rate: 6, input_tokens: 500, output_tokens: 100,
                 diurnal_amplitude: 0.8, diurnal_period: 2h, diurnal_peak: 1h}
  job_streams:
    - {name: dev, model: llama3-8b, interarrival: 4min, gpus: {16: 1}, run_time_median: 20min, run_time_mean: 20min, seq_len: 4096, batch_per_replica: 8}
output: {sample_interval: 5min}
)";

std::string write_yaml(const std::string& yaml) { return test::write_experiment(yaml, "tidal"); }

std::string replace(const std::string& s, const std::string& from, const std::string& to) {
  return test::replace_first(s, from, to);
}

std::string load_error(const std::string& yaml) { return test::load_error(yaml, "tidal"); }

/// Runs `yaml` in a child process; returns "service tokens, TTFT p99, training GPU-hours, preemptions,
/// over-count" and each interval's replicas, as text.
std::string run_text(const std::string& yaml) {
  return test::run_in_child([&] {
    RunOptions options;
    options.progress = false;
    const RunResults r = run_experiment(load_experiment(write_yaml(yaml)), options);
    const RunRecord& rec = *r.record;
    double held = 0, preemptions = 0, over = 0, series_tokens = 0, prev = 0;
    for (const JobRow& j : rec.jobs) {
      held += j.gpus * j.held_s / 3600;
      preemptions += j.preemptions;
    }
    for (const PoolSampleRow& p : rec.pool_samples) over = std::max(over, p.training_gpus + p.serving_gpus - 128);
    std::string replicas;
    for (const ServiceSampleRow& x : rec.service_samples) {
      series_tokens += x.output_tokens_per_s * (x.time_s - prev);
      prev = x.time_s;
      replicas += " " + std::to_string(static_cast<int>(x.replicas));
    }
    const ServiceRow& s = rec.services.at(0);
    char line[512];
    std::snprintf(line, sizeof line, "%.17g %.17g %.17g %.17g %.17g %.17g %.17g\n", s.output_tokens_per_s, s.ttft_p99_s,
                  held, preemptions, over, series_tokens / (s.output_tokens_per_s * prev),
                  rec.pools.at(0).serving_gpus);
    return std::string(line) + replicas;
  });
}

TEST(TidalSharing, ParkedServersTrainAndServingIsUnchanged) {
  const std::string lent = run_text(kTidal);
  const std::string kept = run_text(replace(kTidal, "lend: true", "lend: false"));
  double tok_a, ttft_a, held_a, pre_a, over_a, series_a, serving_a;
  double tok_b, ttft_b, held_b, pre_b, over_b, series_b, serving_b;
  ASSERT_EQ(std::sscanf(lent.c_str(), "%lf %lf %lf %lf %lf %lf %lf", &tok_a, &ttft_a, &held_a, &pre_a, &over_a,
                        &series_a, &serving_a),
            7)
      << lent;
  ASSERT_EQ(std::sscanf(kept.c_str(), "%lf %lf %lf %lf %lf %lf %lf", &tok_b, &ttft_b, &held_b, &pre_b, &over_b,
                        &series_b, &serving_b),
            7)
      << kept;
  // Serving: its servers are its own whether or not it lends the parked ones.
  EXPECT_EQ(tok_a, tok_b);
  EXPECT_EQ(ttft_a, ttft_b);
  EXPECT_EQ(lent.substr(lent.find('\n')), kept.substr(kept.find('\n')));  // the replicas over time
  // The replicas follow the day: fewer than 12 on average, and the 6/s mean needs about 6.
  EXPECT_GT(serving_a, 2 * 8);
  EXPECT_LT(serving_a, 11 * 8);
  // Lending: more GPU time for training, some jobs preempted when the servers are taken back, never a GPU counted
  // by training and serving at once.
  EXPECT_GT(held_a, held_b * 1.2);
  EXPECT_GT(pre_a, 0);
  EXPECT_EQ(pre_b, 0);
  EXPECT_LE(over_a, 1e-6);
  EXPECT_LE(over_b, 1e-6);
  // The fleet's tokens per interval add up to its total (each request weighted by the replicas it stood for).
  EXPECT_NEAR(series_a, 1.0, 0.02);
  // Determinism.
  EXPECT_EQ(run_text(kTidal), lent);
}

TEST(TidalSharing, InputErrorsAreReportedAtTheirKey) {
  EXPECT_EQ(load_error(kTidal), "");
  EXPECT_NE(load_error(replace(kTidal, "min_replicas: 2", "min_replicas: 20")).find("is above replicas = 12"),
            std::string::npos);
  EXPECT_NE(load_error(replace(kTidal, "detailed_replicas: 2", "detailed_replicas: 3"))
                .find("1 <= detailed_replicas <= min_replicas"),
            std::string::npos);
  EXPECT_NE(load_error(replace(kTidal, "startup: 1min", "startup: 6min")).find("startup must be shorter"),
            std::string::npos);
  EXPECT_NE(
      load_error(replace(kTidal, "policy: backfill", "policy: none")).find("lending parked servers needs a scheduler"),
      std::string::npos);
}

}  // namespace
}  // namespace clustersim

namespace clustersim {
namespace {

// Two lending services of single-GPU replicas share server 1 (a: server 0 and half of 1; b: the other half and
// server 2): neither lends it, and no GPU is counted twice.
const char* kShared = R"(name: shared-test
seed: 3
duration: 2h
cluster: {gpu: H100-SXM, servers: 6}
fabric: {tiers: 2, link: 400Gbps}
scheduler: {policy: backfill}
workload:
  inference:
    - {name: a, model: llama3-8b, replicas: 12, detailed_replicas: 2, tp: 1,
       autoscale: {min_replicas: 2, target_rate: 1, interval: 5min, startup: 1min, lend: true},
       arrivals: {kind: poisson, rate: 6, input_tokens: 500, output_tokens: 100, diurnal_amplitude: 0.8, diurnal_period: 2h}}
    - {name: b, model: llama3-8b, replicas: 12, detailed_replicas: 2, tp: 1,
       autoscale: {min_replicas: 2, target_rate: 1, interval: 5min, startup: 1min, lend: true},
       arrivals: {kind: poisson, rate: 6, input_tokens: 500, output_tokens: 100, diurnal_amplitude: 0.8, diurnal_period: 2h}}
  job_streams:
    - {name: dev, model: llama3-8b, interarrival: 2min, gpus: {8: 1}, run_time_median: 20min, run_time_mean: 20min, seq_len: 4096, batch_per_replica: 8}
output: {sample_interval: 5min}
)";

TEST(TidalSharing, AServerTwoServicesShareIsNeverLent) {
  const std::string out = test::run_in_child([] {
    RunOptions options;
    options.progress = false;
    const RunResults r = run_experiment(load_experiment(write_yaml(kShared)), options);
    double over = 0, held = 0;
    for (const PoolSampleRow& p : r.record->pool_samples) over = std::max(over, p.training_gpus + p.serving_gpus - 48);
    for (const JobRow& j : r.record->jobs) held += j.gpus * j.held_s;
    char line[128];
    std::snprintf(line, sizeof line, "%.17g %.17g", over, held);
    return std::string(line);
  });
  double over = 0, held = 0;
  ASSERT_EQ(std::sscanf(out.c_str(), "%lf %lf", &over, &held), 2) << out;
  EXPECT_LE(over, 1e-6);
  // The jobs ran on servers 3-5 and on what a and b lent (servers 0 and 2 at night), not on server 1.
  EXPECT_GT(held, 0);
}

}  // namespace
}  // namespace clustersim
