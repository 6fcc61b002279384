// Unit tests of the FP8 GEMM efficiency in models/training/step_model: under FP8 the transformer-layer GEMMs run
// at peak_fp8 x fp8_matmul_efficiency, while the logits GEMM (and attention) stay BF16 at the BF16 efficiencies.
// Every expected number is derived by hand in a comment.
#include <gtest/gtest.h>

#include <string>

#include "models/training/step_model.hpp"
#include "sim/setup/training_layout.hpp"

using namespace clustersim;

namespace {

// GPT-style, 32 layers, hidden 4096: 12 h^2 parameters per layer, GELU FFN of 4h, vocab 51200.
// The calibration is resolved for `gpu` as sim/setup does (CalibrationSpec::for_accelerator); fp8_matmul_efficiency
// is `fp8_value` with a by_gpu entry of 0.4 for H100-SXM.
TrainingLayout layout(Precision precision, const std::string& gpu = "H100-SXM", double fp8_value = 0.5) {
  TrainingLayout l;
  l.model.name = "gpt";
  l.model.layers = 32;
  l.model.hidden = 4096;
  l.model.ffn_hidden = 4 * 4096;
  l.model.heads = 32;
  l.model.kv_heads = 32;
  l.model.vocab = 51200;
  l.model.gated_ffn = false;
  l.gpu.name = gpu;
  l.gpu.peak_bf16_flops = 989e12;
  l.gpu.peak_fp8_flops = 1979e12;
  l.gpu.hbm_bytes = 80e9;
  l.gpu.hbm_bandwidth_Bps = 3.35e12;
  l.gpu.scaleup_bandwidth_Bps = 450e9;
  l.tp = 8;
  l.pp = 4;
  l.dp = 8;
  l.global_batch = 64;  // m = 64 / 8 = 8 micro-batches of 1 x 2048 tokens
  l.seq_len = 2048;
  l.precision = precision;
  l.calibration.matmul_efficiency = 0.5;
  l.calibration.fp8_matmul_efficiency = fp8_value;
  l.calibration.by_gpu["fp8_matmul_efficiency"]["H100-SXM"] = 0.4;
  l.calibration = l.calibration.for_accelerator(l.gpu.name);
  return l;
}

// Forward GEMM FLOPs per token: 2 x 12 h^2 per layer (8 layers per stage), logits 2 h V.
constexpr double kLayerGemmFlops = 2 * 12.0 * 4096 * 4096 * 8;
constexpr double kLogitsFlops = 2.0 * 4096 * 51200;

}  // namespace

TEST(Fp8Efficiency, LayerGemmsUseFp8EfficiencyLogitsStayBf16) {
  const TrainingStepEstimate e = estimate_training_step(layout(Precision::kFp8));
  ASSERT_EQ(e.microbatches, 8);
  // Per micro-batch, 3 passes x 2048 tokens / tp 8: layers at 1979e12 x 0.4 (the H100 by_gpu entry), logits at
  // 989e12 x 0.5 (BF16 peak, BF16 efficiency): 3 x 3.2212e9 x 256 / 791.6e12 + 3 x 0.41943e9 x 256 / 494.5e12
  // = 3.1252 ms + 0.6514 ms = 3.7766 ms; 8 micro-batches = 30.21 ms. (With the old rule, layers at FP8 peak x
  // the BF16 efficiency 0.5, the layers would take 2.5002 ms: the test fails if 0.4 is not used.)
  const double gemm_mb =
      3 * kLayerGemmFlops * 2048 / 8 / (1979e12 * 0.4) + 3 * kLogitsFlops * 2048 / 8 / (989e12 * 0.5);
  EXPECT_NEAR(e.gemm_time_s / (8 * gemm_mb), 1.0, 1e-9);
  EXPECT_NEAR(e.gemm_time_s, 30.21e-3, 0.01e-3);
}

TEST(Fp8Efficiency, FallsBackToValueForOtherGpus) {
  const TrainingLayout l = layout(Precision::kFp8, "other", 0.25);  // no by_gpu entry: the value 0.25 applies
  const double gemm_mb =
      3 * kLayerGemmFlops * 2048 / 8 / (1979e12 * 0.25) + 3 * kLogitsFlops * 2048 / 8 / (989e12 * 0.5);
  EXPECT_NEAR(estimate_training_step(l).gemm_time_s / (8 * gemm_mb), 1.0, 1e-9);
}

TEST(Fp8Efficiency, Bf16JobsIgnoreIt) {
  // BF16: everything at 989e12 x 0.5 as before; the FP8 entry (0.4) must not matter.
  const TrainingStepEstimate e = estimate_training_step(layout(Precision::kBf16));
  const double gemm_mb = 3 * (kLayerGemmFlops + kLogitsFlops) * 2048 / 8 / (989e12 * 0.5);
  EXPECT_NEAR(e.gemm_time_s / (8 * gemm_mb), 1.0, 1e-9);
}
