// A colocated service as one actor (the event loop of inference_service.cpp) against the same service as an
// actor per replica, a router and a sampler: the Azure conversation trace at 200 requests/s on 16 replicas of
// Llama 3 70B (experiments/fleet-h100-70b.yaml, 3 minutes), least-loaded routing, and the same on Poisson
// arrivals with round-robin routing. Each run is a child process (one SimGrid engine per process); what it
// returns is every request's replica, first-token and finish times, and the replicas' counters.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "sim/config/experiment_loader.hpp"
#include "sim/engine/inference_service.hpp"
#include "sim/engine/placement.hpp"
#include "sim/engine/service_builder.hpp"
#include "sim/setup/feasibility.hpp"
#include "tests/unit/simgrid_test_util.hpp"
#include "topologies/simgrid_platform.hpp"

namespace clustersim {
namespace {

namespace sg4 = simgrid::s4u;

/// Runs the service and prints what it did as text (one line per request, then per replica).
std::string run_service(const std::vector<std::string>& sets, bool actor_per_replica) {
  std::vector<Override> overrides;
  for (const auto& text : sets) {
    Override o;
    std::string error;
    if (!parse_override(text, o, error)) return "bad override " + text;
    overrides.push_back(o);
  }
  const LoadedExperiment exp = load_experiment(data_dir() + "/../experiments/fleet-h100-70b.yaml", overrides);
  auto engine = test::make_engine();
  FatTreeParams fp;
  fp.servers = exp.spec.cluster.servers;
  fp.radix = 64;
  fp.nics_per_server = 8;
  fp.tiers = 2;
  const Platform plat = instantiate_platform(build_fat_tree(fp), PlatformParams{});
  const InferenceServiceSpec& ss = exp.spec.inference.at(0);
  std::vector<ReplicaSlot> slots;
  for (int r = 0; r < ss.replicas; ++r) slots.push_back({r, 0});
  PowerTracker tracker;
  auto svc =
      build_inference_service(ss, exp.catalog.models.at(ss.model), exp.catalog.accelerators.at(exp.spec.cluster.gpu),
                              exp.catalog.calibration.for_accelerator(exp.spec.cluster.gpu),
                              exp.catalog.engines.at(ss.engine), slots, plat.servers, tracker, exp.spec.duration_s, 7);
  svc->frontend = plat.frontend;
  svc->actor_per_replica = actor_per_replica;
  launch_inference_service(*svc, tracker, exp.spec.duration_s, exp.spec.output.sample_interval_s);
  // As the power sampler of a run: an actor that is not a daemon lives to the end (the replica actors are
  // daemons, killed when the last other actor ends).
  sg4::Actor::create("keep-alive", plat.frontend,
                     [end_s = exp.spec.duration_s] { sg4::this_actor::sleep_until(end_s); });
  engine->run_until(exp.spec.duration_s);
  std::string out;
  char line[160];
  for (const ServingRequest& r : svc->requests) {
    std::snprintf(line, sizeof line, "%d %.17g %.17g %d\n", r.replica, r.first_token_s, r.done_s, r.generated);
    out += line;
  }
  for (const ReplicaRuntime& rep : svc->replicas) {
    std::snprintf(line, sizeof line, "%ld %ld %.17g %.17g\n", rep.iterations, rep.steps, rep.busy_s,
                  rep.kv_peak_tokens);
    out += line;
  }
  for (size_t i = 0; i < svc->samples.time_s.size(); ++i) {
    std::snprintf(line, sizeof line, "%.17g %.17g %.17g\n", svc->samples.waiting[i], svc->samples.running[i],
                  svc->samples.kv_use[i]);
    out += line;
  }
  std::snprintf(line, sizeof line, "routed %zu finished %zu\n", svc->routed, svc->finished);
  return out + line;
}

void expect_same_run(const std::vector<std::string>& sets) {
  const std::string loop = test::run_in_child([&] { return run_service(sets, false); });
  const std::string actors = test::run_in_child([&] { return run_service(sets, true); });
  ASSERT_GT(loop.size(), 10000u) << loop.substr(0, 200);  // thousands of requests
  EXPECT_NE(loop.rfind("\n-1 ", 0), 0u);                  // every request routed
  const size_t at = std::mismatch(loop.begin(), loop.end(), actors.begin(), actors.end()).first - loop.begin();
  EXPECT_TRUE(loop == actors) << "first difference at byte " << at << ":\n"
                              << loop.substr(loop.rfind('\n', at) + 1, 300) << "\n--- actor per replica:\n"
                              << actors.substr(actors.rfind('\n', at) + 1, 300);
}

TEST(ColocatedService, OneActorLoopMatchesActorPerReplicaOnTrace) {
  expect_same_run({"duration=3min", "output.sample_interval=10s"});
}

TEST(ColocatedService, OneActorLoopMatchesActorPerReplicaOnPoissonRoundRobin) {
  expect_same_run({"duration=3min", "output.sample_interval=7s", "workload.inference[0].router=round-robin",
                   "workload.inference[0].arrivals.kind=poisson", "workload.inference[0].arrivals.scale=1",
                   "workload.inference[0].arrivals.rate=150"});
}

}  // namespace
}  // namespace clustersim
