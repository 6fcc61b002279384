// Cross-checks of the collectives against a peer simulator and against published NCCL measurements at scale.
//
// ASTRA-sim 2.x's analytical network backends (congestion-aware and
// congestion-unaware), run on the same collectives and topologies (experiments/notes/astra-sim/README.md: commits,
// configurations, the script that reruns every case, and the full table). ASTRA-sim reads "50 GB/s" as 50 x 2^30 B/s
// and charges a message one latency per link it crosses (a switch: 2 links of 500 ns = 1 us per message, which is
// our alpha). The reference times are ASTRA-sim's printed completion times ("sys[i] finished, T cycles", 1 cycle =
// 1 ns); our numbers are simulated here, on platforms built to match:
// - a single switch: N servers of one 50 GiB/s NIC on one leaf of a fat-tree (non-blocking);
// - a bidirectional ring of N NPUs (a link of 50 GiB/s per direction between neighbours, shortest paths, the
//   half-way peer clockwise as ASTRA-sim routes it): all-to-all contends on the ring's links (congestion);
// - two dimensions: 8 GPUs at 450 GiB/s in a server (analytic), servers with 8 NICs of 50 GiB/s on a switch.
// Which ASTRA-sim result is the reference: congestion-aware where it models the case (its one-chunk ring on a
// switch is 2x the formula: it forwards each whole message store-and-forward through the switch, so we take its
// 4-chunk run, where the chunks pipeline), congestion-unaware for the one-chunk ring (it matches the formula there;
// it ignores link sharing, so never for all-to-all) and for 2-D (the aware backend supports 1-D topologies only).
#include <gtest/gtest.h>

#include <simgrid/kernel/routing/FullZone.hpp>

#include <cstdio>
#include <string>
#include <vector>

#include "sim/collectives/collective.hpp"
#include "tests/unit/simgrid_test_util.hpp"
#include "topologies/simgrid_platform.hpp"

namespace clustersim {
namespace {

namespace sg4 = simgrid::s4u;
using test::make_engine;

constexpr double kGiB = 1024.0 * 1024 * 1024;
constexpr double kMiB = 1024.0 * 1024;
constexpr double kLink_Bps = 50 * kGiB;  // ASTRA-sim's "50 GB/s"

/// n servers of `nics` NICs of `link_Bps` each (ASTRA-sim's 50 GiB/s by default) on one leaf of a 2-tier
/// fat-tree (radix 2 x servers x nics): a non-blocking switch.
Platform switch_platform(int n, int nics, double link_Bps = kLink_Bps) {
  FatTreeParams p;
  p.servers = n;
  p.nics_per_server = nics;
  p.radix = 2 * n * nics;
  p.tiers = 2;
  p.link_bps = link_Bps * 8;
  p.hop_latency_s = 0;
  return instantiate_platform(build_fat_tree(p), PlatformParams{});
}

/// A bidirectional ring of n hosts, one split-duplex link of 50 GiB/s between neighbours; host i reaches i + d
/// (d <= n / 2) clockwise over d links, the others counter-clockwise (ASTRA-sim's Ring routing).
std::vector<sg4::Host*> ring_platform(int n) {
  auto* zone = sg4::create_full_zone("ring");
  std::vector<sg4::Host*> hosts;
  std::vector<sg4::SplitDuplexLink*> links;
  for (int i = 0; i < n; ++i) {
    sg4::Host* h = zone->create_host("npu-" + std::to_string(i), 1e15);
    set_server_injection_Bps(h, 2 * kLink_Bps);
    hosts.push_back(h);
  }
  for (int i = 0; i < n; ++i) {
    links.push_back(zone->create_split_duplex_link("ring-" + std::to_string(i), kLink_Bps));  // i <-> i + 1
    links.back()->set_latency(0);
  }
  for (int a = 0; a < n; ++a)
    for (int b = 0; b < n; ++b) {
      if (a == b) continue;
      const int d = (b - a + n) % n;
      std::vector<sg4::LinkInRoute> route;
      if (d <= n / 2) {
        for (int k = 0; k < d; ++k) route.emplace_back(links[(a + k) % n], sg4::LinkInRoute::Direction::UP);
      } else {
        for (int k = 0; k < n - d; ++k)
          route.emplace_back(links[(a - 1 - k + 2 * n) % n], sg4::LinkInRoute::Direction::DOWN);
      }
      zone->add_route(hosts[a]->get_netpoint(), hosts[b]->get_netpoint(), nullptr, nullptr, route, false);
    }
  zone->seal();
  return hosts;
}

/// Runs `op` over `servers` (one actor each) and returns the slowest server's time.
double run_collective(const std::vector<sg4::Host*>& servers, CollectiveOp op, CollectiveAlgo algo, double bytes,
                      int gpus_per_server, double alpha_s, double scaleup_alpha_s = 0,
                      double scaleup_Bps = 450 * kGiB) {
  CollectiveGroupParams gp;
  gp.name = "xcheck";
  gp.servers = servers;
  gp.ranks_per_server = gpus_per_server;
  gp.communicator_gpus_per_server = gpus_per_server;
  gp.scaleup_bandwidth_Bps = scaleup_Bps;
  gp.alpha_s = alpha_s;
  gp.scaleup_alpha_s = scaleup_alpha_s;
  CollectiveGroup group(gp);
  auto out = std::make_shared<std::vector<double>>(servers.size(), 0.0);
  for (int i = 0; i < group.size(); ++i)
    sg4::Actor::create("x-" + std::to_string(i), servers[i],
                       [&group, op, algo, bytes, out, i] { (*out)[i] = group.run(i, op, bytes, algo).total_s; });
  sg4::Engine::get_instance()->run();
  double worst = 0;
  for (double t : *out) worst = std::max(worst, t);
  return worst;
}

/// Our time against the reference's, printed; within `tolerance` (relative).
void expect_close(const char* what, double ours_s, double reference_ns, double tolerance,
                  const char* reference = "ASTRA-sim") {
  const double ref_s = reference_ns * 1e-9;
  std::printf("%-44s clustersim %.6f s  %s %.6f s  %+.2f %%\n", what, ours_s, reference, ref_s,
              100 * (ours_s / ref_s - 1));
  EXPECT_NEAR(ours_s / ref_s, 1.0, tolerance) << what;
}

// Ring all-reduce on a switch: 2(N-1)/N S / B + 2(N-1) x 1 us in both simulators. References: congestion-unaware,
// one chunk (N = 8, 64, 512; 64 MiB and 1 GiB) and congestion-aware with 4 chunks in flight (N = 64, 1 GiB).
TEST(AstraSimCrossCheck, RingAllReduceOnASwitch) {
  struct Case {
    int n;
    double bytes;
    double astra_ns;
    const char* what;
  };
  const Case cases[] = {
      {8, kGiB, 35014015, "switch N=8 1 GiB ring (unaware)"},
      {8, 64 * kMiB, 2201515, "switch N=8 64 MiB ring (unaware)"},
      {64, kGiB, 39501127, "switch N=64 1 GiB ring (unaware)"},
      {8, kGiB, 35626002, "switch N=8 1 GiB ring (aware, 4 chunks)"},
      {64, kGiB, 39454127, "switch N=64 1 GiB ring (aware, 4 chunks)"},
      {64, 64 * kMiB, 2587033, "switch N=64 64 MiB ring (unaware)"},
      {512, kGiB, 40944387, "switch N=512 1 GiB ring (unaware)"},
      {512, 64 * kMiB, 3517725, "switch N=512 64 MiB ring (unaware)"},
  };
  for (const Case& c : cases) {
    const std::string out = test::run_in_child([&] {
      auto e = make_engine();
      const Platform plat = switch_platform(c.n, 1);
      const double t = run_collective(plat.servers, CollectiveOp::kAllReduce, CollectiveAlgo::kRing, c.bytes, 1, 1e-6);
      return std::to_string(t);
    });
    // 2 %: the 4-chunk run's pipeline fill (its first chunk is forwarded whole: +1.7 % at N = 8).
    expect_close(c.what, std::stod(out), c.astra_ns, 0.02);
  }
}

// All-to-all, where the congestion-aware backend models contention: on a switch every NPU's 63 messages share its
// link; on a ring the messages share the ring's links (the busiest carries 320 MiB of N = 8's 8 x 7 x 32 MiB).
TEST(AstraSimCrossCheck, AllToAllWithContention) {
  struct Case {
    bool ring;
    int n;
    double astra_ns;
    const char* what;
  };
  const Case cases[] = {
      {false, 64, 5001002, "switch N=64 256 MiB all-to-all (aware)"},
      {true, 8, 6251002, "ring N=8 256 MiB all-to-all (aware)"},
      {true, 16, 11251002, "ring N=16 256 MiB all-to-all (aware)"},
  };
  for (const Case& c : cases) {
    const std::string out = test::run_in_child([&] {
      auto e = make_engine();
      const std::vector<sg4::Host*> servers = c.ring ? ring_platform(c.n) : switch_platform(c.n, 1).servers;
      return std::to_string(
          run_collective(servers, CollectiveOp::kAllToAll, CollectiveAlgo::kDirect, 256 * kMiB, 1, 1e-6));
    });
    expect_close(c.what, std::stod(out), c.astra_ns, 0.03);
  }
}

// Two dimensions: ASTRA-sim's hierarchical all-reduce (reduce-scatter over the 8 GPUs of a server at 450 GiB/s, ring
// all-reduce of S/8 over the servers at 50 GiB/s per GPU, all-gather) is our hierarchical algorithm with one
// communicator over every GPU. Latencies: 1 us per intra-server step, 2 us per inter-server step (2 links of 500 ns
// and of 1,000 ns). Reference: congestion-unaware (the aware backend runs 1-D topologies only).
TEST(AstraSimCrossCheck, HierarchicalAllReduceInTwoDimensions) {
  struct Case {
    int gpus;
    double astra_ns;
    const char* what;
  };
  const Case cases[] = {{64, 8305909, "2-D 8 x 8 GPUs 1 GiB hierarchical (unaware)"},
                        {512, 9076833, "2-D 8 x 64 GPUs 1 GiB hierarchical (unaware)"}};
  for (const Case& c : cases) {
    const std::string out = test::run_in_child([&] {
      auto e = make_engine();
      const Platform plat = switch_platform(c.gpus / 8, 8);
      return std::to_string(
          run_collective(plat.servers, CollectiveOp::kAllReduce, CollectiveAlgo::kHierarchical, kGiB, 8, 2e-6, 1e-6));
    });
    expect_close(c.what, std::stod(out), c.astra_ns, 0.02);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Published NCCL measurements at scale (nccl-tests, GB200 NVL72 racks on a 400G-per-GPU InfiniBand fabric;
// experiments/notes/nccl-at-scale.md quotes each row). The collectives as the engine runs them across scale-up
// domains: a rack is one "server" of g GPUs on NVLink (data/catalog GB200: 900 GB/s per GPU per direction, taken
// raw: NCCL's NVLS reduces in the NVSwitch, 834.6 GB/s busbw on one 72-GPU rack = 0.93 of it) with one 400G NIC per
// GPU (50 GB/s) on a non-blocking fabric, alpha = calibration network_alpha_s (5 us), 2 us per NVLink step.
// All-reduce: hierarchical (reduce-scatter in the rack, ring across racks, all-gather); all-to-all: direct (the
// cross-rack share on the NICs, the in-rack share on NVLink). Predictions, nothing fitted to them.
TEST(NcclAtScale, Gb200RacksAgainstNcclTests) {
  struct Case {
    int racks;
    int gpus_per_rack;
    CollectiveOp op;
    double bytes;
    double published_ns;  ///< nccl-tests out-of-place time (us column) x 1e3
    double tolerance;
    const char* what;
  };
  const Case cases[] = {
      // OCI GB200 (oracle-quickstart/oci-gpu-quickstarts@6a0abdc, nvidia/GB200/README-GB200.md), NCCL 2.27.3
      {2, 64, CollectiveOp::kAllReduce, 8 * kGiB, 21313e3, 0.10, "OCI GB200 128 GPUs all-reduce 8 GiB"},
      {3, 64, CollectiveOp::kAllReduce, 8 * kGiB, 22820e3, 0.10, "OCI GB200 192 GPUs all-reduce 8 GiB"},
      {2, 64, CollectiveOp::kAllToAll, 8 * kGiB, 95018e3, 0.10, "OCI GB200 128 GPUs all-to-all 8 GiB"},
      {3, 64, CollectiveOp::kAllToAll, 8 * kGiB, 136749e3, 0.20, "OCI GB200 192 GPUs all-to-all 8 GiB"},
      // CoreWeave GB200 NVL72, Quantum-X800 + SHARP (coreweave/nccl-tests@cb86553, README.md), NCCL 2.26.2
      {2, 72, CollectiveOp::kAllReduce, 16 * kGiB, 42067e3, 0.10, "CoreWeave GB200 144 GPUs all-reduce 16 GiB"},
  };
  for (const Case& c : cases) {
    const std::string out = test::run_in_child([&] {
      auto e = make_engine();
      const Platform plat = switch_platform(c.racks, c.gpus_per_rack, 50e9);
      const CollectiveAlgo algo =
          c.op == CollectiveOp::kAllReduce ? CollectiveAlgo::kHierarchical : CollectiveAlgo::kDirect;
      return std::to_string(run_collective(plat.servers, c.op, algo, c.bytes, c.gpus_per_rack, 5e-6, 2e-6, 900e9));
    });
    expect_close(c.what, std::stod(out), c.published_ns, c.tolerance, "NCCL");
  }
}

// The miss: 20 racks (1,440 GPUs) take 84.6 ms for 16 GiB where 2 racks take 42.1 ms; the model's cross-rack ring
// grows only from 4.8 to 9.1 ms of the ~47 ms, so it predicts about half the published time (printed, bounded so a
// change of the model shows: the gap is the note's open item, not a tuning target).
TEST(NcclAtScale, TwentyRacksAreTwiceAsSlowAsTheModelSays) {
  const std::string out = test::run_in_child([] {
    auto e = make_engine();
    const Platform plat = switch_platform(20, 72, 50e9);
    return std::to_string(run_collective(plat.servers, CollectiveOp::kAllReduce, CollectiveAlgo::kHierarchical,
                                         16 * kGiB, 72, 5e-6, 2e-6, 900e9));
  });
  const double ours_s = std::stod(out), published_s = 84.625e-3;
  std::printf("CoreWeave GB200 1,440 GPUs all-reduce 16 GiB   clustersim %.6f s  NCCL %.6f s  %+.2f %%\n", ours_s,
              published_s, 100 * (ours_s / published_s - 1));
  EXPECT_GT(ours_s / published_s, 0.45);
  EXPECT_LT(ours_s / published_s, 0.65);
}

}  // namespace
}  // namespace clustersim
