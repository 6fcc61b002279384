// Long runs (sim/engine/service_measures.hpp): a run past a day draws its arrivals a day at a time and, streamed,
// folds each request into the results once done and frees it. Streamed and kept give the same numbers: exactly
// for a constant fleet sample (sums of whole tokens, exact quantiles below 16.7M requests), to rounding for an
// autoscaled one (its weights are summed in another order).
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "../../experiment_text_util.hpp"
#include "../../simgrid_test_util.hpp"
#include "sim/engine/simulation.hpp"

namespace clustersim {
namespace {

const char* kTwoDays = R"(name: streaming-test
seed: 9
duration: 50h
cluster: {gpu: H100-SXM, servers: 4}
fabric: {tiers: 2, link: 400Gbps}
output: {sample_interval: 1h, request_records: streamed}
workload:
  inference:
    - name: steady
      model: llama3-8b
      replicas: 16
      detailed_replicas: 2
      tp: 1
      slo: {ttft: 200ms, tpot: 20ms}
      arrivals: {kind: poisson, rate: 8, input_tokens: 500, output_tokens: 100, diurnal_amplitude: 0.5}
    - name: scaled
      model: llama3-8b
      replicas: 16
      detailed_replicas: 2
      tp: 1
      autoscale: {min_replicas: 4, target_rate: 1, interval: 10min, startup: 1min}
      arrivals: {kind: poisson, rate: 8, input_tokens: 500, output_tokens: 100, diurnal_amplitude: 0.5}
)";

std::string run_text(const std::string& records) {
  return test::run_in_child([&] {
    const std::string yaml = test::replace_first(kTwoDays, "request_records: streamed", "request_records: " + records);
    RunOptions options;
    options.progress = false;
    const RunResults r = run_experiment(load_experiment(test::write_experiment(yaml, "streaming")), options);
    std::string out;
    char line[512];
    for (const ServiceRow& s : r.record->services) {
      std::snprintf(line, sizeof line, "%ld %ld %.17g %.17g %.17g %.17g %.17g %.17g %.17g\n",
                    static_cast<long>(s.requests), static_cast<long>(s.completed), s.output_tokens_per_s, s.ttft_p50_s,
                    s.ttft_p99_s, s.tpot_p99_s, s.e2e_p90_s, s.goodput_tokens_per_s, s.energy_j);
      out += line;
    }
    double tokens = 0;
    for (const ServiceSampleRow& x : r.record->service_samples) tokens += x.output_tokens_per_s;
    std::snprintf(line, sizeof line, "%.17g\n", tokens);
    return out + line;
  });
}

TEST(RequestStreaming, StreamedAndKeptGiveTheSameResults) {
  const std::string kept = run_text("kept"), streamed = run_text("streamed");
  // The constant sample, line 1: bit for bit.
  EXPECT_EQ(kept.substr(0, kept.find('\n')), streamed.substr(0, streamed.find('\n')));
  // The autoscaled one: the same counts and quantiles, sums within rounding.
  long ka, kc, sa, sc;
  double kv[7], sv[7];
  const char* fmt = "%ld %ld %lf %lf %lf %lf %lf %lf %lf";
  const std::string k2 = kept.substr(kept.find('\n') + 1), s2 = streamed.substr(streamed.find('\n') + 1);
  ASSERT_EQ(std::sscanf(k2.c_str(), fmt, &ka, &kc, &kv[0], &kv[1], &kv[2], &kv[3], &kv[4], &kv[5], &kv[6]), 9) << k2;
  ASSERT_EQ(std::sscanf(s2.c_str(), fmt, &sa, &sc, &sv[0], &sv[1], &sv[2], &sv[3], &sv[4], &sv[5], &sv[6]), 9) << s2;
  EXPECT_NEAR(ka, sa, 1);
  EXPECT_NEAR(kc, sc, 1);
  for (int i = 0; i < 7; ++i) EXPECT_NEAR(kv[i], sv[i], 1e-9 * std::abs(kv[i])) << i;
  EXPECT_GT(ka, 100000);  // two days of arrivals, the second day's drawn when the run reached it
}

}  // namespace
}  // namespace clustersim
