// Scale-up domains larger than a server (issue 14): a GB200 NVL72 rack (18 trays of 4 GPUs) keeps pipeline,
// expert and data-parallel traffic of ranks that fit in it on NVLink (analytic), off the scale-out fabric.
#include <gtest/gtest.h>

#include "models/training/step_model.hpp"
#include "tests/unit/test_specs.hpp"

namespace clustersim {
namespace {

TrainingLayout gb200_like(int domain) {
  TrainingLayout l;
  l.model = test::llama3_8b();
  l.gpu = test::h100();
  l.gpu.scaleup_bandwidth_Bps = 900e9;
  l.gpu.scaleup_domain = domain;
  l.gpus_per_server = 4;  // a tray
  l.tp = 4;
  l.pp = 8;   // a replica: 32 GPUs on 8 trays
  l.dp = 16;  // 512 GPUs
  l.global_batch = 256;
  l.seq_len = 4096;
  return l;
}

bool has_phase(const TrainingStepEstimate& e, CommKind k) {
  for (const FabricPhase& f : e.fabric)
    if (f.kind == k) return true;
  return false;
}

TEST(ScaleupDomain, PipelineInsideTheRackStaysOnNvlink) {
  const TrainingStepEstimate rack = estimate_training_step(gb200_like(72));
  EXPECT_FALSE(has_phase(rack, CommKind::kPp));  // 32 GPUs of a replica inside 72
  EXPECT_GT(rack.pp_local_time_s, 0);
  EXPECT_TRUE(has_phase(rack, CommKind::kDp));                              // 512 GPUs: data parallelism crosses racks
  const TrainingStepEstimate tray = estimate_training_step(gb200_like(4));  // a domain of one tray
  EXPECT_TRUE(has_phase(tray, CommKind::kPp));
  EXPECT_EQ(tray.pp_local_time_s, 0);
}

TEST(ScaleupDomain, WholeJobInsideTheRackHasNoFabricPhase) {
  TrainingLayout l = gb200_like(72);
  l.dp = 2;  // 64 GPUs
  l.global_batch = 32;
  const TrainingStepEstimate e = estimate_training_step(l);
  EXPECT_TRUE(e.fabric.empty());
  EXPECT_GT(e.dp_local_time_s, 0);
}

TEST(ScaleupDomain, ExpertGroupInsideTheRackStaysOnNvlink) {
  TrainingLayout l = gb200_like(72);
  l.model.experts = 64;
  l.model.active_experts = 8;
  l.tp = 1;
  l.pp = 1;
  l.dp = 128;
  l.ep = 16;  // EP groups of 16 GPUs (4 trays) inside a rack
  l.global_batch = 128;
  EXPECT_FALSE(has_phase(estimate_training_step(l), CommKind::kEp));
  l.ep = 128;  // 128 GPUs: two racks
  EXPECT_TRUE(has_phase(estimate_training_step(l), CommKind::kEp));
}

}  // namespace
}  // namespace clustersim
