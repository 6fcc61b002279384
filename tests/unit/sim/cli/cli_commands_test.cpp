// The subcommand functions of sim/cli (commands.hpp): the exit-code guard they share, --set parsing, and the
// input errors of validate and run (exit 2 with diagnostics, never a throw).
#include "sim/cli/commands.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "common/diagnostics.hpp"
#include "sim/cli/cli_common.hpp"

namespace clustersim {
namespace {

TEST(CliCommands, GuardMapsErrorsToExitCodes) {
  EXPECT_EQ(guarded([] { return 7; }), 7);
  EXPECT_EQ(guarded([]() -> int {
              Diagnostics d;
              d.add({"x.yaml", 1, 1}, "a.b", "wrong", "");
              throw ConfigError(d);
            }),
            kExitInvalidInput);
  EXPECT_EQ(guarded([]() -> int { throw std::runtime_error("boom"); }), kExitSimulationFailure);
}

TEST(CliCommands, OverridesParseOrReportEveryBadOne) {
  const auto ok = parse_overrides({"fabric.link=800Gbps", "cluster.servers=4"});
  ASSERT_EQ(ok.size(), 2u);
  try {
    parse_overrides({"fabric.link", "no-equals"});
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.diagnostics().size(), 2u);
  }
}

TEST(CliCommands, InputErrorsExitTwo) {
  ExperimentInput missing;
  missing.experiment = "/nonexistent/experiment.yaml";
  EXPECT_EQ(run_validate(missing), kExitInvalidInput);
  ExperimentInput bad_budget = missing;
  bad_budget.max_memory = "lots";
  EXPECT_EQ(run_validate(bad_budget), kExitInvalidInput);
  RunCommandOptions run;
  run.input = missing;
  run.simgrid_cfg = {"not-a-setting"};
  EXPECT_EQ(run_run(run), kExitInvalidInput);
  EXPECT_EQ(run_describe_fabric(missing), kExitInvalidInput);
}

}  // namespace
}  // namespace clustersim
