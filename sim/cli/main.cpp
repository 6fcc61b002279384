// clustersim command line: run, validate, describe, sweep. Exit codes: 0 success, 1 simulation failure,
// 2 invalid input.
#include <CLI/CLI.hpp>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <thread>

#include <yaml-cpp/yaml.h>

#include "sim/cli/describe.hpp"
#include "sim/cli/describe_fabric.hpp"
#include "sim/cli/simgrid_cfg.hpp"
#include "common/diagnostics.hpp"
#include "sim/config/experiment_loader.hpp"
#include "sim/setup/feasibility.hpp"
#include "sim/setup/run_budget.hpp"
#include "sim/engine/simulation.hpp"
#include "sim/output/output_path.hpp"
#include "sim/results/results.hpp"
#include "sim/output/summary_printer.hpp"
#include "sim/sweep/sweep_runner.hpp"
#include "sim/validation/validate_models.hpp"
#include "common/version.hpp"

namespace cs = clustersim;
namespace fs = std::filesystem;

namespace {

constexpr int kExitOk = 0;
constexpr int kExitSimulationFailure = 1;
constexpr int kExitInvalidInput = 2;

/// Parses every --set; bad syntax is an input error.
std::vector<cs::Override> parse_overrides(const std::vector<std::string>& sets) {
  std::vector<cs::Override> out;
  cs::Diagnostics diags;
  for (const auto& s : sets) {
    cs::Override o;
    std::string error;
    if (cs::parse_override(s, o, error))
      out.push_back(o);
    else
      diags.add({"--set " + s, 0, 0}, "", error, "write --set key.path=value, for example --set fabric.link=800Gbps");
  }
  if (!diags.empty()) throw cs::ConfigError(diags);
  return out;
}

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

/// The files a run reads: the experiment, its catalog files and trace files (a results file must be none).
std::vector<std::string> input_files(const cs::LoadedExperiment& exp) {
  std::vector<std::string> files = {exp.source_path};
  try {
    const YAML::Node catalogs = YAML::Load(exp.resolved_yaml)["catalog_files"];
    for (size_t i = 0; catalogs.IsSequence() && i < catalogs.size(); ++i) files.push_back(catalogs[i].Scalar());
  } catch (const YAML::Exception&) {
  }
  for (const auto& service : exp.spec.inference)
    if (service.arrivals.kind == "trace" && !service.arrivals.trace.empty()) files.push_back(service.arrivals.trace);
  return files;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"clustersim: discrete-event simulation of AI compute clusters (SimGrid)"};
  app.set_version_flag("--version", std::string("clustersim ") + cs::kVersion + " (" +
                                        (std::string(cs::kGitCommit).empty() ? "unknown commit" : cs::kGitCommit) +
                                        "), SimGrid 3.32");
  app.require_subcommand(1);

  std::string experiment, output;
  std::vector<std::string> sets, simgrid_cfg;
  bool no_progress = false, quiet = false;

  CLI::App* run = app.add_subcommand("run", "Run an experiment and write its results file");
  run->add_option("experiment", experiment, "experiment YAML file")->required();
  run->add_option("-o,--output", output, "results file (.h5); default: output.path of the experiment");
  run->add_option("-s,--set", sets, "override a key: --set fabric.link=800Gbps (repeatable)");
  run->add_flag("--no-progress", no_progress, "no progress line");
  run->add_flag("-q,--quiet", quiet, "do not print the summary");
  run->add_option("--simgrid-cfg", simgrid_cfg, "extra SimGrid setting, e.g. network/optim:Full (repeatable)");

  CLI::App* validate = app.add_subcommand("validate", "Check an experiment file without simulating");
  validate->add_option("experiment", experiment, "experiment YAML file")->required();
  validate->add_option("-s,--set", sets, "override a key (repeatable)");

  std::string topic;
  CLI::App* describe = app.add_subcommand("describe", "List catalogs and experiment keys with units");
  describe->add_option("topic", topic, cs::describe_topics_help());

  CLI::App* describe_fabric =
      app.add_subcommand("describe-fabric", "Print an experiment's fabric inventory, power and bisection (no simulation)");
  describe_fabric->add_option("experiment", experiment, "experiment YAML file")->required();
  describe_fabric->add_option("-s,--set", sets, "override a key (repeatable)");

  int jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::string shard_text = "0/1", sweep_dir;
  bool merge_only = false;
  CLI::App* sweep = app.add_subcommand("sweep", "Run the grid declared under sweep: in an experiment");
  sweep->add_option("experiment", experiment, "experiment YAML file with a sweep: section")->required();
  sweep->add_option("-o,--output-dir", sweep_dir, "directory for runs/ and sweep.h5; default: sweep.output_dir");
  sweep->add_option("-s,--set", sets, "override a key for every point (repeatable)");
  sweep->add_option("-j,--jobs", jobs, "points run in parallel (default: cores)")->check(CLI::PositiveNumber);
  sweep->add_option("--shard", shard_text, "run only points i mod N: i/N, or auto (SLURM array / srun)");
  sweep->add_flag("--merge-only", merge_only, "only merge finished runs into sweep.h5");

  std::string only, keep_dir, anchors_dir;
  double max_median_pct = -1, max_error_pct = -1;
  CLI::App* vmodels = app.add_subcommand("validate-models",
                                         "Run the published anchors (data/validation) and print predicted vs published");
  vmodels->add_option("-j,--jobs", jobs, "anchors run in parallel (default: cores)")->check(CLI::PositiveNumber);
  vmodels->add_option("--only", only, "comma-separated anchor ids, e.g. T1,T8");
  vmodels->add_option("--keep", keep_dir, "keep the run files in this directory");
  vmodels->add_option("--anchors", anchors_dir, "directory of anchor files (default: data/validation)");
  vmodels->add_option("--max-median", max_median_pct, "exit 1 if the median |error| of predictions exceeds this %");
  vmodels->add_option("--max-error", max_error_pct, "exit 1 if any prediction's |error| exceeds this %");

  std::string max_memory, max_work;  // the run budget (sim/setup/run_budget): refuse runs estimated above it
  for (CLI::App* c : {run, validate, describe_fabric, sweep}) {
    c->add_option("--max-memory", max_memory, "refuse runs estimated to need more memory (default 8GB)");
    c->add_option("--max-work", max_work, "refuse runs estimated to take longer (default 4h)");
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitInvalidInput;
  }

  try {
    if (*describe) {
      std::cout << cs::describe_topic(topic);
      return kExitOk;
    }
    if (*vmodels) {
      cs::ValidateOptions vo;
      vo.executable = self_path(argv[0]);
      vo.repo_dir = fs::path(cs::data_dir()).parent_path().string();
      vo.work_dir = keep_dir;
      vo.jobs = jobs;
      for (size_t b = 0, e; b < only.size(); b = e + 1) {
        e = only.find(',', b);
        if (e == std::string::npos) e = only.size();
        if (e > b) vo.only.push_back(only.substr(b, e - b));
      }
      const auto anchors = cs::load_anchors(anchors_dir.empty() ? cs::data_dir() + "/validation" : anchors_dir);
      const auto results = cs::run_anchors(anchors, vo);
      std::cout << cs::format_validation(results);
      double median = 0, max = 0;
      int n = 0;
      cs::prediction_errors(results, median, max, n);
      bool failed = false;
      for (const auto& r : results) failed = failed || !r.ok;
      if (max_median_pct >= 0 && !(100 * median <= max_median_pct)) failed = true;
      if (max_error_pct >= 0 && !(100 * max <= max_error_pct)) failed = true;
      return failed ? kExitSimulationFailure : kExitOk;
    }
    if (std::string error; !cs::apply_budget_flags(max_memory, max_work, error)) {
      std::fprintf(stderr, "clustersim: error: %s\n", error.c_str());
      return kExitInvalidInput;
    }
    if (*run) {
      cs::Diagnostics d;
      cs::check_simgrid_settings(simgrid_cfg, d);
      if (!d.empty()) throw cs::ConfigError(d);
    }
    const auto overrides = parse_overrides(sets);
    const cs::PreparedExperiment prepared = cs::prepare_experiment(experiment, overrides);
    const cs::LoadedExperiment& exp = prepared.experiment;
    if (*describe_fabric) {
      std::cout << cs::describe_fabric(exp.spec, prepared.fabric);
      return kExitOk;
    }
    if (*validate) {
      std::printf("%s: OK (%zu training jobs, %zu inference services, %d GPUs)\n", experiment.c_str(),
                  exp.spec.training.size(), exp.spec.inference.size(),
                  exp.spec.cluster.servers * exp.spec.cluster.gpus_per_server);
      return kExitOk;
    }
    if (*sweep) {
      cs::SweepOptions o;
      o.executable = self_path(argv[0]);
      o.experiment_path = experiment;
      o.base_overrides = overrides;
      o.output_dir = sweep_dir.empty() ? exp.spec.sweep.output_dir : sweep_dir;
      o.jobs = jobs;
      o.merge_only = merge_only;
      std::string error;
      if (!cs::parse_shard(shard_text, o.shard, error)) {
        std::fprintf(stderr, "clustersim: error: %s\n", error.c_str());
        return kExitInvalidInput;
      }
      if (exp.spec.sweep.grid.empty()) {
        std::fprintf(stderr, "%s: error: the experiment has no sweep.grid to run\n", experiment.c_str());
        return kExitInvalidInput;
      }
      // Before running any point: the run files' folder must be writable (exit 2 with the reason otherwise).
      const cs::OutputPathCheck dir_check =
          cs::prepare_results_path((fs::path(o.output_dir) / cs::run_file_name(0)).string(), input_files(exp));
      if (!dir_check.error.empty()) {
        cs::Diagnostics d;
        d.add({sweep_dir.empty() ? experiment : "-o " + sweep_dir, 0, 0}, sweep_dir.empty() ? "sweep.output_dir" : "",
              dir_check.error, dir_check.hint);
        throw cs::ConfigError(d);
      }
      for (const auto& note : dir_check.notes)
        if (note.rfind("created", 0) == 0) std::cerr << "clustersim: " << note << "\n";
      return cs::run_sweep(exp, o);
    }
    // run
    cs::RunOptions ro;
    ro.progress = !no_progress;
    ro.command_line = joined_command_line(argc, argv);
    for (const auto& c : simgrid_cfg) ro.simgrid_args.push_back("--cfg=" + c);
    const std::string path = output.empty() ? exp.spec.output.path : output;
    // Before simulating: the results file must be writable and must not be an input of the run.
    const cs::OutputPathCheck out_check = cs::prepare_results_path(path, input_files(exp));
    if (!out_check.error.empty()) {
      cs::Diagnostics d;
      d.add({output.empty() ? experiment : "-o " + output, 0, 0}, output.empty() ? "output.path" : "",
            out_check.error, out_check.hint);
      throw cs::ConfigError(d);
    }
    for (const auto& note : out_check.notes) std::cerr << "clustersim: " << note << "\n";  // even with -q
    const cs::RunResults results = cs::run_experiment(prepared, ro);
    cs::write_results_h5(results, path);
    if (!quiet) std::cout << cs::format_run_summary(results) << "\nresults: " << path << "\n";
    return kExitOk;
  } catch (const cs::ConfigError& e) {
    std::cerr << e.diagnostics().format() << "\n";
    return kExitInvalidInput;
  } catch (const std::exception& e) {
    std::cerr << "clustersim: error: " << e.what() << "\n";
    return kExitSimulationFailure;
  }
}
