// Data-parallel overlap (issue 15): the exposed time of a phase by hand, FSDP / ZeRO-3 layer by layer (one
// collective per layer and micro-batch, hidden only behind its layer's compute, latency-bound at scale), and the
// last gradient bucket that overlap never hides.
#include <gtest/gtest.h>

#include "models/training/step_model.hpp"
#include "tests/unit/test_specs.hpp"

namespace clustersim {
namespace {

TEST(DataParallelOverlap, ExposedTimeByHand) {
  FabricPhase p;
  p.calls = 10;
  p.hideable_s = 100;  // the shared budget would hide everything...
  p.hideable_per_call_s = 1.0;
  p.fill_calls = 2;
  // ...but per call: 2 fill calls of 1.5 s, 8 calls exposing 1.5 - 1 = 0.5 s each.
  EXPECT_DOUBLE_EQ(exposed_time_s(p, 1.5), 2 * 1.5 + 8 * 0.5);
  p.min_call_s = 2.0;  // a call takes at least 2 s: 2 x 2 + 8 x 1
  EXPECT_DOUBLE_EQ(exposed_time_s(p, 1.5), 12.0);
  FabricPhase q;
  q.calls = 1;
  q.hideable_s = 10;
  q.exposed_floor_s = 0.5;  // hidden but for the last bucket
  EXPECT_DOUBLE_EQ(exposed_time_s(q, 2.0), 0.5);
  q.exposed_floor_s = 5;  // never more than the phase itself
  EXPECT_DOUBLE_EQ(exposed_time_s(q, 2.0), 2.0);
}

TrainingLayout fsdp(int dp) {
  TrainingLayout l;
  l.model = test::llama3_8b();
  l.gpu = test::h100();
  l.gpus_per_server = 8;
  l.dp = dp;
  l.zero_stage = 3;
  l.overlap_grad_reduce = true;
  l.micro_batch = 1;
  l.global_batch = 2 * dp;  // m = 2 micro-batches
  l.seq_len = 2048;
  return l;
}

const FabricPhase& dp_phase(const TrainingStepEstimate& e) {
  for (const FabricPhase& f : e.fabric)
    if (f.kind == CommKind::kDp) return f;
  throw std::runtime_error("no DP phase");
}

TEST(DataParallelOverlap, Zero3GathersLayerByLayer) {
  const TrainingLayout l = fsdp(1024);
  const TrainingStepEstimate e = estimate_training_step(l);
  const FabricPhase& p = dp_phase(e);
  const double layers = l.model.layers, m = 2, n = 1024;
  EXPECT_DOUBLE_EQ(p.calls, layers * (2 * m + 1));  // 32 x 5 = 160 collectives
  EXPECT_DOUBLE_EQ(p.fill_calls, 2 * m);
  EXPECT_DOUBLE_EQ(p.hideable_per_call_s, e.compute_time_s / p.calls);
  // Each call: a ring of n - 1 latency steps plus its share of the bytes at the GPU's NIC bandwidth.
  const double params = l.model.params();
  const double per_gpu = (n - 1) / n * params * (2 * 2 * m + l.grad_reduce_bytes);
  EXPECT_NEAR(p.min_call_s, (n - 1) * l.calibration.network_alpha_s + per_gpu / p.calls / l.scaleout_bandwidth_Bps,
              1e-12);
  // The phase's total volume is unchanged: calls x bytes per call = the volume of the whole step.
  EXPECT_NEAR(p.calls * p.bytes_per_server, e.dp_rings_per_server * per_gpu, 1e-3 * per_gpu);
  // At 1,024 ranks a call (5 us x 1,023 ring steps + its bytes: 15 ms) outlasts its layer's compute: exposed.
  EXPECT_GT(p.min_call_s, p.hideable_per_call_s);
  EXPECT_GT(exposed_time_s(p, 0), (p.calls - p.fill_calls) * (p.min_call_s - p.hideable_per_call_s));
}

TEST(DataParallelOverlap, LastBucketIsExposed) {
  TrainingLayout l = fsdp(64);
  l.zero_stage = 1;
  const TrainingStepEstimate e = estimate_training_step(l);
  const FabricPhase& p = dp_phase(e);
  const double n = 64;
  const double bucket = std::min(e.grad_bytes_per_gpu, 64e6 * l.grad_reduce_bytes);  // max(40M, 1M x 64) params
  EXPECT_NEAR(p.exposed_floor_s,
              2 * (n - 1) * l.calibration.network_alpha_s + 2 * (n - 1) / n * bucket / l.scaleout_bandwidth_Bps, 1e-12);
  // A call that the backward hides exactly still leaves its last bucket.
  EXPECT_NEAR(exposed_time_s(p, p.hideable_s - p.latency_s), p.exposed_floor_s, 1e-12);
}

}  // namespace
}  // namespace clustersim
