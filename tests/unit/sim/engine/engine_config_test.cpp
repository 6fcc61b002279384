#include "sim/engine/engine_config.hpp"

#include <gtest/gtest.h>

#include <xbt/config.hpp>

using namespace clustersim;

// One engine per process: each test runs in its own (gtest_discover_tests).

TEST(EngineConfig, ActorStacksAreSizedToNeedWithoutGuardPages) {
  const auto e = create_engine("engine_config_test");
  EXPECT_EQ(simgrid::config::get_value<int>("contexts/stack-size"), kActorStackKiB);
  EXPECT_EQ(simgrid::config::get_value<int>("contexts/guard-size"), 0);
}

TEST(EngineConfig, SimgridCfgOverridesTheStackSize) {
  const auto e = create_engine("engine_config_test", {"--cfg=contexts/stack-size:1024"});
  EXPECT_EQ(simgrid::config::get_value<int>("contexts/stack-size"), 1024);
}
