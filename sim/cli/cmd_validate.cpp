#include <cstdio>

#include "sim/cli/cli_common.hpp"

namespace clustersim {

int run_validate(const ExperimentInput& o) {
  return guarded([&] {
    if (!apply_budget(o)) return kExitInvalidInput;
    const LoadedExperiment exp = load_input(o);
    std::printf("%s: OK (%zu training jobs, %zu inference services, %d GPUs)\n", o.experiment.c_str(),
                exp.spec.training.size(), exp.spec.inference.size(),
                exp.spec.cluster.servers * exp.spec.cluster.gpus_per_server);
    return kExitOk;
  });
}

}  // namespace clustersim
