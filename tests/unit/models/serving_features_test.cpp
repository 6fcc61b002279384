// Serving features of issue 5: pipeline and expert parallelism of a replica, speculative decoding, ServeGen
// token-length distributions, and their configuration rules. No SimGrid engine.
#include <gtest/gtest.h>

#include "tests/unit/test_specs.hpp"

#include <unistd.h>
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "common/diagnostics.hpp"
#include "common/statistics.hpp"
#include "models/compute/roofline.hpp"
#include "models/inference/arrivals.hpp"
#include "models/inference/replica_sim.hpp"
#include "models/inference/speculative.hpp"
#include "sim/config/experiment_loader.hpp"
#include "sim/input/length_quantiles_reader.hpp"
#include "sim/setup/feasibility.hpp"

using namespace clustersim;
namespace fs = std::filesystem;

namespace {

LlmSpec llama8b() { return test::llama3_8b(); }

LlmSpec mixtral() {
  LlmSpec m = llama8b();
  m.name = "mixtral-8x7b";
  m.vocab = 32000, m.experts = 8, m.active_experts = 2;
  return m;
}

using test::h100;

ServingParams params(const LlmSpec& m, int tp = 1, int pp = 1) {
  ServingParams p{m, h100(), {}, tp, Precision::kFp8, 0.9, 8192};
  p.pp = pp;
  return p;
}

IterationWork decode(double sequences, double context) {
  IterationWork w;
  w.decode_tokens = sequences;
  w.decode_context_tokens = sequences * context;
  return w;
}

std::vector<ServingRequest> requests(const std::vector<RequestArrival>& arrivals) {
  std::vector<ServingRequest> out(arrivals.size());
  for (size_t i = 0; i < arrivals.size(); ++i) out[i].arrival = arrivals[i];
  return out;
}

SchedulerParams scheduler(const ServingModel& m, int max_batch) {
  SchedulerParams s;
  s.max_batch = max_batch;
  s.max_batch_tokens = 8192;
  s.kv_capacity_tokens = m.kv_capacity_tokens();
  return s;
}

/// Mean time per output token after the first, over `reqs`.
double mean_tpot_s(const std::vector<ServingRequest>& reqs) {
  double sum = 0;
  for (const auto& r : reqs) sum += (r.done_s - r.first_token_s) / (r.arrival.output_tokens - 1);
  return sum / reqs.size();
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------
// Pipeline parallelism.

TEST(ServingPipeline, WeightsAndKvCacheSpreadOverTpTimesPp) {
  const ServingModel pp1(params(llama8b())), pp2(params(llama8b(), 1, 2));
  // FP8: 1 B per parameter, over 2 GPUs instead of 1.
  EXPECT_DOUBLE_EQ(pp2.weight_bytes_per_gpu(), pp1.weight_bytes_per_gpu() / 2);
  // KV capacity = (HBM - weights - activations) x 0.9 x GPUs / (KV B per token): with W = 8.03e9 B the free
  // memory more than doubles, (2 x 80 - W - 2 act) vs (80 - W - act), so capacity > 2x.
  EXPECT_GT(pp2.kv_capacity_tokens(), 2.0 * pp1.kv_capacity_tokens());
  EXPECT_LT(pp2.kv_capacity_tokens(), 2.3 * pp1.kv_capacity_tokens());
}

TEST(ServingPipeline, IterationIsPpSlotsOfOneStage) {
  const ServingModel pp1(params(llama8b())), pp2(params(llama8b(), 1, 2));
  const CalibrationSpec cal;
  // Decode of 64 sequences at 1,000 tokens of context: attention (KV reads) is linear in the work and the
  // layers, so 2 slots x (1/2 of the sequences x 1/2 of the layers) = 1/2 of the single-GPU attention.
  const IterationTime a = pp1.iteration(decode(64, 1000)), b = pp2.iteration(decode(64, 1000));
  EXPECT_NEAR(b.attention_s, a.attention_s / 2, 1e-15);
  // Communication: 2 sends of a 32-token micro-batch, each 10 us + 32 x 4096 x 2 B / 450 GB/s (0.58 us).
  EXPECT_NEAR(b.communication_s, 2 * (cal.kernel_launch_s + 32 * 4096 * 2.0 / 450e9), 1e-12);
  EXPECT_EQ(a.communication_s, 0.0);
  // One sequence: memory-bound, each stage reads half the weights per slot: the dense time is the
  // single-GPU weight read (within 1 %, the compute term is < 1 % of it); TPOT does not drop with PP.
  EXPECT_NEAR(pp2.iteration(decode(1, 1000)).dense_s / pp1.iteration(decode(1, 1000)).dense_s, 1.0, 0.01);
  // A 8,192-token prefill chunk is compute-bound: two GPUs halve the dense time (within 2 %).
  IterationWork prefill;
  prefill.prefill_tokens = 8192;
  prefill.prefill_completions = 1;
  EXPECT_NEAR(pp2.iteration(prefill).dense_s / pp1.iteration(prefill).dense_s, 0.5, 0.01);
}

TEST(ServingPipeline, ReplicaTpotAndThroughputFollowTheModel) {
  const ServingModel pp1(params(llama8b())), pp2(params(llama8b(), 1, 2));
  // Low load: one request of 128/256 tokens alone. TPOT = one decode iteration at ~260 tokens of context;
  // with PP it is 2 slots of half the layers: the same weight read plus 2 sends (~21 us of ~3.3 ms).
  auto lone = [](const ServingModel& m) {
    auto reqs = requests({RequestArrival{0, 128, 256, {}}});
    run_replica(m, scheduler(m, 256), reqs);
    return mean_tpot_s(reqs);
  };
  const double t1 = lone(pp1), t2 = lone(pp2);
  EXPECT_NEAR(t1, pp1.iteration_time_s(decode(1, 256)), 0.02 * t1);
  EXPECT_NEAR(t2, pp2.iteration_time_s(decode(1, 256)), 0.02 * t2);
  EXPECT_GT(t2, t1);
  EXPECT_LT(t2, 1.03 * t1);
  // High load: 2,000 requests of 1,000/100 tokens at t = 0 with max_batch 512: prefill-dominated
  // (compute-bound), so 2 GPUs in a pipeline finish in roughly half the time (0.45-0.6 of it).
  auto batch = [](const ServingModel& m) {
    auto reqs = requests(batch_arrivals(2000, 1000, 100, 0));
    return run_replica(m, scheduler(m, 512), reqs).end_s;
  };
  const double ratio = batch(pp2) / batch(pp1);
  EXPECT_GT(ratio, 0.45);
  EXPECT_LT(ratio, 0.6);
}

// ---------------------------------------------------------------------------------------------------------
// Expert parallelism.

TEST(ServingExperts, EpReplacesTheFfnAllReduceByTwoAllToAlls) {
  ServingParams p = params(mixtral(), 2);
  const ServingModel ep1(p);
  p.ep = 2;
  const ServingModel ep2(p);
  const CalibrationSpec cal;
  const IterationTime a = ep1.iteration(decode(100, 500)), b = ep2.iteration(decode(100, 500));
  // Expert weights read: same expected bytes per GPU; only the communication changes.
  EXPECT_DOUBLE_EQ(a.dense_s, b.dense_s);
  EXPECT_DOUBLE_EQ(a.attention_s, b.attention_s);
  // 100 tokens x 4,096 x 2 B = 819,200 B all-reduced. All-to-all: 50 local tokens x 2 experts x 8,192 B x
  // 1/2 leaving the GPU = 409,600 B / 450 GB/s + 10 us. Per layer: EP1 2 all-reduces, EP2 1 + 2 all-to-alls.
  const double ar = ring_allreduce_time_s(819200, 2, 450e9, cal.kernel_launch_s);
  const double a2a = cal.kernel_launch_s + 409600 / 450e9;
  EXPECT_NEAR(a.communication_s, 32 * 2 * ar, 1e-12);
  EXPECT_NEAR(b.communication_s, 32 * (ar + 2 * a2a), 1e-12);
}

// ---------------------------------------------------------------------------------------------------------
// Speculative decoding.

TEST(Speculative, ExpectedTokensPerStep) {
  // Leviathan et al. eq. 1: (1 - a^(k+1)) / (1 - a).
  EXPECT_NEAR(expected_tokens_per_step(4, 0.8), (1 - 0.32768) / 0.2, 1e-12);  // 3.3616
  EXPECT_NEAR(expected_tokens_per_step(1, 0.5), 1.5, 1e-12);                  // 1 + a
  EXPECT_DOUBLE_EQ(expected_tokens_per_step(3, 0.0), 1.0);                    // nothing accepted
  EXPECT_DOUBLE_EQ(expected_tokens_per_step(0, 0.9), 1.0);                    // off
  EXPECT_DOUBLE_EQ(expected_tokens_per_step(4, 1.0), 5.0);                    // all accepted: k + 1
}

TEST(Speculative, TpotDropsAtLowLoadThroughputFallsAtHighLoad) {
  ServingParams p = params(llama8b());
  const ServingModel plain(p);
  p.speculative = {4, 0.7, 0.05};
  const ServingModel spec(p);
  const double e = (1 - std::pow(0.7, 5)) / 0.3;  // 2.773 tokens per step
  // One sequence: memory-bound, verifying 5 tokens costs about one decode iteration T, the draft 4 x 0.05 T:
  // an iteration (one token) costs 1.2 T / 2.773 = 0.433 T (within 3 %: the 5-token compute and KV write).
  const double t_plain = plain.iteration_time_s(decode(1, 1000)), t_spec = spec.iteration_time_s(decode(1, 1000));
  EXPECT_NEAR(t_spec / t_plain, 1.2 / e, 0.03 * 1.2 / e);
  // 512 sequences at 256 tokens of context: compute-bound, 5x the tokens: a verification step costs ~4x an
  // iteration, and 2.77 tokens do not pay for it.
  EXPECT_GT(spec.iteration_time_s(decode(512, 256)), 1.3 * plain.iteration_time_s(decode(512, 256)));
  // Prefill-only iterations are unchanged.
  IterationWork prefill;
  prefill.prefill_tokens = 2048;
  EXPECT_DOUBLE_EQ(spec.iteration_time_s(prefill), plain.iteration_time_s(prefill));

  // Through the scheduler: a lone 128/256 request decodes ~2.3x faster; 2,000 requests of 128/512 queued
  // at once (max_batch 512) take longer.
  auto lone = [](const ServingModel& m) {
    auto reqs = requests({RequestArrival{0, 128, 256, {}}});
    run_replica(m, scheduler(m, 256), reqs);
    return mean_tpot_s(reqs);
  };
  EXPECT_LT(lone(spec), 0.5 * lone(plain));
  auto batch = [](const ServingModel& m) {
    auto reqs = requests(batch_arrivals(2000, 128, 512, 0));
    return run_replica(m, scheduler(m, 512), reqs).end_s;
  };
  EXPECT_GT(batch(spec), 1.1 * batch(plain));
}

// ---------------------------------------------------------------------------------------------------------
// ServeGen token lengths.

TEST(ServeGenLengths, QuantileSampling) {
  const std::vector<double> q{0, 10, 20};
  EXPECT_DOUBLE_EQ(sample_quantiles(q, 0.25), 5);  // halfway in the first interval
  EXPECT_DOUBLE_EQ(sample_quantiles(q, 0.75), 15);
  EXPECT_DOUBLE_EQ(sample_quantiles(q, 1.0), 20);
  EXPECT_DOUBLE_EQ(quantiles_mean(q), 10);  // (5 + 15) / 2
}

TEST(ServeGenLengths, ScalingATableKeepsItsShapeAtTheNewMean) {
  std::vector<double> q{0, 10, 30};  // mean (5 + 20) / 2 = 12.5
  scale_quantiles_to_mean(q, 25);
  EXPECT_DOUBLE_EQ(quantiles_mean(q), 25);
  EXPECT_DOUBLE_EQ(q[1], 20);
  EXPECT_DOUBLE_EQ(q[2], 60);
  std::vector<double> same{3, 7, 8, 20};
  const std::vector<double> before = same;
  scale_quantiles_to_mean(same, quantiles_mean(same));  // its own mean: a factor of exactly 1
  EXPECT_EQ(same, before);
}

TEST(ServeGenLengths, EveryEmpiricalDistributionHasItsTable) {
  for (const auto& e : kind_table<LengthDistribution>()) {
    const std::string file = empirical_lengths_file(e.value);
    if (file.empty()) continue;
    const auto q = read_length_quantiles(data_dir() + "/" + file);
    EXPECT_EQ(q.input_tokens.size(), 1001u) << file;
    EXPECT_TRUE(std::is_sorted(q.input_tokens.begin(), q.input_tokens.end())) << file;
    EXPECT_TRUE(std::is_sorted(q.output_tokens.begin(), q.output_tokens.end())) << file;
  }
  // MLPerf llama2-70b (Open Orca, 24,576 samples): prompts 222.3 tokens on average, median 152, max 1,021.
  const auto orca = read_length_quantiles(data_dir() + "/traces/mlperf-inference-datasets/llama2-70b-lengths.csv");
  EXPECT_NEAR(quantiles_mean(orca.input_tokens), 222.3, 0.01 * 222.3);
  EXPECT_DOUBLE_EQ(sample_quantiles(orca.input_tokens, 0.5), 152);
  EXPECT_DOUBLE_EQ(orca.input_tokens.back(), 1021);
}

TEST(ServeGenLengths, DeepSeekR1SampledMeans) {
  const auto q = read_length_quantiles(data_dir() + "/traces/alibaba-servegen-2025/deepseek-r1-lengths.csv");
  ASSERT_EQ(q.input_tokens.size(), 1001u);
  // Means of the full request-weighted PMFs (make_lengths.py): input 1268.2, output 1527.4 tokens; the
  // 1001-quantile table keeps them within 1 % (1276.7, 1531.1).
  EXPECT_NEAR(quantiles_mean(q.input_tokens), 1268.2, 0.01 * 1268.2);
  EXPECT_NEAR(quantiles_mean(q.output_tokens), 1527.4, 0.01 * 1527.4);
  PoissonArrivalParams p;
  p.rate_per_s = 1000, p.end_s = 100, p.lengths = &q;  // ~100,000 requests
  const auto a = poisson_arrivals(p);
  ASSERT_GT(a.size(), 90000u);
  double in = 0, out = 0;
  for (const auto& r : a) in += r.input_tokens, out += r.output_tokens;
  // Heavy tails (p99 23k input): the standard error of the mean is ~1 %; allow 4 %.
  EXPECT_NEAR(in / a.size(), 1276.7, 0.04 * 1276.7);
  EXPECT_NEAR(out / a.size(), 1531.1, 0.04 * 1531.1);
  // Medians 208 and 792 tokens (the table's quantile 0.5): the distribution is not exponential.
  EXPECT_DOUBLE_EQ(sample_quantiles(q.input_tokens, 0.5), 208);
  EXPECT_DOUBLE_EQ(sample_quantiles(q.output_tokens, 0.5), 792);
}

// ---------------------------------------------------------------------------------------------------------
// Configuration rules.

class ServingFeaturesConfig : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("serving_features_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  /// "key.path: message" of each error of an experiment with one service given by `service` (YAML lines).
  std::vector<std::string> errors(const std::string& service) {
    const fs::path p = dir_ / "exp.yaml";
    std::ofstream(p) << "name: sf\nduration: 10s\ncluster: {gpu: H100-SXM, servers: 2}\n"
                        "workload:\n  inference:\n    - name: chat\n" +
                            service +
                            "      arrivals: {kind: poisson, rate: 1, input_tokens: 100, output_tokens: 10}\n";
    std::vector<std::string> out;
    try {
      load_experiment(p.string());
    } catch (const ConfigError& e) {
      for (const auto& d : e.diagnostics().items()) out.push_back(d.key_path + ": " + d.message);
    }
    return out;
  }
  fs::path dir_;
};

TEST_F(ServingFeaturesConfig, ReplicaMustFitInAServerAndEpNeedsMoe) {
  EXPECT_TRUE(errors("      model: llama3-8b\n      tp: 4\n      pp: 2\n").empty());
  auto e = errors("      model: llama3-8b\n      tp: 8\n      pp: 2\n");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_NE(e[0].find("tp x pp = 8 x 2 = 16 GPUs does not fit in one server of 8"), std::string::npos) << e[0];
  e = errors("      model: llama3-8b\n      tp: 2\n      ep: 2\n");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_NE(e[0].find("not a mixture of experts"), std::string::npos) << e[0];
  e = errors("      model: mixtral-8x7b\n      tp: 4\n      ep: 3\n");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_NE(e[0].find("must divide tp"), std::string::npos) << e[0];
  EXPECT_TRUE(errors("      model: mixtral-8x7b\n      tp: 4\n      ep: 4\n").empty());
}

TEST_F(ServingFeaturesConfig, SpeculativeNeedsAllThreeKeys) {
  EXPECT_TRUE(errors("      model: llama3-8b\n      speculative: {draft_tokens: 4, acceptance: 0.7, "
                     "draft_cost_fraction: 0.05}\n")
                  .empty());
  auto e = errors("      model: llama3-8b\n      speculative: {draft_tokens: 4, acceptance: 0.7}\n");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_NE(e[0].find("draft_cost_fraction"), std::string::npos) << e[0];
}

TEST(ServingPipeline, DecodeStretchesStayExactWithPpAndSpeculation) {
  // The time of an iteration stays linear in the decode context with pp micro-batches and speculation
  // (every term is scaled by constants), so advancing decode stretches in one step changes nothing.
  ServingParams p = params(llama8b(), 1, 2);
  p.speculative = {3, 0.6, 0.1};
  const ServingModel m(p);
  PoissonArrivalParams a;
  a.rate_per_s = 20, a.end_s = 20, a.mean_input_tokens = 500, a.mean_output_tokens = 200;
  auto one = requests(poisson_arrivals(a)), two = one;
  const auto s1 = run_replica(m, scheduler(m, 64), one, true);
  const auto s2 = run_replica(m, scheduler(m, 64), two, false);
  EXPECT_EQ(s1.iterations, s2.iterations);
  EXPECT_LT(s1.steps * 2, s2.steps);  // stretches were taken
  for (size_t i = 0; i < one.size(); ++i) {
    EXPECT_NEAR(one[i].first_token_s, two[i].first_token_s, 1e-6);
    EXPECT_NEAR(one[i].done_s, two[i].done_s, 1e-6);
  }
}

// Engine profiles (data/catalog/engines.yaml): the step overhead adds once per iteration; the collective latency
// once per tensor-parallel all-reduce (2 per layer); BF16 GEMMs run at matmul_efficiency, FP8 at
// serving_matmul_efficiency.
TEST(ServingEngine, StepOverheadAddsOncePerIteration) {
  ServingParams p = params(llama8b());
  const double base = ServingModel(p).iteration_time_s(decode(8, 1000));
  p.engine.step_overhead_s = 1.7e-3;
  EXPECT_NEAR(ServingModel(p).iteration_time_s(decode(8, 1000)) - base, 1.7e-3, 1e-12);
  EXPECT_EQ(ServingModel(p).iteration_time_s(IterationWork{}), 0);  // no work, no iteration
}

TEST(ServingEngine, CollectiveLatencyPerAllReduce) {
  ServingParams p = params(llama8b(), 4);
  p.engine.collective_latency_s = 0;
  const double base = ServingModel(p).iteration_time_s(decode(8, 1000));
  p.engine.collective_latency_s = 25e-6;
  // Ring all-reduce over 4 GPUs: 2 (n - 1) = 6 latency steps each (models/compute/roofline.hpp), 2 per layer.
  const double per_allreduce = ring_allreduce_time_s(8 * 4096 * 2.0, 4, h100().scaleup_bandwidth_Bps, 25e-6) -
                               ring_allreduce_time_s(8 * 4096 * 2.0, 4, h100().scaleup_bandwidth_Bps, 0);
  EXPECT_NEAR(ServingModel(p).iteration_time_s(decode(8, 1000)) - base, 2 * 32 * per_allreduce, 1e-9);
}

TEST(ServingEngine, Bf16GemmsUseTrainingEfficiency) {
  ServingParams p = params(llama8b());
  p.calibration.matmul_efficiency = 0.6;
  p.calibration.serving_matmul_efficiency = 0.3;
  IterationWork prefill;  // compute-bound: 8,192 prompt tokens
  prefill.prefill_tokens = 8192;
  p.precision = Precision::kBf16;
  const IterationTime bf16 = ServingModel(p).iteration(prefill);
  p.precision = Precision::kFp8;
  const IterationTime fp8 = ServingModel(p).iteration(prefill);
  // Dense compute time = FLOPs / (peak x efficiency): BF16 989 TFLOPS x 0.6, FP8 1,979 TFLOPS x 0.3.
  const double flops = 2.0 * (llama8b().active_params() - 2.0 * llama8b().vocab * 4096.0) * 8192;  // body only
  EXPECT_GT(bf16.dense_s, flops / (989e12 * 0.6) * 0.999);
  EXPECT_GT(fp8.dense_s, flops / (1979e12 * 0.3) * 0.999);
  EXPECT_LT(bf16.dense_s, 1.1 * flops / (989e12 * 0.6));
}
