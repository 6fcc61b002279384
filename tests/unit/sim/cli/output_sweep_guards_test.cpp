// Guards around results files and sweeps: --shard auto under a resubmitted SLURM array, stale temporaries of
// dead writers, the output path check, SimGrid's bad-key message.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "sim/cli/simgrid_cfg.hpp"
#include "sim/output/output_path.hpp"
#include "sim/results/results.hpp"
#include "sim/sweep/sweep_plan.hpp"

namespace fs = std::filesystem;
using namespace clustersim;

namespace {

struct ScopedEnv {
  explicit ScopedEnv(std::initializer_list<std::pair<const char*, const char*>> vars) {
    for (const char* n : {"SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT", "SLURM_ARRAY_TASK_MAX",
                          "SLURM_ARRAY_TASK_MIN", "CLUSTERSIM_SHARDS", "SLURM_PROCID", "SLURM_NTASKS"})
      unsetenv(n);
    for (const auto& [n, v] : vars) setenv(n, v, 1);
  }

  ~ScopedEnv() {
    for (const char* n : {"SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT", "SLURM_ARRAY_TASK_MAX",
                          "SLURM_ARRAY_TASK_MIN", "CLUSTERSIM_SHARDS", "SLURM_PROCID", "SLURM_NTASKS"})
      unsetenv(n);
  }
};

fs::path fresh_dir(const std::string& name) {
  const fs::path d = fs::temp_directory_path() / (name + "." + std::to_string(getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

pid_t dead_pid() {
  const pid_t pid = fork();
  if (pid == 0) _exit(0);
  int status = 0;
  waitpid(pid, &status, 0);
  return pid;
}

std::string host() {
  char buf[256] = {};
  gethostname(buf, sizeof buf - 1);
  std::string h(buf);
  return h.substr(0, h.find('.'));
}

}  // namespace

TEST(ShardAuto, ResubmittingSomeIdsKeepsTheShardCount) {
  Shard s;
  std::string err;
  {
    // sbatch --array=1,4 after a first --array=0-4: 2 tasks, ids 1 and 4. Before: "bad shard 4/2".
    ScopedEnv env({{"SLURM_ARRAY_TASK_ID", "4"},
                   {"SLURM_ARRAY_TASK_COUNT", "2"},
                   {"SLURM_ARRAY_TASK_MAX", "4"},
                   {"SLURM_ARRAY_TASK_MIN", "1"}});
    ASSERT_TRUE(parse_shard("auto", s, err)) << err;
    EXPECT_EQ(s.index, 4);
    EXPECT_EQ(s.count, 5);
  }
  {
    // The recipe's explicit count wins: ids 1,4 of a first --array=0-49.
    ScopedEnv env({{"SLURM_ARRAY_TASK_ID", "1"},
                   {"SLURM_ARRAY_TASK_COUNT", "2"},
                   {"SLURM_ARRAY_TASK_MAX", "4"},
                   {"CLUSTERSIM_SHARDS", "50"}});
    ASSERT_TRUE(parse_shard("auto", s, err)) << err;
    EXPECT_EQ(s.index, 1);
    EXPECT_EQ(s.count, 50);
  }
  {
    ScopedEnv env({{"SLURM_ARRAY_TASK_ID", "7"}, {"CLUSTERSIM_SHARDS", "4"}});
    EXPECT_FALSE(parse_shard("auto", s, err));
    EXPECT_NE(err.find("CLUSTERSIM_SHARDS"), std::string::npos) << err;
  }
  {
    ScopedEnv env({{"SLURM_PROCID", "1"}, {"SLURM_NTASKS", "2"}});
    ASSERT_TRUE(parse_shard("auto", s, err)) << err;
    EXPECT_EQ(s.index, 1);
    EXPECT_EQ(s.count, 2);
  }
}

TEST(StaleTemporaries, OnlyDeadLocalWritersAreRemoved) {
  const fs::path d = fresh_dir("clustersim-stale");
  const std::string dead = std::to_string(dead_pid());
  const std::string live = std::to_string(getppid());
  const std::vector<std::string> stale = {".r.h5." + host() + "." + dead + ".tmp", ".r.h5." + dead + ".tmp"};
  const std::vector<std::string> kept = {".r.h5." + host() + "." + live + ".tmp", ".r.h5.otherhost." + dead + ".tmp",
                                         "r.h5", ".hidden", "x.tmp"};
  for (const auto& f : stale) std::ofstream(d / f) << "x";
  for (const auto& f : kept) std::ofstream(d / f) << "x";
  const auto removed = remove_stale_temporaries(d.string());
  EXPECT_EQ(removed.size(), stale.size());
  for (const auto& f : stale) EXPECT_FALSE(fs::exists(d / f)) << f;
  for (const auto& f : kept) EXPECT_TRUE(fs::exists(d / f)) << f;
  // write_results_h5 cleans the folder it writes to.
  std::ofstream(d / stale[0]) << "x";
  RunResults r;
  r.summary = {{"x", 1.0, "1", "x"}};
  write_results_h5(r, (d / "r.h5").string());
  EXPECT_FALSE(fs::exists(d / stale[0]));
  fs::remove_all(d);
}

TEST(OutputPath, RefusesInputsAndSaysWhatItDoes) {
  const fs::path d = fresh_dir("clustersim-outpath");
  std::ofstream(d / "exp.yaml") << "name: x\n";
  auto c = prepare_results_path((d / "sub" / ".." / "exp.yaml").string(), {(d / "exp.yaml").string()});
  EXPECT_NE(c.error.find("is an input of this run"), std::string::npos) << c.error;
  c = prepare_results_path((d / "a" / "b" / "r.h5").string(), {(d / "exp.yaml").string()});
  EXPECT_TRUE(c.error.empty()) << c.error;
  ASSERT_EQ(c.notes.size(), 1u);
  EXPECT_NE(c.notes[0].find("created the folder"), std::string::npos);
  EXPECT_TRUE(fs::is_directory(d / "a" / "b"));
  EXPECT_TRUE(fs::is_empty(d / "a" / "b")) << "the probe file must not stay";
  std::ofstream(d / "a" / "b" / "r.h5") << "old";
  c = prepare_results_path((d / "a" / "b" / "r.h5").string(), {});
  ASSERT_EQ(c.notes.size(), 1u);
  EXPECT_NE(c.notes[0].find("replacing the existing file"), std::string::npos);
  c = prepare_results_path((d / "exp.yaml" / "r.h5").string(), {});
  EXPECT_NE(c.error.find("is not a folder"), std::string::npos) << c.error;
  c = prepare_results_path(d.string(), {});
  EXPECT_NE(c.error.find("is a directory"), std::string::npos) << c.error;
  fs::remove_all(d);
}

TEST(SimgridCfg, BadKeyMessageParsed) {
  std::string key;
  std::vector<std::string> known;
  ASSERT_TRUE(
      parse_bad_key_message("Bad config key: network/optimm\nExisting config keys:\n"
                            "  network/optim: (string)Lazy\n  network/model: (string)CM02\n",
                            key, known));
  EXPECT_EQ(key, "network/optimm");
  EXPECT_EQ(known, (std::vector<std::string>{"network/optim", "network/model"}));
  EXPECT_FALSE(parse_bad_key_message("invalid integer", key, known));
}

TEST(SimgridCfg, CheckedBeforeTheRun) {
  Diagnostics d;
  check_simgrid_settings({"network/optim:Full"}, d);
  EXPECT_TRUE(d.empty()) << d.format();
  check_simgrid_settings({"network/optimm:Full", "network/model:Foo", "nocolon"}, d);
  ASSERT_EQ(d.size(), 1u) << d.format();  // syntax first: the others are not tried
  Diagnostics d2;
  check_simgrid_settings({"network/optimm:Full", "network/model:Foo"}, d2);
  ASSERT_EQ(d2.size(), 2u) << d2.format();
  EXPECT_NE(d2.items()[0].hint.find("network/optim"), std::string::npos) << d2.format();
  EXPECT_NE(d2.items()[1].message.find("Model 'Foo' is invalid"), std::string::npos) << d2.format();
}
