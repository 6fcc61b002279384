// The fabric phases of a training job as collectives (sim/engine/fabric_collective.hpp): which servers form
// each group, and a pipeline shift simulated on a small fat-tree. Each TEST builds an Engine and so runs in
// its own process (ctest + gtest_discover_tests).
#include "sim/engine/fabric_collective.hpp"

#include "sim/engine/dp_allreduce.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/unit/simgrid_test_util.hpp"
#include "topologies/simgrid_platform.hpp"

namespace clustersim {
namespace {

namespace sg4 = simgrid::s4u;
using test::make_engine;

/// 40 servers, one 400 Gbit/s NIC each, 32 per leaf (non-blocking).
Platform thin_platform() {
  FatTreeParams p;
  p.servers = 40;
  p.radix = 64;
  p.nics_per_server = 1;
  p.tiers = 2;
  p.link_bps = 400e9;
  p.hop_latency_s = 1e-6;
  return instantiate_platform(build_fat_tree(p), PlatformParams{});
}

TrainingJobRuntime job_on(const Platform& plat, int servers) {
  TrainingJobRuntime job;
  job.spec.name = "job";
  job.calibration.network_alpha_s = 5e-6;
  for (int i = 0; i < servers; ++i) job.servers.push_back(plat.servers[i]);
  return job;
}

/// The job ranks of each group (from the group's hosts).
std::vector<std::vector<int>> ranks_of(const FabricCollective& fc, const TrainingJobRuntime& job) {
  std::vector<std::vector<int>> out;
  for (const CollectiveGroup& g : fc.groups()) {
    out.emplace_back();
    for (sg4::Host* h : g.params().servers)
      for (size_t r = 0; r < job.servers.size(); ++r)
        if (job.servers[r] == h) out.back().push_back(static_cast<int>(r));
  }
  return out;
}

// The DP all-reduce in blocks (rank order tp-cp-dp-pp: one block per pipeline stage, its DP peers adjacent)
// against one block over the job (tp-cp-pp-dp: peers a replica apart); a server's rank in the job runs in the
// group that holds it.
TEST(FabricCollective, DataParallelGroupsInBlocks) {
  auto e = make_engine();
  const Platform plat = thin_platform();
  TrainingJobRuntime job = job_on(plat, 8);
  job.spec.dp = 4;
  job.estimate.dp_rings_per_server = 1;
  job.gpus_per_server_used = 1;
  auto members = [&](const DpAllReduce& dp) {
    std::vector<std::vector<int>> out;
    for (int i = 0; i < dp.groups(); ++i) {
      out.emplace_back();
      for (sg4::Host* h : dp.group(i).params().servers)
        for (size_t r = 0; r < job.servers.size(); ++r)
          if (job.servers[r] == h) out.back().push_back(static_cast<int>(r));
    }
    return out;
  };
  const FabricPhase stages{CommKind::kDp, FlowPattern::kRing, 1e6, 1, 4, 1, 5e-6, 0};  // 2 blocks of 4
  EXPECT_EQ(members(DpAllReduce(job, stages)), (std::vector<std::vector<int>>{{0, 1, 2, 3}, {4, 5, 6, 7}}));
  const FabricPhase strided{CommKind::kDp, FlowPattern::kRing, 1e6, 2, 4, 1, 5e-6, 0};  // 1 block, 2 lanes
  EXPECT_EQ(members(DpAllReduce(job, strided)), (std::vector<std::vector<int>>{{0, 2, 4, 6}, {1, 3, 5, 7}}));
}

TEST(FabricCollective, GroupsFollowThePhasePattern) {
  auto e = make_engine();
  const Platform plat = thin_platform();
  const TrainingJobRuntime job = job_on(plat, 8);
  // Pipeline sends at stride 2: two chains, rank r sends to r + 2.
  const FabricPhase pp{CommKind::kPp, FlowPattern::kNext, 1e6, 2, 8, 1, 5e-6, 0};
  EXPECT_EQ(ranks_of(FabricCollective(job, pp, 0), job), (std::vector<std::vector<int>>{{0, 2, 4, 6}, {1, 3, 5, 7}}));
  // Expert all-to-all over groups of 2 servers at stride 2: blocks of 4 servers, two lanes each.
  const FabricPhase ep2{CommKind::kEp, FlowPattern::kAllToAll, 1e6, 2, 2, 1, 5e-6, 0};
  EXPECT_EQ(ranks_of(FabricCollective(job, ep2, 1), job),
            (std::vector<std::vector<int>>{{0, 2}, {1, 3}, {4, 6}, {5, 7}}));
  // Groups of 3: one whole block of 6 servers; servers 6 and 7 take no part.
  const FabricPhase ep3{CommKind::kEp, FlowPattern::kAllToAll, 1e6, 2, 3, 1, 5e-6, 0};
  EXPECT_EQ(ranks_of(FabricCollective(job, ep3, 2), job), (std::vector<std::vector<int>>{{0, 2, 4}, {1, 3, 5}}));
  // Nothing on the wire: empty.
  FabricPhase none = pp;
  none.bytes_per_server = 0;
  EXPECT_TRUE(FabricCollective(job, none, 3).empty());
  const FabricPhase ep1{CommKind::kEp, FlowPattern::kAllToAll, 1e6, 8, 4, 1, 5e-6, 0};  // stride = job: g = 1
  EXPECT_TRUE(FabricCollective(job, ep1, 4).empty());
  // One entry per estimate phase, null where empty.
  TrainingJobRuntime with_phases = job;
  with_phases.estimate.fabric = {pp, none};
  const auto all = make_fabric_collectives(with_phases);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_NE(all[0], nullptr);
  EXPECT_EQ(all[1], nullptr);
}

// An all-to-all over 4 servers on one leaf, 3 GB per server: each server sends 1 GB to each of the 3 others
// and receives 3 GB: 3 GB / 50 GB/s = 60 ms, plus 3 alpha (one per other server, the step model's term),
// which run() returns for the caller to apply once after its barrier (caller_synchronizes).
TEST(FabricCollective, AllToAllMovesThePhaseBytesPerServer) {
  auto e = make_engine();
  const Platform plat = thin_platform();
  const TrainingJobRuntime job = job_on(plat, 4);
  const FabricPhase ep{CommKind::kEp, FlowPattern::kAllToAll, 3e9, 1, 4, 1, 15e-6, 0};
  FabricCollective fc(job, ep, 0);
  std::vector<double> t(4, -1);
  for (int r = 0; r < 4; ++r)
    sg4::Actor::create("a" + std::to_string(r), job.servers[r], [&fc, &t, r] {
      const double t0 = sg4::Engine::get_clock();
      const double tail_s = fc.run(r);
      t[r] = sg4::Engine::get_clock() - t0 + tail_s;
    });
  e->run();
  for (int r = 0; r < 4; ++r) EXPECT_NEAR(t[r], 60e-3 + 15e-6, 1e-6) << r;
}

}  // namespace
}  // namespace clustersim
