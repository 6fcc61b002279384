// Workloads as plug-ins (sim/engine/workload.hpp): the registry, placement through one ServerAllocator in
// registry order, the service seeds, the power tracker's invariants, and the engine's debug logs at phase
// boundaries (off by default, on with --log=clustersim.thres:debug).
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/engine/engine_config.hpp"
#include "sim/engine/placement.hpp"
#include "sim/engine/power_tracker.hpp"
#include "sim/engine/simulation.hpp"
#include "sim/engine/workload_registry.hpp"
#include "sim/engine/workloads/inference_workload.hpp"
#include "sim/engine/workloads/training_workload.hpp"
#include "sim/setup/feasibility.hpp"
#include "spec/cluster_pools.hpp"

namespace clustersim {
namespace {

TEST(WorkloadRegistry, TrainingThenInferenceWithDescriptions) {
  const auto& kinds = workload_kinds();
  ASSERT_EQ(kinds.size(), 2u);
  EXPECT_STREQ(kinds[0].name, "training");  // placed first: whole servers from server 0
  EXPECT_STREQ(kinds[1].name, "inference");
  for (const auto& k : kinds) {
    EXPECT_GT(std::string(k.description).size(), 10u) << k.name;
    EXPECT_EQ(find_workload_kind(k.name), &k);
  }
  EXPECT_EQ(find_workload_kind("scheduler"), nullptr);

  ExperimentSpec spec;
  EXPECT_TRUE(make_workloads(spec).empty());  // a kind without entries is skipped
  spec.inference.emplace_back();
  auto workloads = make_workloads(spec);
  ASSERT_EQ(workloads.size(), 1u);
  EXPECT_STREQ(workloads[0]->kind(), "inference");
  spec.training.emplace_back();
  workloads = make_workloads(spec);
  ASSERT_EQ(workloads.size(), kinds.size());
  for (size_t i = 0; i < kinds.size(); ++i) EXPECT_STREQ(workloads[i]->kind(), kinds[i].name);
}

/// Places the workloads of `spec` as run_experiment does; returns the allocator.
SiteAllocator place(const ExperimentSpec& spec, std::vector<std::unique_ptr<Workload>>& workloads) {
  workloads = make_workloads(spec);
  SiteAllocator servers(site_pools(spec.cluster), spec.cluster.gpus_per_server);
  for (auto& w : workloads) w->place(servers);
  servers.check_fits();
  return servers;
}

TEST(Placement, TrainingWholeServersThenPackedReplicas) {
  ExperimentSpec s;
  s.cluster.servers = 4;
  s.cluster.gpus_per_server = 8;
  TrainingJobSpec j;
  j.gpus = 16;
  s.training.push_back(j);
  InferenceServiceSpec i;
  i.replicas = 5;
  i.tp = 2;
  s.inference.push_back(i);
  std::vector<std::unique_ptr<Workload>> w;
  const SiteAllocator servers = place(s, w);
  const auto& training = dynamic_cast<const TrainingWorkload&>(*w[0]);
  ASSERT_EQ(w.size(), 2u);
  const auto& inference = dynamic_cast<const InferenceWorkload&>(*w[1]);
  ASSERT_EQ(training.job_servers()[0], (std::vector<int>{0, 1}));
  // Replicas of 2 GPUs: 4 fit on server 2 (GPUs 0, 2, 4, 6), the fifth goes to server 3.
  const auto& slots = inference.replica_slots()[0];
  ASSERT_EQ(slots.size(), 5u);
  EXPECT_EQ(slots[3].server, 2);
  EXPECT_EQ(slots[3].first_gpu, 6);
  EXPECT_EQ(slots[4].server, 3);
  EXPECT_EQ(servers.servers_used()[0], 4);
  s.inference[0].replicas = 9;  // needs a fifth server
  EXPECT_THROW(place(s, w), std::invalid_argument);
}

TEST(Placement, EachPoolPlacesOnItsOwnServers) {
  ExperimentSpec s;
  s.cluster.servers = 6;
  s.cluster.gpus_per_server = 8;
  PoolSpec h20;
  h20.name = "h20";
  h20.servers = 4;  // servers 2-5; the main pool keeps 0-1
  s.cluster.pools.push_back(h20);
  TrainingJobSpec j;
  j.gpus = 16;
  s.training.push_back(j);  // main pool: servers 0, 1
  InferenceServiceSpec i;
  i.replicas = 5;
  i.tp = 2;
  i.pool = "h20";
  s.inference.push_back(i);  // h20: 4 on server 2, the fifth on server 3
  std::vector<std::unique_ptr<Workload>> w;
  const SiteAllocator servers = place(s, w);
  EXPECT_EQ(dynamic_cast<const TrainingWorkload&>(*w[0]).job_servers()[0], (std::vector<int>{0, 1}));
  const auto& slots = dynamic_cast<const InferenceWorkload&>(*w[1]).replica_slots()[0];
  EXPECT_EQ(slots[0].server, 2);
  EXPECT_EQ(slots[4].server, 3);
  EXPECT_EQ(servers.servers_used(), (std::vector<int>{2, 2}));
  s.inference[0].replicas = 17;  // 34 GPUs: 5 servers, and the h20 pool has 4
  try {
    place(s, w);
    ADD_FAILURE() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("pool 'h20'"), std::string::npos) << e.what();
  }
}

TEST(Placement, DecodePoolStartsOnAFreshServer) {
  ExperimentSpec s;
  s.cluster.servers = 4;
  s.cluster.gpus_per_server = 8;
  InferenceServiceSpec i;
  i.replicas = 6;
  i.tp = 2;
  i.prefill_replicas = 2;  // GPUs 0-3 of server 0; the decode pool starts on server 1
  i.decode_replicas = 4;
  s.inference.push_back(i);
  std::vector<std::unique_ptr<Workload>> w;
  const SiteAllocator servers = place(s, w);
  ASSERT_EQ(w.size(), 1u);  // no training
  const auto& slots = dynamic_cast<const InferenceWorkload&>(*w[0]).replica_slots()[0];
  ASSERT_EQ(slots.size(), 6u);
  EXPECT_EQ(slots[1].server, 0);
  EXPECT_EQ(slots[1].first_gpu, 2);
  EXPECT_EQ(slots[2].server, 1);
  EXPECT_EQ(slots[2].first_gpu, 0);
  EXPECT_EQ(slots[5].server, 1);
  EXPECT_EQ(slots[5].first_gpu, 6);
  EXPECT_EQ(servers.servers_used()[0], 2);
}

TEST(Placement, WholeServersSkipAPartlyUsedServer) {
  ServerAllocator a(8);
  EXPECT_EQ(a.gpus(2).server, 0);
  EXPECT_EQ(a.servers_used(), 1);
  EXPECT_EQ(a.whole_servers(2), (std::vector<int>{1, 2}));
  EXPECT_EQ(a.gpus(8).server, 3);
  EXPECT_EQ(a.gpus(1).server, 4);  // server 3 is full
  EXPECT_EQ(a.servers_used(), 5);
  EXPECT_NO_THROW(a.check_fits(5));
  EXPECT_THROW(a.check_fits(4), std::invalid_argument);
}

TEST(Workloads, ServiceSeedsStayPut) {
  // Arrivals of every shipped experiment depend on these: a change moves every inference number.
  EXPECT_EQ(service_seed(42, 0), 42u * 1000003u + 1u);
  EXPECT_EQ(service_seed(1, 2), 1000003u + 2u * 7919u + 1u);
}

TEST(PowerTrackerDeathTest, TimeRunningBackwardsAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  PowerTracker t;
  const int g = t.add_group(8);
  t.set_activity(g, 1.0, 5.0);
  EXPECT_DEATH(t.set_activity(g, 0.5, 4.0), "time runs backwards");
  EXPECT_DEATH(t.integral(1.0), "time runs backwards");
}

TEST(PowerTrackerDeathTest, NegativeActivityAndUnknownGroupAbort) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  PowerTracker t;
  const int g = t.add_group(8);
  EXPECT_DEATH(t.set_activity(g, -0.5, 1.0), "not >= 0");
  EXPECT_DEATH(t.set_activity(g + 1, 0.5, 1.0), "power group 1 of 1");
  t.set_activity(g, 1e-12, 1.0);  // rounding of sums and differences passes
  t.set_activity(g, -1e-12, 2.0);
  EXPECT_NEAR(t.integral(3.0), 0, 1e-15);  // 8e-12 x 1 s - 8e-12 x 1 s
}

/// Runs the shipped experiment `name` with `overrides` and `simgrid_args`; returns stderr.
std::string run_shipped(const std::string& name, const std::vector<Override>& overrides,
                        const std::vector<std::string>& simgrid_args) {
  const std::string path = (std::filesystem::path(data_dir()).parent_path() / "experiments" / name).string();
  const LoadedExperiment exp = load_experiment(path, overrides);
  RunOptions options;
  options.progress = false;
  options.simgrid_args = simgrid_args;
  testing::internal::CaptureStderr();
  const RunResults r = run_experiment(exp, options);
  const std::string err = testing::internal::GetCapturedStderr();
  EXPECT_TRUE(r.record.has_value() && !r.record->power_samples.empty());
  return err;
}

/// The quickstart (training + inference) for 5 simulated seconds.
std::string run_quickstart(const std::vector<std::string>& simgrid_args) {
  return run_shipped("quickstart.yaml", {{"duration", "5s"}}, simgrid_args);
}

TEST(EngineLogs, LogSettingsCheckedAsSimGridParsesThem) {
  std::string e;
  for (const char* ok : {"clustersim.thres:debug", "cs_training_job.thres:VERBOSE", "root.threshold=info",
                         "clustersim.app:file:/tmp/x.log", "clustersim.fmt:%m%n", "clustersim.add:off", "no_loc",
                         "clustersim.thres:debug cs_power_tracker.thres:critical"})
    EXPECT_TRUE(check_log_setting(ok, e)) << ok << ": " << e;
  // Each of these aborts the process inside SimGrid (SIGABRT) if it gets that far.
  for (const char* bad : {"foo", "clustersim:debug", ".thres:debug", "clustersim.thres:loud", "clustersim.colour:red",
                          "clustersim.app:stderr", ""})
    EXPECT_FALSE(check_log_setting(bad, e)) << bad;
  EXPECT_FALSE(check_log_setting("clustersim.thres:loud", e));
  EXPECT_NE(e.find("unknown level 'loud'"), std::string::npos) << e;
}

/// `err` without the AddressSanitizer runtime's notes on SimGrid's context switches (ASan builds print them on
/// stderr: "==PID==WARNING: ASan is ignoring requested __asan_handle_no_return ..." and two more lines).
std::string without_sanitizer_notes(const std::string& err) {
  std::string out, line;
  std::istringstream in(err);
  while (std::getline(in, line))
    if (line.rfind("==", 0) != 0 && line.find("False positive error reports may follow") == std::string::npos &&
        line.find("github.com/google/sanitizers/issues/189") == std::string::npos)
      out += line + "\n";
  return out;
}

TEST(EngineLogs, SilentByDefault) { EXPECT_EQ(without_sanitizer_notes(run_quickstart({})), ""); }

TEST(EngineLogs, PhaseBoundariesAtDebug) {
  const std::string err = run_quickstart({"--log=clustersim.thres:debug"});
  for (const char* line :
       {"[cs_simulation/VERBOSE] platform built: 32 servers (32 used by the workloads)",
        "[cs_training_workload/VERBOSE] training job 'llama3-8b-pretrain' launched",
        "[cs_simulation/VERBOSE] workload 'training' launched",
        "[cs_inference_workload/VERBOSE] inference service 'chat-8b' launched",
        "[cs_simulation/VERBOSE] workload 'inference' launched",
        "[cs_training_job/VERBOSE] job 'llama3-8b-pretrain' step 0 done",
        "[cs_inference_service/VERBOSE] service 'chat-8b': all ", "[cs_simulation/VERBOSE] engine stopped at 5 s",
        "[cs_simulation/VERBOSE] results built: 1 training jobs, 1 inference services"})
    EXPECT_NE(err.find(line), std::string::npos) << line << "\n--- stderr:\n" << err.substr(0, 4000);
}

TEST(EngineLogs, ServiceDrained) {
  // Anchor I4 with 300 requests queued at t = 0: all done long before the 2,000 s run ends.
  const std::string err =
      run_shipped("validation/i4-llama3.1-8b-tp1-128-128.yaml", {{"workload.inference[0].arrivals.requests", "300"}},
                  {"--log=cs_inference_service.thres:verbose"});
  EXPECT_NE(err.find("[cs_inference_service/VERBOSE] service 'bench' drained: 300 requests routed and done"),
            std::string::npos)
      << err;
  EXPECT_EQ(err.find("cs_simulation"), std::string::npos) << "one file's category only";
}

}  // namespace
}  // namespace clustersim
