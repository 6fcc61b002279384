#include <iostream>

#include "sim/cli/cli_common.hpp"
#include "sim/cli/describe.hpp"
#include "sim/cli/describe_fabric.hpp"
#include "sim/setup/feasibility.hpp"

namespace clustersim {

int run_describe(const std::string& topic, const std::string& prefix) {
  return guarded([&] {
    std::cout << describe_topic(topic, prefix);
    return kExitOk;
  });
}

int run_describe_fabric(const ExperimentInput& o) {
  return guarded([&] {
    if (!apply_budget(o)) return kExitInvalidInput;
    const PreparedExperiment prepared = prepare_input(o);
    std::cout << describe_fabric(prepared.experiment.spec, prepared.fabric);
    return kExitOk;
  });
}

}  // namespace clustersim
