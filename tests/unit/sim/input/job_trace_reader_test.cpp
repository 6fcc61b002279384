// Job traces: the shipped Alibaba openb pod list (counts and rows checked by hand against the CSV) and CSVs of
// submit, gpus, run in any column order; every bad input is an error at path:line with a hint.
#include "sim/input/job_trace_reader.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "common/diagnostics.hpp"
#include "sim/config/experiment_loader.hpp"

using namespace clustersim;

namespace {

std::string write_csv(const std::string& name, const std::string& text) {
  const std::string path = testing::TempDir() + "/" + name;
  std::ofstream(path) << text;
  return path;
}

/// The error read_job_trace throws for `text` written to `name` (fails the test when it reads).
ConfigError csv_error(const std::string& name, const std::string& text) {
  try {
    read_job_trace(write_csv(name, text), "");
  } catch (const ConfigError& e) {
    return e;
  }
  ADD_FAILURE() << name << " was read";
  return ConfigError(Diagnostics{});
}

const JobArrival* find(const std::vector<JobArrival>& jobs, const std::string& source) {
  for (const auto& j : jobs)
    if (j.source == source) return &j;
  return nullptr;
}

}  // namespace

TEST(JobTrace, OpenbKeepsTheGpuPodsThatRan) {
  EXPECT_EQ(job_trace_path("openb", "/d"), "/d/traces/alibaba-gpu-v2023-openb/openb_pod_list_default.csv");
  EXPECT_EQ(job_trace_path("my.csv", "/d"), "my.csv");
  const auto jobs = read_job_trace("openb", data_dir());
  // 8,152 pods: 1,088 CPU-only, 7,064 with GPUs, one of which (openb-pod-7285, Pending) has run 0.
  ASSERT_EQ(jobs.size(), 7063u);
  std::map<int, int> sizes;
  for (size_t i = 0; i < jobs.size(); ++i) {
    ++sizes[jobs[i].gpus];
    if (i > 0) {
      EXPECT_GE(jobs[i].submit_s, jobs[i - 1].submit_s);
    }
  }
  EXPECT_EQ(sizes, (std::map<int, int>{{1, 6988}, {2, 16}, {4, 15}, {8, 44}}));
  // openb-pod-0000,12000,16384,1,1000,,LS,Running,0,12537496,0
  EXPECT_EQ(jobs.front().source, "openb-pod-0000");
  EXPECT_EQ(jobs.front().submit_s, 0);
  EXPECT_EQ(jobs.front().gpus, 1);
  EXPECT_EQ(jobs.front().run_s, 12537496);
  // openb-pod-8151,3152,5600,1,590,,BE,Failed,12901761,12901792,12901762 (a 0.59 GPU share: one GPU)
  EXPECT_EQ(jobs.back().source, "openb-pod-8151");
  EXPECT_EQ(jobs.back().submit_s, 12901761);
  EXPECT_EQ(jobs.back().gpus, 1);
  EXPECT_EQ(jobs.back().run_s, 30);
  // openb-pod-0017,88000,327680,8,1000,,Burstable,Succeeded,9437497,10769854,9437497
  const JobArrival* eight = find(jobs, "openb-pod-0017");
  ASSERT_NE(eight, nullptr);
  EXPECT_EQ(eight->gpus, 8);
  EXPECT_EQ(eight->run_s, 10769854 - 9437497);
  // openb-pod-0061,11908,47104,1,1000,,BE,Pending,10001278,10001403, (never scheduled: from its creation)
  const JobArrival* pending = find(jobs, "openb-pod-0061");
  ASSERT_NE(pending, nullptr);
  EXPECT_EQ(pending->run_s, 125);
  EXPECT_EQ(find(jobs, "openb-pod-7285"), nullptr);  // deleted when created
}

TEST(JobTrace, CsvColumnsInAnyOrderExtraColumnsIgnoredSortedBySubmit) {
  const std::string path = write_csv("shuffled.csv",
                                     "run, note ,gpus,submit\r\n"
                                     "3600,first row,8,100\r\n"
                                     "\n"
                                     "60,x,1,0\r\n"
                                     "7.5,y,16,100\r\n");
  const auto jobs = read_job_trace(path, "");
  ASSERT_EQ(jobs.size(), 3u);
  EXPECT_EQ(jobs[0].submit_s, 0);
  EXPECT_EQ(jobs[0].gpus, 1);
  EXPECT_EQ(jobs[0].run_s, 60);
  EXPECT_EQ(jobs[0].source, "shuffled.csv:4");
  EXPECT_EQ(jobs[1].source, "shuffled.csv:2");  // ties keep their file order
  EXPECT_EQ(jobs[1].run_s, 3600);
  EXPECT_EQ(jobs[1].gpus, 8);
  EXPECT_EQ(jobs[2].run_s, 7.5);
  EXPECT_EQ(jobs[2].gpus, 16);

  const auto named = read_job_trace(write_csv("named.csv", "gpus,name,submit,run\n4,job-a,1e3,2.5e2\n"), "");
  ASSERT_EQ(named.size(), 1u);
  EXPECT_EQ(named[0].source, "job-a");
  EXPECT_EQ(named[0].submit_s, 1000);
  EXPECT_EQ(named[0].run_s, 250);
}

TEST(JobTrace, EachErrorNamesPathAndLine) {
  struct Case {
    const char* name;
    std::string text;
    int line;
    const char* says;
  };
  const std::vector<Case> cases = {
      {"nocol.csv", "submit,gpu,run\n0,1,5\n", 1, "no column 'gpus'"},
      {"word.csv", "submit,gpus,run\n0,1,5\n10,eight,5\n", 3, "gpus 'eight' is not a number"},
      {"tail.csv", "submit,gpus,run\n0,1,5s\n", 2, "run '5s' is not a number"},
      {"inf.csv", "submit,gpus,run\n0,1,inf\n", 2, "not finite"},
      {"negsubmit.csv", "submit,gpus,run\n-1,1,5\n", 2, "submit -1 is negative"},
      {"negrun.csv", "submit,gpus,run\n0,1,5\n1,1,-5\n", 3, "run -5 is negative"},
      {"zerorun.csv", "submit,gpus,run\n0,1,0\n", 2, "run 0 s"},
      {"zerogpus.csv", "submit,gpus,run\n0,0,5\n", 2, "at least 1 GPU"},
      {"halfgpu.csv", "submit,gpus,run\n0,0.5,5\n", 2, "not a whole number of GPUs"},
      {"fields.csv", "submit,gpus,run\n0,1,5,9\n", 2, "4 fields, the header 3"},
      {"nojobs.csv", "submit,gpus,run\n", 1, "no jobs"},
      {"empty.csv", "", 1, "empty"},
  };
  for (const auto& c : cases) {
    const ConfigError e = csv_error(c.name, c.text);
    ASSERT_EQ(e.diagnostics().size(), 1u) << c.name << "\n" << e.what();
    const Diagnostic& d = e.diagnostics().items()[0];
    EXPECT_EQ(d.location.line, c.line) << c.name;
    EXPECT_NE(d.message.find(c.says), std::string::npos) << c.name << ": " << d.message;
    EXPECT_FALSE(d.hint.empty()) << c.name;
    const std::string where = testing::TempDir() + "/" + c.name + ":" + std::to_string(c.line) + ":";
    EXPECT_NE(std::string(e.what()).find(where), std::string::npos) << e.what();
  }
  // A misspelt column gets a suggestion; the hint says what is expected.
  EXPECT_NE(
      csv_error("hint.csv", "submit,gpu,run\n").diagnostics().items()[0].hint.find("is column 'gpu' meant as 'gpus'?"),
      std::string::npos);
  // A missing file, at line 0.
  try {
    read_job_trace(testing::TempDir() + "/absent.csv", "");
    ADD_FAILURE() << "read";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("absent.csv: error: cannot read job trace file"), std::string::npos)
        << e.what();
  }
  // A missing named trace: the data folder is the caller's.
  EXPECT_THROW(read_job_trace("openb", testing::TempDir() + "/no-data"), ConfigError);
}

TEST(JobTrace, ManyBadRowsAreCountedAfterTheFirstFive) {
  std::string text = "submit,gpus,run\n";
  for (int i = 0; i < 8; ++i) text += "0,x,5\n";
  const ConfigError e = csv_error("many.csv", text);
  ASSERT_EQ(e.diagnostics().size(), 6u);
  EXPECT_EQ(e.diagnostics().items()[4].location.line, 6);
  EXPECT_NE(e.diagnostics().items()[5].message.find("and 3 more bad rows (8 in all)"), std::string::npos);
  EXPECT_EQ(e.diagnostics().items()[5].location.line, 9);
}

TEST(JobTrace, OpenbFormatErrorsNameTheirLine) {
  const std::string header =
      "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time\n";
  const std::string path = write_csv("pods.csv", header +
                                                     "p0,1,1,0,0,,LS,Running,0,10,\n"         // CPU-only: skipped
                                                     "p1,1,1,1,500,,LS,Running,5,20,6\n"      // half a GPU: one
                                                     "p2,1,1,2,1000,,LS,Running,7,bad,7\n");  // an error
  try {
    read_openb_pod_list(path);
    ADD_FAILURE() << "read";
  } catch (const ConfigError& e) {
    ASSERT_EQ(e.diagnostics().size(), 1u) << e.what();
    EXPECT_EQ(e.diagnostics().items()[0].location.line, 4);
    EXPECT_NE(e.diagnostics().items()[0].message.find("deletion_time 'bad'"), std::string::npos);
  }
  const auto jobs = read_openb_pod_list(write_csv("pods2.csv", header + "p1,1,1,1,500,,LS,Running,5,20,6\n"));
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].gpus, 1);
  EXPECT_EQ(jobs[0].run_s, 14);
}
