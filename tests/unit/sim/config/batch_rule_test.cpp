// tokens_per_step -> whole micro-batches per data-parallel replica, and the invariants every training job's
// figures are checked against (tokens counted = tokens simulated, MFU and HFU <= 1).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "common/diagnostics.hpp"
#include "models/training/step_model.hpp"
#include "sim/config/batch_rule.hpp"
#include "sim/config/experiment_loader.hpp"
#include "sim/setup/feasibility.hpp"
#include "tests/unit/test_specs.hpp"

using namespace clustersim;
namespace fs = std::filesystem;

TEST(BatchRule, RoundsToNearestWholeMicroBatchRound) {
  // 4e6 / (8192 x 64) = 7.63 rounds -> 8 rounds of 64 sequences = 512 sequences (4,194,304 tokens).
  EXPECT_EQ(sequences_from_tokens(4e6, 8192, 64), 512);
  // 8e6 / (8192 x 512) = 1.91 -> 2 rounds = 1,024 sequences (the 8B on 512 GPUs, MFU 102% before).
  EXPECT_EQ(sequences_from_tokens(8e6, 8192, 512), 1024);
  // 3.5 rounds of 2 x 4096 tokens: std::round takes 3.5 -> 4 (8 sequences).
  EXPECT_EQ(sequences_from_tokens(3.5 * 2 * 4096, 4096, 2), 8);
  // An exact multiple is kept.
  EXPECT_EQ(sequences_from_tokens(16.0 * 8192 * 128, 8192, 128), 16 * 128);
}

TEST(BatchRule, RefusesLessThanOneRoundAndOverflow) {
  EXPECT_EQ(sequences_from_tokens(8192.0 * 63, 8192, 64), 0);  // fewer sequences than replicas x micro_batch
  EXPECT_EQ(sequences_from_tokens(1e30, 8192, 64), -1);        // 1.2e26 sequences: above kMaxGlobalBatch
  EXPECT_EQ(sequences_from_tokens(INFINITY, 8192, 64), -1);
  EXPECT_EQ(sequences_from_tokens(NAN, 8192, 64), 0);
  EXPECT_EQ(sequences_from_tokens(4e6, 0, 64), 0);
}

namespace {

// Llama 3 8B, TP1 x DP8 on H100, 2 micro-batches of 1 x 8192 tokens per replica.
TrainingLayout layout() {
  TrainingLayout l;
  l.model = test::llama3_8b();
  l.gpu = test::h100();
  l.dp = 8;
  l.global_batch = 16;
  l.seq_len = 8192;
  l.calibration.matmul_efficiency = 0.5;
  return l;
}

}  // namespace

TEST(StepInvariants, GlobalBatchNotAWholeNumberOfMicroBatchesIsOurBug) {
  TrainingLayout l = layout();
  l.global_batch = 20;  // 20 / 8 = 2.5 micro-batches per replica
  EXPECT_THROW(estimate_training_step(l), std::logic_error);
}

TEST(StepInvariants, FiguresFollowTheEstimate) {
  const TrainingLayout l = layout();
  const TrainingStepEstimate e = estimate_training_step(l);
  EXPECT_EQ(e.tokens_per_step, 16.0 * 8192);
  const double t = 2 * e.local_time_s();
  const StepFigures f = step_figures(l, e, t, "job");
  EXPECT_DOUBLE_EQ(f.tokens_per_s * t, e.tokens_per_step);
  EXPECT_DOUBLE_EQ(f.mfu, e.model_flops_per_step / t / 8 / 989e12);
  EXPECT_DOUBLE_EQ(f.hfu, e.hardware_flops_per_gpu / t / 989e12);
  EXPECT_LT(f.hfu, 1.0);  // (MFU counts the whole causal matrix, HFU the executed half: MFU may exceed HFU)
}

TEST(StepInvariants, TokensCountedButNotSimulatedThrow) {
  const TrainingLayout l = layout();
  TrainingStepEstimate e = estimate_training_step(l);
  e.tokens_per_step *= 1.1;  // what the old integer division did: tokens counted, micro-batches dropped
  EXPECT_THROW(step_figures(l, e, 10.0, "job"), std::logic_error);
}

TEST(StepInvariants, AchievedFlopsAbovePeakThrow) {
  const TrainingLayout l = layout();
  const TrainingStepEstimate e = estimate_training_step(l);
  // A step shorter than the executed FLOPs at peak: hardware FLOPs / 989 TFLOP/s is a lower bound on any step.
  const double floor_s = e.hardware_flops_per_gpu / 989e12;
  EXPECT_NO_THROW(step_figures(l, e, 1.01 * floor_s, "j"));
  EXPECT_THROW(step_figures(l, e, 0.9 * floor_s, "job"), std::logic_error);
}

namespace {

// Loads an experiment of the shipped catalog with a training job given `batch_line`.
ExperimentSpec load_with(const std::string& batch_line, int gpus, int dp) {
  const fs::path dir = fs::path(testing::TempDir()) /
                       ("batch_" + std::string(testing::UnitTest::GetInstance()->current_test_info()->name()));
  fs::create_directories(dir);
  const fs::path file = dir / "exp.yaml";
  std::ofstream(file) << "name: t\nduration: 10min\ncluster: {gpu: H100-SXM, servers: " << gpus / 8
                      << "}\nfabric: {link: 400Gbps}\nworkload:\n  training:\n    - name: j\n      model: llama3-8b\n"
                      << "      gpus: " << gpus << "\n      parallelism: {tp: 1, pp: 1, dp: " << dp
                      << ", distributed_optimizer: true}\n      " << batch_line << "\n";
  return load_experiment(file.string(), {}).spec;
}

}  // namespace

TEST(BatchRule, LoaderRoundsTokensPerStepAndKeepsWhatWasAsked) {
  const ExperimentSpec s = load_with("tokens_per_step: 8M", 512, 512);
  ASSERT_EQ(s.training.size(), 1u);
  EXPECT_EQ(s.training[0].global_batch, 1024);  // was 976 (8e6 / 8192, rounded down), 1.9 micro-batches each
  EXPECT_EQ(s.training[0].tokens_per_step_requested, 8e6);
}

TEST(BatchRule, LoaderRefusesHugeTokensPerStepWithALocation) {
  try {
    load_with("tokens_per_step: 1e30", 64, 64);
    FAIL() << "1e30 tokens per step loaded";
  } catch (const ConfigError& e) {
    ASSERT_FALSE(e.diagnostics().items().empty());
    const Diagnostic& d = e.diagnostics().items()[0];
    EXPECT_EQ(d.key_path, "workload.training[0].tokens_per_step");
    EXPECT_GT(d.location.line, 0);
    EXPECT_EQ(std::string(e.what()).find("-2147483648"), std::string::npos) << e.what();
  }
}
