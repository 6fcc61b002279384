#include <algorithm>
#include <filesystem>
#include <iostream>

#include "common/diagnostics.hpp"
#include "sim/cli/cli_common.hpp"
#include "sim/results/run_record.hpp"
#include "sim/setup/feasibility.hpp"
#include "sim/sweep/plan_runner.hpp"
#include "sim/sweep/sweep_plan.hpp"

namespace fs = std::filesystem;

namespace clustersim {

int run_plan(const PlanCommandOptions& c) {
  return guarded([&] {
    if (!apply_budget(c.input)) return kExitInvalidInput;
    const auto overrides = parse_overrides(c.input.sets);
    const LoadedExperiment exp = load_experiment(c.input.experiment, overrides);
    if (exp.spec.plan.size_key.empty()) {
      std::cerr << c.input.experiment << ": error: the experiment has no plan: section to run\n"
                << "  hint: plan: {size: workload.inference[0].replicas, scale: {cluster.servers: 1}, "
                   "meet: {services.slo_attainment: {at_least: 0.99}}, grid: {cluster.gpu: [H100-SXM, H20]}}\n";
      return kExitInvalidInput;
    }
    // The conditions' metrics must be results names (exit 2 with a did-you-mean).
    Diagnostics bad;
    std::vector<PlanCondition> all = exp.spec.plan.meet;
    all.insert(all.end(), exp.spec.plan.limits.begin(), exp.spec.plan.limits.end());
    for (const PlanCondition& m : all) {
      const size_t dot = m.metric.find('.');
      const RecordGroupNames known = record_group_names(m.metric.substr(0, dot));
      const std::string name = m.metric.substr(dot + 1);
      if (!known.known)
        bad.add({c.input.experiment, 0, 0}, "plan.meet",
                "unknown results group in '" + m.metric + "': conditions read summary, jobs or services",
                "e.g. services.slo_attainment, jobs.step_time, summary.facility_power_mean");
      else if (std::find(known.names.begin(), known.names.end(), name) == known.names.end())
        bad.add({c.input.experiment, 0, 0}, "plan.meet", "the results have no '" + m.metric + "'",
                did_you_mean(name, known.names));
    }
    if (!bad.empty()) throw ConfigError(bad);
    // Every choice must load at its smallest and largest size before anything runs (exit 2 naming the key).
    SweepSpec grid;
    grid.grid = exp.spec.plan.grid;
    for (const SweepPoint& p : plan_sweep(grid))
      for (int size : {exp.spec.plan.min_size, exp.spec.plan.max_size})
        load_experiment(c.input.experiment, plan_try_overrides(exp.spec.plan, overrides, p, size));  // ConfigError
    PlanOptions o;
    o.executable = c.executable;
    o.experiment_path = c.input.experiment;
    o.base_overrides = overrides;
    o.output_dir = c.output_dir.empty() ? exp.spec.plan.output_dir : c.output_dir;
    o.jobs = c.jobs;
    prepare_output_dir((fs::path(o.output_dir) / "plan.h5").string(), exp, c.output_dir, "plan.output_dir");
    return clustersim::run_plan(exp, o);
  });
}

}  // namespace clustersim
