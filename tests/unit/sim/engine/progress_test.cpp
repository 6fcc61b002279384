// The run's progress line: the phase, and an ETA only while no training job is in detailed steps or steady state.
#include "sim/engine/progress.hpp"

#include <gtest/gtest.h>

namespace clustersim {
namespace {

TEST(ProgressText, EtaOnlyWithoutTrainingPhases) {
  RunPhases none;
  // 6 min of 1 h in 3 s: 10 %, ETA 27 s.
  EXPECT_EQ(progress_text(360, 3600, 3, none), "simulated 6 min of 1 h ( 10%)  wall 3.0 s  ETA 27 s");
  RunPhases detailed{2, 1};
  EXPECT_EQ(progress_text(360, 3600, 3, detailed),
            "[detailed steps: 2 jobs] simulated 6 min of 1 h ( 10%)  wall 3.0 s");
  RunPhases steady{0, 3};
  EXPECT_EQ(progress_text(360, 3600, 3, steady), "[steady state] simulated 6 min of 1 h ( 10%)  wall 3.0 s");
}

TEST(ProgressText, GuardCountsItsScope) {
  const int before = run_phases().detailed;
  {
    const RunPhaseGuard g(&RunPhases::detailed);
    EXPECT_EQ(run_phases().detailed, before + 1);
  }
  EXPECT_EQ(run_phases().detailed, before);
}

}  // namespace
}  // namespace clustersim
