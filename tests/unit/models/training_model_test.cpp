// Unit tests of models/training: FLOPs (6ND), ZeRO memory, Korthikanti activations, pipeline schedules,
// the step model's composition and the memory fit message. Every expected number is derived by hand in a comment.
#include <gtest/gtest.h>

#include "tests/unit/test_specs.hpp"

#include "models/training/flops.hpp"
#include "models/training/memory.hpp"
#include "models/training/schedule.hpp"
#include "models/training/step_model.hpp"
#include "sim/setup/training_layout.hpp"

using namespace clustersim;

namespace {

// GPT-style: MHA, GELU FFN of 4h, vocab 51200 (as SC'21).
LlmSpec gpt(int layers, int hidden, int heads) {
  LlmSpec m;
  m.name = "gpt";
  m.layers = layers;
  m.hidden = hidden;
  m.ffn_hidden = 4 * hidden;
  m.heads = heads;
  m.kv_heads = heads;
  m.vocab = 51200;
  m.gated_ffn = false;
  return m;
}

using test::h100;

}  // namespace

TEST(TrainingFlops, DenseGemmsAreSixND) {
  // Non-embedding params per layer = 12 h^2 (4h^2 attention + 8h^2 FFN): 24 x 2304^2 x 12 = 1.5288e9.
  const LlmSpec m = gpt(24, 2304, 24);
  const double n = 24.0 * 12 * 2304.0 * 2304;
  EXPECT_NEAR(active_nonembedding_params(m) / n, 1.0, 1e-12);
  const ForwardFlops f = forward_flops(m, 2048);
  // 6 N D: forward GEMMs = 2N per token, model FLOPs 3x that.
  EXPECT_NEAR(3 * f.gemm / (6 * n), 1.0, 1e-12);
  // SC'21 eq. 3 without recomputation: 72 l h^2 (1 + s/6h + V/12lh) per token = 3 x (24lh^2 + 4lsh + 2hV).
  const double l = 24, h = 2304, s = 2048, V = 51200;
  EXPECT_NEAR(model_flops_per_token(m, 2048) / (72 * l * h * h * (1 + s / (6 * h) + V / (12 * l * h))), 1.0, 1e-12);
  // Full recomputation adds the forward except the logits: 96 l h^2 (1 + s/6h + V/16lh) in total (SC'21 eq. 3).
  EXPECT_NEAR((model_flops_per_token(m, 2048) + recompute_flops_per_token(m, 2048, Recompute::kFull)) /
                  (96 * l * h * h * (1 + s / (6 * h) + V / (16 * l * h))),
              1.0, 1e-12);
}

TEST(TrainingFlops, MoeCountsActiveExpertsOnly) {
  // Mixtral-like: 8 experts, top-2, SwiGLU 14336, GQA 32/8 heads, hidden 4096, 32 layers.
  LlmSpec m = gpt(32, 4096, 32);
  m.kv_heads = 8;
  m.ffn_hidden = 14336;
  m.gated_ffn = true;
  m.experts = 8;
  m.active_experts = 2;
  m.vocab = 32000;
  // Per layer: attention 4096 x 128 x (64 + 16) = 41.94M; active FFN 2 x 3 x 4096 x 14336 = 352.3M.
  const double per_layer = 4096.0 * 128 * 80 + 2 * 3 * 4096.0 * 14336;
  EXPECT_NEAR(forward_flops(m, 4096).gemm / (2 * 32 * per_layer), 1.0, 1e-12);
  // 32 x (41.94M + 352.32M) = 12.616e9 (+ 2 x 0.131e9 embeddings = 12.9B, the published active count).
  EXPECT_NEAR(active_nonembedding_params(m) / 1e9, 12.616, 0.001);
}

TEST(TrainingMemory, ZeroPaperBytesPerParameter) {
  // ZeRO paper section 5, mixed-precision Adam, N = 64: 16, 4 + 12/64, 2 + 14/64, 16/64 bytes per parameter.
  EXPECT_DOUBLE_EQ(zero_bytes_per_param(0, 64).total(), 16.0);
  EXPECT_DOUBLE_EQ(zero_bytes_per_param(1, 64).total(), 4.0 + 12.0 / 64);
  EXPECT_DOUBLE_EQ(zero_bytes_per_param(2, 64).total(), 2.0 + 14.0 / 64);
  EXPECT_DOUBLE_EQ(zero_bytes_per_param(3, 64).total(), 16.0 / 64);
  // The paper's 7.5B example: ZeRO-0 120 GB, ZeRO-3 over 64 GPUs 1.875 GB.
  EXPECT_NEAR(7.5e9 * zero_bytes_per_param(0, 64).total() / 1e9, 120.0, 1e-9);
  EXPECT_NEAR(7.5e9 * zero_bytes_per_param(3, 64).total() / 1e9, 1.875, 1e-9);
}

TEST(TrainingMemory, KorthikantiActivationsPerLayer) {
  MemoryLayout l;
  l.model = gpt(96, 12288, 96);  // GPT-3 175B
  l.tp = 8;
  l.micro_batch = 1;
  l.seq_len = 2048;
  l.flash_attention = false;
  const double sbh = 2048.0 * 12288;
  // Eq. 4 (TP + SP, no recompute): s b h / t x (34 + 5 a s / h).
  l.sequence_parallel = true;
  EXPECT_NEAR(activation_bytes_per_layer(l) / (sbh / 8 * (34 + 5.0 * 96 * 2048 / 12288)), 1.0, 1e-12);
  // Eq. 2 (TP only): s b h (10 + 24/t + 5 a s / (h t)).
  l.sequence_parallel = false;
  EXPECT_NEAR(activation_bytes_per_layer(l) / (sbh * (10 + 24.0 / 8 + 5.0 * 96 * 2048 / (12288.0 * 8))), 1.0, 1e-12);
  // Selective recomputation drops the 5as/h term; full keeps the 2 s b h layer input (/ t with SP).
  l.sequence_parallel = true;
  l.recompute = Recompute::kSelective;
  EXPECT_NEAR(activation_bytes_per_layer(l) / (sbh / 8 * 34), 1.0, 1e-12);
  l.recompute = Recompute::kFull;
  EXPECT_NEAR(activation_bytes_per_layer(l) / (2 * sbh / 8), 1.0, 1e-12);
}

TEST(TrainingSchedule, BubbleFractions) {
  EXPECT_DOUBLE_EQ(pipeline_bubble_fraction(4, 8, 1), 3.0 / 8);   // (p-1)/m
  EXPECT_DOUBLE_EQ(pipeline_bubble_fraction(4, 8, 2), 3.0 / 16);  // (p-1)/(v m)
  EXPECT_DOUBLE_EQ(pipeline_bubble_fraction(1, 8, 1), 0.0);
  EXPECT_DOUBLE_EQ(pipeline_inflight_microbatches(4, 8, 1), 4.0);  // min(p, m)
  EXPECT_DOUBLE_EQ(pipeline_inflight_microbatches(4, 2, 1), 2.0);
  EXPECT_DOUBLE_EQ(pipeline_inflight_microbatches(4, 8, 2), 4.0 * (1 + 3.0 / 8));  // p (1 + (p-1)/(p v))
}

TEST(TrainingStep, ComposesComputeBubbleAndFabricPhases) {
  TrainingLayout l;
  l.model = gpt(32, 4096, 32);
  l.gpu = h100();
  l.tp = 8;
  l.pp = 4;
  l.dp = 8;
  l.global_batch = 64;  // m = 64 / 8 = 8 micro-batches
  l.seq_len = 2048;
  l.overlap_grad_reduce = true;
  const TrainingStepEstimate e = estimate_training_step(l);
  EXPECT_EQ(e.microbatches, 8);
  EXPECT_NEAR(e.compute_time_s, e.gemm_time_s + e.attention_time_s + e.memory_bound_time_s, 1e-12);
  // GEMMs of one micro-batch: 3 x (2 N_layer x 8 layers + 2 h V) x 2048 tokens / tp / (989e12 x 0.5).
  const double n_layer = 12.0 * 4096 * 4096;
  const double gemm_mb = 3 * (2 * n_layer * 8 + 2.0 * 4096 * 51200) * 2048 / 8 / (989e12 * 0.5);
  EXPECT_NEAR(e.gemm_time_s / (8 * gemm_mb), 1.0, 1e-9);
  // Bubble: (p-1)/(v m) of m micro-batch times = 3 micro-batch times.
  EXPECT_NEAR(e.bubble_time_s, 3 * e.microbatch_time_s, 1e-12);
  // A replica is 32 GPUs = 4 servers; DP ring across replicas at stride 4; PP sends to the next server.
  ASSERT_EQ(e.fabric.size(), 2u);
  EXPECT_EQ(e.fabric[0].kind, CommKind::kDp);
  EXPECT_EQ(e.fabric[0].stride, 4);
  EXPECT_EQ(e.fabric[0].group, 8);
  // DP bytes per server: 8 GPUs x 2 (n-1)/n x BF16 gradients of the GPU's parameters.
  EXPECT_NEAR(e.fabric[0].bytes_per_server, 8 * 2.0 * 7 / 8 * e.grad_bytes_per_gpu, 1);
  // Overlap hides it behind one micro-batch backward (2 of the 3 GEMM-pass thirds).
  EXPECT_NEAR(e.fabric[0].hideable_s, 2.0 / 3 * (e.compute_time_s / 8), 1e-12);
  EXPECT_EQ(e.fabric[1].kind, CommKind::kPp);
  // 1F1B: 2 (m + p - 1) = 22 transfers on the critical path.
  EXPECT_DOUBLE_EQ(e.fabric[1].calls, 22.0);
}

TEST(TrainingStep, ExposedTimeIsWhatComputeDoesNotHide) {
  FabricPhase p;
  p.calls = 3;
  p.latency_s = 0.1;
  p.hideable_s = 2;
  EXPECT_NEAR(exposed_time_s(p, 1.0), 3 * 1.1 - 2, 1e-12);  // 3.3 s of traffic, 2 s hidden
  p.hideable_s = 5;
  EXPECT_DOUBLE_EQ(exposed_time_s(p, 1.0), 0.0);
}

TEST(TrainingMemoryFit, RefusesWithAmountAndAlternatives) {
  TrainingLayout l;
  l.model = gpt(96, 12288, 96);  // 175B on 64 GPUs TP8 PP8: 2.7B params per GPU x 16 B = 44 GB of states
  l.gpu = h100();
  l.tp = 8;
  l.pp = 8;
  l.dp = 1;
  l.global_batch = 64;
  l.micro_batch = 4;
  l.seq_len = 2048;
  l.flash_attention = false;
  std::string hint;
  const std::string error = memory_fit_error(l, hint);
  ASSERT_FALSE(error.empty());
  EXPECT_NE(error.find("GB too much"), std::string::npos) << error;
  EXPECT_NE(error.find("H100-SXM has 80.0 GB"), std::string::npos) << error;
  EXPECT_NE(hint.find("recompute: full"), std::string::npos) << hint;
  l.recompute = Recompute::kFull;
  l.micro_batch = 1;
  EXPECT_EQ(memory_fit_error(l, hint), "");
}
