// clustersim command line: run, validate, describe, describe-fabric, sweep, validate-models. This file only
// declares the options (CLI11) and calls the subcommand's function (sim/cli/commands.hpp, one
// sim/cli/cmd_<name>.cpp each). Exit codes: 0 success, 1 simulation failure, 2 invalid input.
#include <xbt/base.h>  // first: simgrid/version.h uses its macros without including it

#include <simgrid/version.h>

#include <CLI/CLI.hpp>

#include <filesystem>
#include <string>
#include <thread>

#include "common/build_info.hpp"
#include "common/version.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cli/describe.hpp"
#include "sim/config/experiment_loader.hpp"
#include "sim/engine/engine_config.hpp"

namespace cs = clustersim;
namespace fs = std::filesystem;

namespace {

std::string self_path(const char* argv0) {
  std::error_code ec;
  const fs::path p = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string(argv0) : p.string();
}

std::string joined_command_line(int argc, char** argv) {
  std::string s;
  for (int i = 0; i < argc; ++i) s += (i ? " " : "") + std::string(argv[i]);
  return s;
}

/// `--version`: this build (version, commit), the SimGrid library actually linked (and the one compiled
/// against when they differ) and the data directory in use.
std::string version_text() {
  int major = 0, minor = 0, patch = 0;
  sg_version_get(&major, &minor, &patch);
  std::string text = std::string("clustersim ") + cs::kVersion + " (commit " +
                     (std::string(cs::kGitCommit).empty() ? "unknown" : cs::kGitCommit) + ")\n";
  text += "SimGrid " + std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch) + " (linked";
  if (major != SIMGRID_VERSION_MAJOR || minor != SIMGRID_VERSION_MINOR || patch != SIMGRID_VERSION_PATCH)
    text += "; built against " + std::to_string(SIMGRID_VERSION_MAJOR) + "." + std::to_string(SIMGRID_VERSION_MINOR) +
            "." + std::to_string(SIMGRID_VERSION_PATCH);
  text += ")\ndata " + cs::data_dir() + " (" + cs::data_dir_origin() + ")";
  return text;
}

void add_budget(CLI::App* c, cs::ExperimentInput& in) {
  c->add_option("--max-memory", in.max_memory, "refuse runs estimated to need more memory (default 8GB)");
  c->add_option("--max-work", in.max_work, "refuse runs estimated to take longer (default 4h)");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"clustersim: discrete-event simulation of AI compute clusters (SimGrid)"};
  app.set_version_flag("--version", version_text);
  app.require_subcommand(1);
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));

  cs::RunCommandOptions run_o;
  bool no_progress = false;
  CLI::App* run = app.add_subcommand("run", "Run an experiment and write its results file");
  run->add_option("experiment", run_o.input.experiment, "experiment YAML file")->required();
  run->add_option("-o,--output", run_o.output, "results file (.h5); default: output.path of the experiment");
  run->add_option("-s,--set", run_o.input.sets, "override a key: --set fabric.link=800Gbps (repeatable)");
  run->add_flag("--no-progress", no_progress, "no progress line");
  run->add_flag("-q,--quiet", run_o.quiet, "do not print the summary");
  run->add_option("--simgrid-cfg", run_o.simgrid_cfg, "extra SimGrid setting, e.g. network/optim:Full (repeatable)");
  run->add_option("--log", run_o.simgrid_log, "SimGrid log setting, e.g. clustersim.thres:debug (repeatable)")
      ->check([](const std::string& v) {
        std::string e;
        return cs::check_log_setting(v, e) ? std::string() : e;
      });

  cs::ExperimentInput validate_o;
  CLI::App* validate = app.add_subcommand("validate", "Check an experiment file without simulating");
  validate->add_option("experiment", validate_o.experiment, "experiment YAML file")->required();
  validate->add_option("-s,--set", validate_o.sets, "override a key (repeatable)");

  std::string topic, key_prefix;
  CLI::App* describe = app.add_subcommand("describe", "List catalogs and experiment keys with units");
  describe->add_option("topic", topic, cs::describe_topics_help());
  describe->add_option("prefix", key_prefix, "keys only: the experiment keys under this prefix (describe keys fabric)");

  cs::ExperimentInput fabric_o;
  CLI::App* describe_fabric = app.add_subcommand(
      "describe-fabric", "Print an experiment's fabric inventory, power and bisection (no simulation)");
  describe_fabric->add_option("experiment", fabric_o.experiment, "experiment YAML file")->required();
  describe_fabric->add_option("-s,--set", fabric_o.sets, "override a key (repeatable)");

  cs::SweepCommandOptions sweep_o;
  sweep_o.jobs = cores;
  CLI::App* sweep = app.add_subcommand("sweep", "Run the grid declared under sweep: in an experiment");
  sweep->add_option("experiment", sweep_o.input.experiment, "experiment YAML file with a sweep: section")->required();
  sweep->add_option("-o,--output-dir", sweep_o.output_dir,
                    "directory for runs/ and sweep.h5; default: sweep.output_dir");
  sweep->add_option("-s,--set", sweep_o.input.sets, "override a key for every point (repeatable)");
  sweep->add_option("-j,--jobs", sweep_o.jobs, "points run in parallel (default: cores)")->check(CLI::PositiveNumber);
  sweep->add_option("--shard", sweep_o.shard, "run only points i mod N: i/N, or auto (SLURM array / srun)");
  sweep->add_flag("--merge-only", sweep_o.merge_only, "only merge finished runs into sweep.h5");
  sweep->add_option("--sweep", sweep_o.sweeps,
                    "add a grid axis, or replace the one of KEY: --sweep fabric.link=400Gbps,800Gbps (repeatable)");

  cs::PlanCommandOptions plan_o;
  plan_o.jobs = cores;
  CLI::App* plan = app.add_subcommand(
      "plan", "Size a cluster: the smallest plan.size meeting plan.meet for each choice of plan.grid, and the front");
  plan->add_option("experiment", plan_o.input.experiment, "experiment YAML file with a plan: section")->required();
  plan->add_option("-o,--output-dir", plan_o.output_dir, "directory for runs/ and plan.h5; default: plan.output_dir");
  plan->add_option("-s,--set", plan_o.input.sets, "override a key for every run (repeatable)");
  plan->add_option("-j,--jobs", plan_o.jobs, "runs in parallel (default: cores)")->check(CLI::PositiveNumber);

  cs::ReportCommandOptions report_o;
  CLI::App* report =
      app.add_subcommand("report",
                         "One self-contained HTML page (summary, power, step time, latency, queues, sweep "
                         "metrics) from a run file or a sweep");
  report->add_option("input", report_o.input, "a results file (.h5), a sweep directory or its sweep.h5")->required();
  report->add_option("-o,--output", report_o.output, "the HTML file to write")->required();

  cs::ValidateModelsCommandOptions vmodels_o;
  vmodels_o.jobs = cores;
  CLI::App* vmodels = app.add_subcommand(
      "validate-models", "Run the published anchors (data/validation) and print predicted vs published");
  vmodels->add_option("-j,--jobs", vmodels_o.jobs, "anchors run in parallel (default: cores)")
      ->check(CLI::PositiveNumber);
  vmodels->add_option("--only", vmodels_o.only, "comma-separated anchor ids, e.g. T1,T8");
  vmodels->add_option("--keep", vmodels_o.keep_dir, "keep the run files in this directory");
  vmodels->add_option("--anchors", vmodels_o.anchors_dir, "directory of anchor files (default: data/validation)");
  vmodels->add_option("--max-median", vmodels_o.max_median_pct,
                      "exit 1 if the median |error| of predictions exceeds this %");
  vmodels->add_option("--max-error", vmodels_o.max_error_pct, "exit 1 if any prediction's |error| exceeds this %");
  vmodels->add_flag("--cross-validate", vmodels_o.cross_validate,
                    "also leave each anchor of a fit group (data/validation/fits.yaml) out, refit, rerun it");
  vmodels->add_option("--max-cv-median", vmodels_o.max_cv_median_pct,
                      "exit 1 if the median cross-validated |error| exceeds this % (with --cross-validate)");
  vmodels->add_option("--max-cv-error", vmodels_o.max_cv_error_pct,
                      "exit 1 if any cross-validated |error| exceeds this % (with --cross-validate)");
  vmodels->add_option("--write-bands", vmodels_o.write_bands,
                      "write the uncertainty bands (RMS out-of-sample error per fit group) to this YAML file, e.g. "
                      "data/validation/bands.yaml (with --cross-validate)");

  // The run budget (sim/setup/run_budget): refuse runs estimated above it.
  add_budget(run, run_o.input);
  add_budget(validate, validate_o);
  add_budget(describe_fabric, fabric_o);
  add_budget(sweep, sweep_o.input);
  add_budget(plan, plan_o.input);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? cs::kExitOk : cs::kExitInvalidInput;
  }

  if (*describe) return cs::run_describe(topic, key_prefix);
  if (*vmodels) {
    vmodels_o.executable = self_path(argv[0]);
    return cs::run_validate_models(vmodels_o);
  }
  if (*describe_fabric) return cs::run_describe_fabric(fabric_o);
  if (*validate) return cs::run_validate(validate_o);
  if (*report) return cs::run_report(report_o);
  if (*plan) {
    plan_o.executable = self_path(argv[0]);
    return cs::run_plan(plan_o);
  }
  if (*sweep) {
    sweep_o.executable = self_path(argv[0]);
    return cs::run_sweep(sweep_o);
  }
  run_o.progress = !no_progress;
  run_o.command_line = joined_command_line(argc, argv);
  return cs::run_run(run_o);
}
