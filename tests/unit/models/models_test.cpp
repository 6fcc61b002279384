#include <gtest/gtest.h>

#include "tests/unit/test_specs.hpp"

#include "models/compute/roofline.hpp"
#include "models/inference/serving_model.hpp"
#include "models/power/cluster_power.hpp"
#include "models/power/constant_pue.hpp"
#include "models/training/step_model.hpp"

using namespace clustersim;

namespace {
using test::h100;
LlmSpec llama8b() { return test::llama3_8b(); }
}  // namespace

TEST(Roofline, ComputeAndMemoryBound) {
  RooflineParams p{1e15, 1e12, 0.5, 0.8};
  // 1e15 FLOPs at 0.5 PFLOP/s = 2 s; 1e9 B at 0.8 TB/s = 1.25 ms: compute-bound.
  EXPECT_DOUBLE_EQ(roofline_time_s(1e15, 1e9, p), 2.0);
  EXPECT_FALSE(roofline_memory_bound(1e15, 1e9, p));
  // 1e12 B at 0.8 TB/s = 1.25 s vs 1e12 FLOPs at 0.5 PFLOP/s = 2 ms: memory-bound.
  EXPECT_DOUBLE_EQ(roofline_time_s(1e12, 1e12, p), 1.25);
  EXPECT_TRUE(roofline_memory_bound(1e12, 1e12, p));
}

TEST(Roofline, RingAllReduceAlphaBeta) {
  // 8 ranks, 1 GB: each rank sends 2*7/8 GB = 1.75 GB at 100 GB/s = 17.5 ms, plus one 10 us latency.
  EXPECT_NEAR(ring_allreduce_time_s(1e9, 8, 100e9, 10e-6), 0.0175 + 10e-6, 1e-12);
  EXPECT_EQ(ring_allreduce_time_s(1e9, 1, 100e9, 10e-6), 0.0);
}

TEST(TrainingStep, FlopsMatchSixNDPlusAttention) {
  TrainingLayout l;
  l.model = llama8b();
  l.gpu = h100();
  l.tp = 1;
  l.dp = 8;
  l.global_batch = 64;
  l.seq_len = 8192;
  auto e = estimate_training_step(l);
  const double tokens = 64.0 * 8192;
  EXPECT_DOUBLE_EQ(e.tokens_per_step, tokens);
  // Model FLOPs = 3 x forward = 6 x (active params - embeddings) + 6 x h x V + 12 x L x s x h per token.
  const double n_dense = l.model.params() - 2.0 * 128256 * 4096;
  const double expected = tokens * (6 * n_dense + 6.0 * 4096 * 128256 + 12.0 * 32 * 8192 * 4096);
  EXPECT_NEAR(e.model_flops_per_step / expected, 1.0, 1e-12);
  // No recompute: hardware FLOPs per GPU = model FLOPs / GPUs with the attention as flash attention executes it:
  // the unmasked half of 3.5 forwards (its backward recomputes QK^T) instead of 3 full ones: forward 4 L s h per
  // token, 12 L s h counted, 0.5 x 3.5 x 4 = 7 L s h executed: 5 L s h less.
  EXPECT_NEAR(e.hardware_flops_per_gpu * 8 / (e.model_flops_per_step - tokens * 5.0 * 32 * 8192 * 4096), 1.0, 1e-12);
  // Compute = GEMMs (at matmul_efficiency 0.5) + flash attention + memory-bound ops, each a positive part.
  EXPECT_NEAR(e.compute_time_s, e.gemm_time_s + e.attention_time_s + e.memory_bound_time_s, 1e-12);
  EXPECT_GT(e.compute_time_s, e.hardware_flops_per_gpu / 989e12);
  // DP over 8 GPUs of one server: no fabric phase; a ring over NVLink (450 GB/s x scaleup_efficiency 0.8) of the
  // BF16 gradients: 2 x 7/8 x params x 2 B / 360 GB/s + one launch (10 us).
  EXPECT_TRUE(e.fabric.empty());
  EXPECT_NEAR(e.dp_local_time_s, 2.0 * 7 / 8 * l.model.params() * 2 / (450e9 * 0.8) + 10e-6, 1e-9);
}

TEST(TrainingStep, RecomputeAndBubbleAddTime) {
  TrainingLayout l;
  l.model = llama8b();
  l.gpu = h100();
  l.tp = 8;
  l.pp = 2;
  l.dp = 2;
  l.global_batch = 32;
  l.seq_len = 4096;
  l.flash_attention = false;  // SC'21's count: the whole attention matrix computed
  auto none = estimate_training_step(l);
  l.recompute = Recompute::kFull;
  auto full = estimate_training_step(l);
  // Full recompute adds one forward without the logits (SC'21 eq. 3): (4 fwd - logits) / (3 fwd).
  const double fwd = forward_flops_per_token(l.model, 4096), logits = 2.0 * 4096 * 128256;
  EXPECT_NEAR(full.hardware_flops_per_gpu / none.hardware_flops_per_gpu, (4 * fwd - logits) / (3 * fwd), 1e-9);
  // 1F1B bubble: m = 32 / (2 x 1) = 16 micro-batches, (pp-1)/m = 1/16 of compute + TP comm.
  EXPECT_EQ(none.microbatches, 16);
  EXPECT_NEAR(none.bubble_time_s, (none.compute_time_s + none.tp_comm_time_s) / 16, 1e-12);
  EXPECT_GT(none.tp_comm_time_s, 0);
}

TEST(ServingModel, DecodeIsMemoryBoundPrefillComputeBound) {
  ServingModel m({llama8b(), h100(), CalibrationSpec{}, 1, Precision::kBf16});
  // 8B params x 2 B = 16 GB of weights on one GPU.
  EXPECT_NEAR(m.weight_bytes_per_gpu() / 1e9, 16.06, 0.1);
  IterationWork decode{0, 0, 32, 32 * 1000.0};
  EXPECT_TRUE(m.memory_bound(decode));
  // Decode of 32 sequences reads the weights once: time ~ 16 GB / (3.35 TB/s x 0.8) = 6 ms (+ KV + launches).
  EXPECT_NEAR(m.iteration_time_s(decode), 16.06e9 / (3.35e12 * 0.8), 2e-3);
  IterationWork prefill{8192, 8192.0 * 4096, 0, 0};
  EXPECT_FALSE(m.memory_bound(prefill));
  // KV capacity: (80 GB - 16 GB weights - activations of 8192 tokens x 2 B x (4 x 4096 + 2 x 14336) = 0.738 GB)
  // x 0.9 / 131072 B per token ~ 434k tokens.
  EXPECT_NEAR(m.kv_capacity_tokens(), (80e9 - m.weight_bytes_per_gpu() - 8192 * 2.0 * 45056) * 0.9 / 131072.0, 1);
}

TEST(ClusterPower, LinearInActivity) {
  ServerSpec s{"hgx", 8, 1000, 4600};
  ClusterPowerModel m({{{h100(), s, 2, 8}}, 5000}, std::make_unique<ConstantPue>(ConstantPueParams{1.5}));
  // Idle: 16 GPUs x 100 W + 2 servers x 1000 W + 5000 W network = 8600 W IT.
  auto idle = m.at(0, 0);
  EXPECT_DOUBLE_EQ(idle.it_w, 16 * 100 + 2000 + 5000);
  EXPECT_DOUBLE_EQ(idle.facility_w, idle.it_w * 1.5);
  // Full: 16 x 700 + 2 x 4600 + 5000 = 25400 W (a DGX H100 at max: 8 x 700 + 4600 = 10.2 kW).
  EXPECT_DOUBLE_EQ(m.at(16, 0).it_w, 16 * 700 + 2 * 4600 + 5000);
  // Mean over an interval equals the power at the mean activity.
  EXPECT_DOUBLE_EQ(m.mean_over(8 * 10.0, 5.0, 15.0).it_w, m.at(8, 0).it_w);
  EXPECT_DOUBLE_EQ(m.mean_over(8 * 10.0, 5.0, 15.0).facility_w, m.at(8, 0).it_w * 1.5);
  // A group's facility energy is its IT energy through the facility model.
  EXPECT_DOUBLE_EQ(m.group_facility_energy_j(8, 4 * 10.0, 0, 10.0), m.group_it_energy_j(8, 4 * 10.0, 10.0) * 1.5);
  EXPECT_EQ(m.facility().name(), "constant_pue");
}
