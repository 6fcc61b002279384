// prepare_experiment: the fabric built by the validation of the base experiment is handed on (not a sweep
// value's), and it is the fabric build_experiment_fabric would build.
#include <gtest/gtest.h>

#include <unistd.h>
#include <filesystem>
#include <fstream>

#include "sim/setup/feasibility.hpp"

namespace clustersim {
namespace {

namespace fs = std::filesystem;

const char* kExperiment = R"(name: t
duration: 1h
cluster:
  gpu: H100-SXM
  servers: 64
fabric:
  topology: TOPOLOGY
  link: 400Gbps
workload:
  training:
    - name: pretrain
      model: llama3-8b
      gpus: 64
      parallelism: {tp: 8, pp: 1, dp: 8}
      global_batch: 512
sweep:
  grid:
    fabric.link: [800Gbps]
)";

fs::path test_dir() { return fs::temp_directory_path() / ("clustersim-prepared-" + std::to_string(::getpid())); }

std::string write_experiment(const std::string& topology) {
  const fs::path dir = test_dir();
  fs::create_directories(dir);
  std::string text = kExperiment;
  text.replace(text.find("TOPOLOGY"), 8, topology);
  const fs::path file = dir / (topology + ".yaml");
  std::ofstream(file) << text;
  return file.string();
}

class PreparedExperimentTest : public ::testing::TestWithParam<std::string> {
 protected:
  void TearDown() override { fs::remove_all(test_dir()); }
};

TEST_P(PreparedExperimentTest, KeepsTheBaseFabric) {
  const PreparedExperiment p = prepare_experiment(write_experiment(GetParam()));
  ASSERT_TRUE(p.fabric.fabric.built);
  EXPECT_TRUE(p.fabric_from_check);  // built once, by the validation
  EXPECT_EQ(p.fabric.fabric.topology->name(), GetParam());
  EXPECT_DOUBLE_EQ(p.fabric.fabric.params.tree.link_bps, 400e9);  // the base, not the 800G sweep value
  const ExperimentFabric again = build_experiment_fabric(p.experiment);
  EXPECT_TRUE(again.fabric.params == p.fabric.fabric.params);
  EXPECT_EQ(again.components.sw.name, p.fabric.components.sw.name);
  EXPECT_EQ(again.components.transceiver.name, p.fabric.components.transceiver.name);
  EXPECT_EQ(again.fabric.inventory.total_cables(), p.fabric.fabric.inventory.total_cables());
  EXPECT_EQ(again.fabric.summary(), p.fabric.fabric.summary());
}

INSTANTIATE_TEST_SUITE_P(Topologies, PreparedExperimentTest,
                         ::testing::Values("fat-tree", "rail-optimized", "dragonfly"));

// --set moves the base: the kept fabric follows it.
TEST(PreparedExperiment, FollowsOverrides) {
  const PreparedExperiment p = prepare_experiment(write_experiment("fat-tree"), {{"fabric.link", "800Gbps"}});
  fs::remove_all(test_dir());
  EXPECT_DOUBLE_EQ(p.fabric.fabric.params.tree.link_bps, 800e9);
  EXPECT_DOUBLE_EQ(p.fabric.components.transceiver.bandwidth_bps, 800e9);
  EXPECT_TRUE(p.fabric_from_check);
}

}  // namespace
}  // namespace clustersim
