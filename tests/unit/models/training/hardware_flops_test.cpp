// Hardware FLOPs count what the GPU executes: with flash attention only the unmasked half of the causal attention
// matrix, over its forward, its backward of 2.5 forwards (QK^T recomputed) and any recomputed forward; model FLOPs
// (MFU) keep the full matrix and 3 passes. A small model at long
// context is attention-bound: its executed FLOP/s stay below the peak (was an internal error, HFU 1.02, for a 1B
// model at 64k on A100: the step timed the causal half while the count took the whole matrix).
#include <gtest/gtest.h>

#include "models/training/flops.hpp"
#include "models/training/step_model.hpp"
#include "tests/unit/test_specs.hpp"

namespace clustersim {
namespace {

TrainingLayout long_context(bool flash) {
  TrainingLayout l;
  l.model = test::llama3_8b();
  l.model.layers = 8;  // a small model: attention dominates at 64k
  l.gpu = test::h100();
  l.gpus_per_server = 8;
  l.dp = 8;
  l.global_batch = 8;
  l.seq_len = 65536;
  l.recompute = Recompute::kFull;
  l.flash_attention = flash;
  l.calibration.attention_efficiency = 0.6;
  return l;
}

TEST(HardwareFlops, FlashAttentionExecutesHalfTheCausalMatrix) {
  const TrainingStepEstimate flash = estimate_training_step(long_context(true));
  const TrainingStepEstimate unfused = estimate_training_step(long_context(false));
  const ForwardFlops f = forward_flops(long_context(true).model, 65536);
  const double tokens_per_gpu = 65536.0;  // 8 sequences over 8 GPUs
  // Unfused: forward, a backward of 2 and the recomputed forward: 4 x attention. Flash: the unmasked half of
  // 1 + 2.5 (its backward recomputes QK^T) + 1 = 4.5 forwards, 2.25 x attention: 1.75 x attention less.
  EXPECT_NEAR(unfused.hardware_flops_per_gpu - flash.hardware_flops_per_gpu, 1.75 * f.attention * tokens_per_gpu,
              1e-9 * unfused.hardware_flops_per_gpu);
  EXPECT_DOUBLE_EQ(flash.model_flops_per_step, unfused.model_flops_per_step);  // MFU keeps the full matrix
}

TEST(HardwareFlops, LongContextStaysBelowPeak) {
  const TrainingLayout l = long_context(true);
  const TrainingStepEstimate e = estimate_training_step(l);
  const double step_s = e.compute_time_s;  // no communication: the fastest the step can be
  StepFigures fig;
  ASSERT_NO_THROW(fig = step_figures(l, e, step_s, "long-context"));
  EXPECT_LE(fig.hfu, 1.0);
  EXPECT_GT(fig.mfu, fig.hfu);  // the full matrix counted against the executed half
}

}  // namespace
}  // namespace clustersim
