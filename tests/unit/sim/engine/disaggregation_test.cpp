// Prefill/decode disaggregation: KV-cache sizes, the prefill-only and decode-pool scheduler roles, KV
// transfers over the SimGrid fat tree (idle, and sharing a leaf uplink with a training ring all-reduce),
// the configuration checks, and a small disaggregated service end to end.
//
// Fabric of the flow tests (as tests/unit/sim/collectives/collective_test.cpp): 2 tiers, radix 16, 1 NIC of 400 Gbit/s
// per server (50 GB/s), leaf 3:1: 12 servers per leaf, leaf uplink 4 x 50 = 200 GB/s; zero-latency links.
#include <gtest/gtest.h>

#include <simgrid/s4u.hpp>

#include <unistd.h>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "common/diagnostics.hpp"
#include "models/inference/kv_cache.hpp"
#include "models/inference/scheduler.hpp"
#include "sim/collectives/collective.hpp"
#include "sim/config/experiment_loader.hpp"
#include "sim/engine/kv_transfer.hpp"
#include "sim/engine/simulation.hpp"
#include "sim/setup/feasibility.hpp"
#include "topologies/simgrid_platform.hpp"

namespace clustersim {
namespace {

namespace sg4 = simgrid::s4u;
namespace fs = std::filesystem;

constexpr double kGB = 1e9;
constexpr double kAlpha_s = 5e-6;

std::unique_ptr<sg4::Engine> make_engine() {
  static std::vector<std::string> args = {"disaggregation_test", "--cfg=network/model:CM02",
                                          "--cfg=network/crosstraffic:0", "--cfg=network/TCP-gamma:0",
                                          "--log=root.thres:critical"};
  static std::vector<char*> argv;
  argv.clear();
  for (auto& a : args) argv.push_back(a.data());
  static int argc;
  argc = static_cast<int>(argv.size());
  return std::make_unique<sg4::Engine>(&argc, argv.data());
}

Platform make_platform() {
  FatTreeParams p;
  p.servers = 24;
  p.radix = 16;
  p.nics_per_server = 1;
  p.tiers = 2;
  p.link_bps = 400e9;
  p.leaf_oversubscription = 3;
  p.hop_latency_s = 1e-6;
  return instantiate_platform(build_fat_tree(p), PlatformParams{});
}

KvTransportParams transport_params() { return {"svc", 450e9, 8, kAlpha_s}; }

// Llama 3.3 70B: 80 layers, 8 KV heads of 128: 2 x 80 x 8 x 128 = 163,840 elements per token; FP8 KV (1 B):
// 163,840 B per token, so a 2,000-token prompt moves 327.68 MB.
TEST(KvTransfer, BytesAreInputTimesKvBytesPerToken) {
  const double per_token = LlmSpec{"llama3.3-70b", 80, 8192, 28672, 64, 8, 128256}.kv_bytes_per_token(1.0);
  EXPECT_DOUBLE_EQ(per_token, 163840.0);
  EXPECT_DOUBLE_EQ(kv_transfer_bytes(2000, per_token), 327.68e6);
}

// A prefill-pool scheduler returns a request when its prefill is done, without a token, with its KV freed.
// 100 prompt tokens fit one iteration of 4,096; reserve policy holds only the prompt in the prefill pool.
TEST(DisaggregatedScheduler, PrefillOnlyReleasesAtPrefillEnd) {
  SchedulerParams p;
  p.max_batch_tokens = 4096;
  p.prefill_only = true;
  ReplicaScheduler sched(p);
  ServingRequest r;
  r.arrival.input_tokens = 100;
  r.arrival.output_tokens = 10;
  sched.enqueue(&r);
  const IterationPlan plan = sched.plan();
  EXPECT_DOUBLE_EQ(plan.work.prefill_tokens, 100);
  EXPECT_DOUBLE_EQ(sched.kv_used_tokens(), 100);  // prompt only, not prompt + output
  const auto done = sched.complete(plan, 1, 0.5);
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0], &r);
  EXPECT_EQ(r.generated, 0);
  EXPECT_LT(r.first_token_s, 0);
  EXPECT_LT(r.done_s, 0);
  EXPECT_DOUBLE_EQ(sched.kv_used_tokens(), 0);
  EXPECT_TRUE(sched.idle());
}

// A decode-pool scheduler takes a prefilled request: admission (prompt + output reserved = 110 tokens), then
// its first decode iteration alone (repeat 1) gives the first token, then a stretch of the 9 others.
TEST(DisaggregatedScheduler, DecodePoolFirstTokenIsFirstDecodeIteration) {
  ReplicaScheduler sched(SchedulerParams{});
  ServingRequest r;
  r.arrival.input_tokens = 100;
  r.arrival.output_tokens = 10;
  r.prefill_target = r.prefilled = 100;
  sched.enqueue(&r);
  const IterationPlan admit = sched.plan();
  EXPECT_TRUE(admit.empty());
  EXPECT_DOUBLE_EQ(sched.kv_used_tokens(), 110);
  sched.complete(admit, 1, 1.0);
  const IterationPlan first = sched.plan();
  ASSERT_EQ(first.decodes.size(), 1u);
  EXPECT_EQ(first.repeat, 1);
  EXPECT_DOUBLE_EQ(first.work.prefill_tokens, 0);
  sched.complete(first, 1, 1.25);
  EXPECT_DOUBLE_EQ(r.first_token_s, 1.25);
  const IterationPlan rest = sched.plan();
  EXPECT_EQ(rest.repeat, 9);
  EXPECT_EQ(sched.complete(rest, 9, 2.0).size(), 1u);
  EXPECT_DOUBLE_EQ(r.done_s, 2.0);
  EXPECT_EQ(r.generated, 10);
}

// Idle fabric: 1 GB from server 0 (leaf 0) to server 16 (leaf 1): bottleneck = the 50 GB/s server links:
// 20 ms + alpha 5 us. Same server: 1 GB over 8 GPUs x 450 GB/s = 0.2778 ms + 5 us, no flow.
TEST(KvTransfer, IdleFabricTimeIsBytesOverBandwidthPlusAlpha) {
  auto e = make_engine();
  const Platform plat = make_platform();
  KvTransport kv(transport_params());
  int arrived = 0;
  sg4::Actor::create("sender", plat.servers[0], [&] {
    kv.send(plat.servers[0], plat.servers[16], kGB, [&] { ++arrived; });
    kv.send(plat.servers[1], plat.servers[1], kGB, [&] { ++arrived; });
    sg4::this_actor::sleep_for(1);  // the transport's workers are daemons: keep the engine running
  });
  e->run();
  ASSERT_EQ(arrived, 2);
  const auto& st = kv.stats();
  ASSERT_EQ(st.time_s.size(), 2u);
  EXPECT_EQ(st.fabric_transfers, 1);
  EXPECT_DOUBLE_EQ(st.bytes, 2 * kGB);
  const double nvlink_s = kGB / (8 * 450e9) + kAlpha_s;
  const double fabric_s = kGB / 50e9 + kAlpha_s;
  EXPECT_NEAR(st.time_s[0], nvlink_s, 1e-9);  // the same-server one arrives first
  EXPECT_NEAR(st.time_s[1], fabric_s, 1e-6);
  EXPECT_NEAR(kv.ideal_time_s(kGB, 50e9), fabric_s, 1e-12);
}

// Transfers are carried by long-lived workers: 3 concurrent transfers from server 0 to server 16 take 3
// receivers and 3 senders; 3 more after them reuse those 6 actors. Equal transfers sharing the path end
// together and arrive in the order they were sent; the same-server one needs a receiver only.
TEST(KvTransfer, WorkersAreReusedAndArrivalsKeepTheirOrder) {
  auto e = make_engine();
  const Platform plat = make_platform();
  KvTransport kv(transport_params());
  std::vector<int> order;
  sg4::Actor::create("sender", plat.servers[0], [&] {
    for (int round = 0; round < 2; ++round) {
      for (int k = 0; k < 3; ++k) kv.send(plat.servers[0], plat.servers[16], kGB, [&order, k] { order.push_back(k); });
      sg4::this_actor::sleep_for(1);
    }
    kv.send(plat.servers[2], plat.servers[2], kGB, [&order] { order.push_back(9); });
    sg4::this_actor::sleep_for(1);
  });
  e->run();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 0, 1, 2, 9}));
  EXPECT_EQ(kv.worker_actors(), 7);
  const auto& t = kv.stats().time_s;
  ASSERT_EQ(t.size(), 7u);
  EXPECT_NEAR(t[0], 3 * kGB / 50e9 + kAlpha_s, 1e-6);  // three flows share the 50 GB/s server link
  for (int k : {1, 2}) EXPECT_EQ(t[k], t[0]) << k;
  for (int k : {4, 5}) EXPECT_EQ(t[k], t[3]) << k;
  EXPECT_NEAR(t[3], t[0], 1e-12);
  EXPECT_EQ(kv.stats().fabric_transfers, 6);
}

// Sharing a leaf uplink with training. A ring all-reduce over servers 0,12,1,13,2,14,3,15 (data-parallel
// gradients, 1 GB per rank: each server sends W = 2 x 7/8 GB = 1.75 GB): 4 of its flows go from leaf 0 to
// leaf 1, 4 x 50 GB/s = the 200 GB/s uplink. Alone it takes 1.75 GB / 50 GB/s = 35 ms of network.
// A KV transfer of 1.75 GB from server 4 (leaf 0) to server 16 (leaf 1) alone: 35 ms + alpha.
// Together: 5 flows share the 200 GB/s uplink (and leaf 1's 200 GB/s downlink): 40 GB/s each, so both take
// 1.75 / 40 = 43.75 ms, 1.25x.
TEST(KvTransfer, SharedUplinkSlowsTransferAndAllReduceByLinkShare) {
  auto e = make_engine();
  const Platform plat = make_platform();
  KvTransport kv(transport_params());
  CollectiveGroupParams gp;
  gp.name = "dp";
  for (int s : {0, 12, 1, 13, 2, 14, 3, 15}) gp.servers.push_back(plat.servers[s]);
  CollectiveGroup ring(gp);
  const double w = 2 * 7.0 / 8 * kGB;
  std::vector<double> ring_network_s(2 * ring.size(), 0);
  // Round 0 at t = 0: ring alone; at t = 1 s: the KV alone; at t = 2 s: both together.
  for (int round : {0, 1}) {
    for (int i = 0; i < ring.size(); ++i)
      sg4::Actor::create("dp-" + std::to_string(round) + "-" + std::to_string(i), gp.servers[i], [&, round, i] {
        sg4::this_actor::sleep_until(round == 0 ? 0.0 : 2.0);
        ring_network_s[round * ring.size() + i] =
            ring.run(i, CollectiveOp::kAllReduce, kGB, CollectiveAlgo::kRing).network_s;
      });
  }
  sg4::Actor::create("prefill", plat.servers[4], [&] {
    sg4::this_actor::sleep_until(1.0);
    kv.send(plat.servers[4], plat.servers[16], w, [] {});
    sg4::this_actor::sleep_until(2.0);
    kv.send(plat.servers[4], plat.servers[16], w, [] {});
    sg4::this_actor::sleep_for(1);  // the transport's workers are daemons: keep the engine running
  });
  e->run();
  double alone = 0, shared = 0;
  for (int i = 0; i < ring.size(); ++i) {
    alone = std::max(alone, ring_network_s[i]);
    shared = std::max(shared, ring_network_s[ring.size() + i]);
  }
  EXPECT_NEAR(alone, w / 50e9, 1e-5);
  EXPECT_NEAR(shared, w / 40e9, 1e-5);
  const auto& t = kv.stats().time_s;
  ASSERT_EQ(t.size(), 2u);
  EXPECT_NEAR(t[0], w / 50e9 + kAlpha_s, 1e-6);
  EXPECT_NEAR(t[1], w / 40e9 + kAlpha_s, 1e-6);
}

// ---------------------------------------------------------------------------------------------------------
// Configuration and end to end.

class DisaggregationRun : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("disagg_test_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& text) {
    const fs::path p = dir_ / "exp.yaml";
    std::ofstream(p) << text;
    return p.string();
  }
  fs::path dir_;
};

// 2 servers of 8 H100 on one leaf; 8 prefill + 8 decode replicas of Llama 3 8B TP1 FP8.
std::string small_experiment(const std::string& pools) {
  return "name: disagg\nduration: 20s\ncluster: {gpu: H100-SXM, servers: 2}\n"
         "workload:\n  inference:\n    - name: chat\n      model: llama3-8b\n      replicas: 16\n      tp: 1\n"
         "      precision: fp8\n" +
         pools + "      arrivals: {kind: poisson, rate: 5, input_tokens: 1000, output_tokens: 100, lengths: fixed}\n";
}

/// "key.path: message" of each error of the experiment file `path` (empty when it loads).
std::vector<std::string> errors(const std::string& path) {
  std::vector<std::string> out;
  try {
    load_experiment(path);
  } catch (const ConfigError& e) {
    for (const auto& d : e.diagnostics().items()) out.push_back(d.key_path + ": " + d.message);
  }
  return out;
}

TEST_F(DisaggregationRun, PoolsMustAddUpAndBeNonEmpty) {
  auto errs = errors(write(small_experiment("      disaggregation: {prefill_replicas: 8, decode_replicas: 4}\n")));
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_NE(errs[0].find("prefill_replicas + decode_replicas = 12 but replicas = 16"), std::string::npos) << errs[0];
  errs = errors(write(small_experiment("      disaggregation: {prefill_replicas: 16}\n")));
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_NE(errs[0].find("at least one prefill and one decode"), std::string::npos) << errs[0];
  EXPECT_TRUE(
      errors(write(small_experiment("      disaggregation: {prefill_replicas: 8, decode_replicas: 8}\n"))).empty());
  EXPECT_TRUE(errors(write(small_experiment(""))).empty());  // colocated
}

// Idle fabric, one leaf: prefill on server 0, decode on server 1 (placement), route = the two 8 x 50 GB/s
// server links. Each request moves 1,000 tokens x 65,536 B (Llama 3 8B: 2 x 32 layers x 8 x 128 at FP8) =
// 65.536 MB in 65.536e6 / 400e9 = 0.164 ms + 5 us = 0.1688 ms. At 5 requests/s two transfers rarely overlap
// (0.1 %), so the mean stays within 1 % of that.
TEST_F(DisaggregationRun, SmallServiceReportsKvTransfers) {
  const auto exp =
      load_experiment(write(small_experiment("      disaggregation: {prefill_replicas: 8, decode_replicas: 8}\n")));
  RunOptions opt;
  opt.progress = false;
  const RunResults r = run_experiment(exp, opt);
  ASSERT_TRUE(r.record.has_value());
  ASSERT_EQ(r.record->services.size(), 1u);
  const ServiceRow& s = r.record->services[0];
  EXPECT_EQ(s.prefill_replicas, 8);
  EXPECT_EQ(s.decode_replicas, 8);
  const double n = s.kv_transfers;
  EXPECT_GT(n, 60);  // ~100 arrivals in 20 s
  EXPECT_NEAR(s.kv_transfer_bytes, n * 65.536e6, 1);
  const double ideal_s = 65.536e6 / 400e9 + 5e-6;
  EXPECT_NEAR(s.kv_transfer_mean_s / ideal_s, 1.0, 0.01);
  EXPECT_GE(s.kv_transfer_p99_s, ideal_s * (1 - 1e-6));
  // TTFT includes the transfer and a decode iteration on top of the prefill.
  EXPECT_GT(s.ttft_p50_s, ideal_s);
  EXPECT_GT(s.completed, 0.8 * n);
}

}  // namespace
}  // namespace clustersim
