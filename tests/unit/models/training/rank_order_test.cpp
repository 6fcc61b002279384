// Rank order of a training job (parallelism.order, issue 14): which servers the DP, PP and EP phases connect.
// H100 servers of 8 GPUs, TP 8, PP 4, DP 16 (64 servers), EP 4 on a MoE model:
// - tp-cp-pp-dp: a replica is 4 consecutive servers; DP peers 4 servers apart in one block of 64 (lanes 0..3);
//   PP from a server to the next; EP groups of 4 servers 4 apart.
// - tp-cp-dp-pp (Megatron's): a stage is a block of 16 consecutive servers; DP peers adjacent, one block per stage
//   (4 blocks of 16); PP from a server to the one 16 servers on; EP groups of 4 adjacent servers.
#include <gtest/gtest.h>

#include "models/training/step_model.hpp"
#include "tests/unit/test_specs.hpp"

namespace clustersim {
namespace {

TrainingLayout layout(RankOrder order) {
  TrainingLayout l;
  l.model = test::llama3_8b();
  l.model.experts = 64;
  l.model.active_experts = 8;
  l.gpu = test::h100();
  l.gpus_per_server = 8;
  l.tp = 8;
  l.pp = 4;
  l.dp = 16;
  l.ep = 4;
  l.global_batch = 256;
  l.seq_len = 4096;
  l.order = order;
  return l;
}

const FabricPhase& phase(const TrainingStepEstimate& e, CommKind k) {
  for (const FabricPhase& f : e.fabric)
    if (f.kind == k) return f;
  throw std::runtime_error("no phase");
}

TEST(RankOrder, PipelineInnerKeepsReplicasTogether) {
  const TrainingStepEstimate e = estimate_training_step(layout(RankOrder::kTpCpPpDp));
  EXPECT_EQ(phase(e, CommKind::kDp).stride, 4);
  EXPECT_EQ(phase(e, CommKind::kDp).group, 16);
  EXPECT_EQ(phase(e, CommKind::kPp).stride, 1);
  EXPECT_EQ(phase(e, CommKind::kEp).stride, 4);
  EXPECT_EQ(phase(e, CommKind::kEp).group, 4);
}

TEST(RankOrder, DataParallelInnerKeepsStagesTogether) {
  const TrainingStepEstimate e = estimate_training_step(layout(RankOrder::kTpCpDpPp));
  EXPECT_EQ(phase(e, CommKind::kDp).stride, 1);
  EXPECT_EQ(phase(e, CommKind::kDp).group, 16);  // a block of 16 servers per stage
  EXPECT_EQ(phase(e, CommKind::kPp).stride, 16);
  EXPECT_EQ(phase(e, CommKind::kEp).stride, 1);
  EXPECT_EQ(phase(e, CommKind::kEp).group, 4);
}

// The order moves traffic between servers; it changes no volume: the same bytes per server in every phase, and
// the same analytic step on a non-blocking fabric.
TEST(RankOrder, SameVolumes) {
  const TrainingStepEstimate a = estimate_training_step(layout(RankOrder::kTpCpPpDp));
  const TrainingStepEstimate b = estimate_training_step(layout(RankOrder::kTpCpDpPp));
  for (CommKind k : {CommKind::kDp, CommKind::kPp, CommKind::kEp})
    EXPECT_DOUBLE_EQ(phase(a, k).bytes_per_server, phase(b, k).bytes_per_server);
  EXPECT_DOUBLE_EQ(a.compute_time_s, b.compute_time_s);
}

}  // namespace
}  // namespace clustersim
