// Training jobs arriving over time (sim/setup/job_streams): a stream's arrivals become jobs with a layout that
// fits their size, seeded from the experiment; the loader refuses a stream without a scheduler, a size that
// cannot fit in HBM or in the scheduler's servers, and a bad trace, at the stream's keys.
#include "sim/setup/job_streams.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "common/diagnostics.hpp"
#include "sim/setup/feasibility.hpp"

namespace clustersim {
namespace {

namespace fs = std::filesystem;

const char* kStream = R"(name: s
seed: 3
duration: 6h
cluster: {gpu: H100-SXM, servers: 64}
scheduler: {policy: backfill}
workload:
  job_streams:
    - name: dev
      model: llama3-8b
      interarrival: 5min
      gpus: {8: 0.5, 12: 0.25, 64: 0.25}
      run_time_median: 20min
      run_time_mean: 1h
)";

// Files named per process: ctest runs the tests of this file side by side.
std::string write(const std::string& name, const std::string& text) {
  const fs::path p = fs::path(testing::TempDir()) / (std::to_string(getpid()) + "_" + name);
  std::ofstream(p) << text;
  return p.string();
}

std::string first_error(const std::string& yaml, const std::vector<Override>& sets = {}) {
  try {
    load_experiment(write("clustersim_stream.yaml", yaml), sets);
  } catch (const ConfigError& e) {
    return e.diagnostics().items().empty()
               ? ""
               : e.diagnostics().items()[0].key_path + ": " + e.diagnostics().items()[0].message;
  }
  return "";
}

TEST(JobStreams, ArrivalsBecomeJobsWithALayoutThatFitsTheirSize) {
  const LoadedExperiment exp = load_experiment(write("clustersim_stream.yaml", kStream));
  const auto& jobs = exp.spec.training;
  ASSERT_GT(jobs.size(), 50u);  // ~72 expected in 6 h at one per 5 min
  ASSERT_LT(jobs.size(), 100u);
  double last = 0;
  int twelve = 0;
  for (size_t k = 0; k < jobs.size(); ++k) {
    const TrainingJobSpec& j = jobs[k];
    EXPECT_EQ(j.name, "dev-" + std::to_string(k + 1));
    EXPECT_GE(j.start_s, last);  // submit order
    last = j.start_s;
    EXPECT_LT(j.start_s, 6 * 3600.0);
    EXPECT_EQ(j.gpus, j.tp * j.pp * j.dp);
    EXPECT_EQ(j.tp, 8);
    EXPECT_EQ(j.global_batch, 16 * j.dp);
    EXPECT_EQ(j.seq_len, 8192);  // the model's
    EXPECT_GE(j.run_time_s, 60.0);
    EXPECT_EQ(j.steps, 0);
    EXPECT_EQ(j.detailed_steps, 1);
    if (j.gpus == 16) ++twelve;  // 12 GPUs asked: tp 8, dp 2
    EXPECT_TRUE(j.gpus == 8 || j.gpus == 16 || j.gpus == 64) << j.gpus;
  }
  EXPECT_GT(twelve, 0);
  // Same seed, same jobs; another seed, other jobs.
  const LoadedExperiment again = load_experiment(write("clustersim_stream.yaml", kStream));
  ASSERT_EQ(again.spec.training.size(), jobs.size());
  for (size_t k = 0; k < jobs.size(); ++k) EXPECT_EQ(again.spec.training[k].start_s, jobs[k].start_s);
  const LoadedExperiment other = load_experiment(write("clustersim_stream.yaml", kStream), {{"seed", "4"}});
  EXPECT_NE(other.spec.training.front().start_s, jobs.front().start_s);
}

TEST(JobStreams, SmallJobsTakeThePowerOfTwoBelowTheirSize) {
  const std::string csv = write("clustersim_jobs.csv", "submit,gpus,run\n0,1,600\n10,3,600\n20,24,600\n");
  std::string yaml = kStream;
  yaml += "      trace: " + csv + "\n";
  const LoadedExperiment exp =
      load_experiment(write("clustersim_stream.yaml", yaml), {{"workload.job_streams[0].model", "megatron-gpt-1.7b"}});
  const auto& jobs = exp.spec.training;
  ASSERT_EQ(jobs.size(), 3u);
  EXPECT_EQ(jobs[0].tp * 100 + jobs[0].dp, 101);  // 1 GPU
  EXPECT_EQ(jobs[1].tp * 100 + jobs[1].dp, 202);  // 3 GPUs asked: tp 2, dp 2
  EXPECT_EQ(jobs[2].tp * 100 + jobs[2].dp, 803);  // 24
  EXPECT_EQ(jobs[1].start_s, 10);
  EXPECT_EQ(jobs[1].run_time_s, 600);
}

TEST(JobStreams, InputErrorsAtTheStreamsKeys) {
  EXPECT_NE(first_error(kStream, {{"scheduler.policy", "none"}}).find("needs a scheduler"), std::string::npos);
  EXPECT_NE(first_error(kStream, {{"workload.job_streams[0].run_time_mean", "10min"}})
                .find("workload.job_streams[0].run_time_mean: the mean run time"),
            std::string::npos);
  // 64 servers x 8 GPUs: a 1,024-GPU job could never start.
  std::string big = kStream;
  big.replace(big.find("64: 0.25}"), 9, "1024: 0.25}");
  EXPECT_NE(first_error(big).find("workload.job_streams[0].gpus: a job of 1024 GPUs needs 128 servers"),
            std::string::npos);
  // llama3-8b on one GPU: weights, gradients and optimizer do not fit in 80 GB.
  std::string one = kStream;
  one.replace(one.find("8: 0.5"), 6, "1: 0.5");
  EXPECT_NE(first_error(one).find("workload.job_streams[0].gpus: a job of 1 GPUs"), std::string::npos);
  // Absurd streams are refused by the run budget before anything is drawn.
  EXPECT_NE(first_error(kStream, {{"workload.job_streams[0].interarrival", "1ms"}, {"duration", "24h"}})
                .find("workload.job_streams[0].interarrival: the run would need about"),
            std::string::npos);
  std::string missing = kStream;
  missing += "      trace: no-such-jobs.csv\n";
  EXPECT_NE(first_error(missing).find("workload.job_streams[0].trace: job trace"), std::string::npos);
}

}  // namespace
}  // namespace clustersim
