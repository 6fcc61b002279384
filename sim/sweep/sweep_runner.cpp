#include "sim/sweep/sweep_runner.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>

#include "common/diagnostics.hpp"
#include "common/statistics.hpp"
#include "sim/results/column_table.hpp"
#include "sim/results/job_row.hpp"
#include "sim/results/results.hpp"
#include "sim/results/run_record.hpp"
#include "sim/results/service_rows.hpp"
#include "sim/setup/feasibility.hpp"
#include "sim/sweep/process_pool.hpp"

namespace clustersim {

namespace fs = std::filesystem;

namespace {

std::vector<Override> joined(const std::vector<Override>& base, const SweepPoint& p) {
  std::vector<Override> overrides = base;
  overrides.insert(overrides.end(), p.overrides.begin(), p.overrides.end());
  return overrides;
}

std::vector<std::string> point_command(const SweepOptions& o, const SweepPoint& p, const std::string& file) {
  return run_command(o.executable, o.experiment_path, joined(o.base_overrides, p), file);
}

std::string expected_config(const LoadedExperiment& exp, const std::vector<Override>& base, const SweepPoint& p) {
  return resolved_config(exp, joined(base, p));
}

/// What a finished point gives, for its progress line: facility MW and J/token, and the first training job's
/// step time and the first service's SLO attainment when the run has them.
std::string point_outcome(const std::string& file) {
  std::string out;
  try {
    const RunResults r = read_results_summary_h5(file);
    for (const auto& s : r.summary) {
      if (s.name == "facility_power_mean") out += fmt::format("facility {:.3g} MW", s.value / 1e6);
      if (s.name == "energy_per_token" && std::isfinite(s.value)) out += fmt::format(", {:.3g} J/token", s.value);
    }
  } catch (const std::runtime_error&) {
    return out;
  }
  for (const auto& [metric, format] : {std::pair<const char*, const char*>{"jobs.step_time", ", step {:.4g} s"},
                                       {"services.slo_attainment", ", slo {:.3f}"}}) {
    try {
      const double v = read_metric_h5(file, metric);
      if (std::isfinite(v)) out += fmt::format(fmt::runtime(format), v);
    } catch (const std::runtime_error&) {
    }
  }
  return out;
}

/// The merged rows of one table over the runs: every run's rows, each with its run index first.
template <class Row>
TableResult merged_rows(const RowTable<Row>& table, const std::vector<Row>& rows, const std::vector<int64_t>& run_of) {
  TableResult t = to_table(table, rows);
  t.dimension = "row";
  t.columns.insert(t.columns.begin(),
                   {"run_index", "1", "index of the run in the sweep plan (sweep.h5 /runs)", run_of});
  t.coordinates = "run_index " + table.columns.front().name;
  return t;
}

/// With repeats: one row per grid point (its `repeats` consecutive runs), its axes but the seed, and for every
/// numeric metric of `runs` the mean over the seeds and the 95 % confidence half-width (Student t).
TableResult repeat_points(const TableResult& runs, const SweepSpec& sweep, size_t n_runs) {
  const size_t r = static_cast<size_t>(sweep.repeats), n_points = n_runs / r;
  TableResult points{"points", "point", {}, ""};
  std::vector<int64_t> point_index(n_points), repeats(n_points, static_cast<int64_t>(r));
  for (size_t i = 0; i < n_points; ++i) point_index[i] = static_cast<int64_t>(i);
  points.columns.push_back(
      {"point_index", "1", "grid point (its runs: point_index x repeats + 0 .. repeats - 1)", point_index});
  points.columns.push_back({"repeats", "1", "runs (seeds) of the grid point", repeats});
  std::vector<std::string> axes;
  for (const SweepAxis& a : sweep.grid) axes.push_back(a.key);
  std::string coords;
  for (const ColumnResult& c : runs.columns) {
    const bool axis = std::find(axes.begin(), axes.end(), c.name) != axes.end();
    if (c.name == "run_index" || c.name == "file" || c.name == "seed") continue;
    std::visit(
        [&](const auto& values) {
          using V = typename std::decay_t<decltype(values)>::value_type;
          if (axis) {  // the point's value: its first run's
            std::vector<V> first;
            for (size_t i = 0; i < n_points; ++i) first.push_back(values[i * r]);
            points.columns.push_back({c.name, c.units, c.long_name, first});
            coords += (coords.empty() ? "" : " ") + c.name;
          } else if constexpr (std::is_same_v<V, double>) {
            std::vector<double> mean, half;
            for (size_t i = 0; i < n_points; ++i) {
              const MeanInterval m =
                  mean_interval_95(std::vector<double>(values.begin() + i * r, values.begin() + (i + 1) * r));
              mean.push_back(m.mean);
              half.push_back(m.half_width);
            }
            points.columns.push_back({c.name, c.units, "mean over the seeds: " + c.long_name, mean});
            points.columns.push_back({c.name + "_ci95", c.units,
                                      "95 % confidence half-width (Student t) over the seeds: " + c.long_name, half});
          }
        },
        c.values);
  }
  points.coordinates = coords;
  return points;
}

}  // namespace

std::vector<std::string> run_command(const std::string& executable, const std::string& experiment_path,
                                     const std::vector<Override>& overrides, const std::string& file) {
  std::vector<std::string> cmd = {executable, "run", experiment_path, "-o", file, "--no-progress", "--quiet"};
  for (const auto& ov : overrides) cmd.insert(cmd.end(), {"--set", ov.key + "=" + ov.value});
  return cmd;
}

std::string resolved_config(const LoadedExperiment& exp, const std::vector<Override>& overrides) {
  try {
    return load_experiment(exp.source_path, overrides).resolved_yaml;
  } catch (const ConfigError&) {
    return "";
  }
}

PointState point_state(const std::string& file, const std::string& expected_config_yaml) {
  if (!fs::exists(file)) return PointState::kMissing;
  try {
    const RunResults r = read_results_summary_h5(file);
    const auto it = r.string_attrs.find("config_yaml");
    const bool same = it != r.string_attrs.end() && !expected_config_yaml.empty() && it->second == expected_config_yaml;
    return same ? PointState::kComplete : PointState::kStale;
  } catch (const std::runtime_error&) {
    return PointState::kStale;  // unreadable (truncated by hand, another format): run it again
  }
}

int run_sweep(const LoadedExperiment& exp, const SweepOptions& o) {
  const std::string dir = o.output_dir;
  const std::vector<SweepPoint> points = plan_sweep(exp.spec.sweep);
  fs::create_directories(fs::path(dir) / "runs");
  int failed = 0, skipped = 0, ran = 0, stale = 0;
  if (!o.merge_only) {
    std::vector<ChildCommand> commands;
    std::vector<int> indices;
    for (const SweepPoint& p : points) {
      if (!o.shard.owns(p.index)) continue;
      const std::string file = (fs::path(dir) / run_file_name(p.index)).string();
      const PointState state =
          fs::exists(file) ? point_state(file, expected_config(exp, o.base_overrides, p)) : PointState::kMissing;
      if (state == PointState::kComplete) {
        ++skipped;
        continue;
      }
      if (state == PointState::kStale) {
        ++stale;
        std::fprintf(stderr,
                     "  run %d: its results file was made from another experiment (edited since?): running it again\n",
                     p.index);
      }
      commands.push_back({point_command(o, p, file), file + ".log"});
      indices.push_back(p.index);
    }
    ran = static_cast<int>(commands.size());
    // One progress line per point: [k/N] its values, its wall time and what it gives.
    std::vector<std::chrono::steady_clock::time_point> started(commands.size());
    int finished = 0;
    run_processes(
        commands, o.jobs,
        [&](size_t i, int code) {
          if (code != 0) ++failed;
          const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started[i]).count();
          const std::string file = (fs::path(dir) / run_file_name(indices[i])).string();
          std::fprintf(stderr, "  [%d/%d] run %d: %s %s %.1f s%s\n", ++finished, ran, indices[i],
                       point_label(points[indices[i]]).c_str(), code == 0 ? "done" : "FAILED after", wall_s,
                       code == 0 ? (": " + point_outcome(file)).c_str() : (", see " + commands[i].log_path).c_str());
        },
        [&](size_t i) { started[i] = std::chrono::steady_clock::now(); });
    std::fprintf(stderr, "sweep: %zu points, shard %d/%d: %d run, %d already complete, %d failed; %d rerun as stale\n",
                 points.size(), o.shard.index, o.shard.count, ran, skipped, failed, stale);
  }
  const int missing = merge_sweep(exp, points, dir, o.base_overrides);
  if (missing == 0)
    std::printf("merged %zu runs into %s\n", points.size(), (fs::path(dir) / "sweep.h5").c_str());
  else
    std::printf("%d of %zu runs missing or stale; sweep.h5 not written yet (rerun when the other shards are done)\n",
                missing, points.size());
  return failed == 0 ? 0 : 1;
}

int merge_sweep(const LoadedExperiment& exp, const std::vector<SweepPoint>& points, const std::string& dir,
                const std::vector<Override>& base_overrides) {
  int missing = 0;
  for (const auto& p : points)
    if (!fs::exists(fs::path(dir) / run_file_name(p.index))) ++missing;
  if (missing > 0) return missing;
  // A file made from another experiment (edited since, another shard not rerun yet) is not this point's result.
  for (const auto& p : points) {
    const std::string file = (fs::path(dir) / run_file_name(p.index)).string();
    if (point_state(file, expected_config(exp, base_overrides, p)) != PointState::kComplete) {
      std::fprintf(stderr, "  run %d: stale (made from another experiment), not merged\n", p.index);
      ++missing;
    }
  }
  if (missing > 0) return missing;

  TableResult runs{"runs", "run", {}, ""};
  std::vector<int64_t> index;
  std::vector<std::string> files;
  std::vector<std::vector<std::string>> axis_values(exp.spec.sweep.grid.size());
  std::vector<ScalarResult> first_summary;
  std::map<std::string, std::vector<double>> metrics;
  std::vector<JobRow> jobs;
  std::vector<ServiceRow> services;
  std::vector<int64_t> job_run, service_run;
  for (const auto& p : points) {
    const std::string rel = run_file_name(p.index);
    const RunRecord record = read_run_record_h5((fs::path(dir) / rel).string());
    const std::vector<ScalarResult> summary = record_scalars(record);
    index.push_back(p.index);
    files.push_back(rel);
    for (size_t a = 0; a < p.overrides.size(); ++a) axis_values[a].push_back(p.overrides[a].value);
    if (first_summary.empty()) first_summary = summary;
    for (const auto& s : summary) metrics[s.name].push_back(s.value);
    jobs.insert(jobs.end(), record.jobs.begin(), record.jobs.end());
    job_run.insert(job_run.end(), record.jobs.size(), p.index);
    services.insert(services.end(), record.services.begin(), record.services.end());
    service_run.insert(service_run.end(), record.services.size(), p.index);
  }
  runs.columns.push_back({"run_index", "1", "index of the run in the sweep plan", index});
  runs.columns.push_back({"file", "", "results file of the run, relative to the sweep directory", files});
  std::string coords = "file";
  for (size_t a = 0; a < axis_values.size(); ++a) {
    // A numeric axis is stored in SI units (plottable, selectable), the values as written kept in its long_name.
    const std::string& key = exp.spec.sweep.grid[a].key;
    const NumericAxis numeric = numeric_axis(axis_values[a]);
    std::string written;
    for (const auto& v : exp.spec.sweep.grid[a].values) written += (written.empty() ? "" : ", ") + v;
    if (numeric.numeric)
      runs.columns.push_back({key, numeric.units,
                              "swept parameter " + key + " in SI units (as written: " + written + ")", numeric.values});
    else
      runs.columns.push_back({key, "", "swept parameter " + key + " (as written)", axis_values[a]});
    coords += " " + key;
  }
  for (const auto& s : first_summary)
    if (metrics[s.name].size() == points.size())
      runs.columns.push_back({s.name, s.units, s.long_name, metrics[s.name]});
  // The first training job's step time and MFU (from each run's /jobs table), when every run has one.
  const std::array<std::array<const char*, 4>, 2> job_columns = {
      {{"training_step_time", "jobs.step_time", "s", "step time of the first training job"},
       {"training_mfu", "jobs.mfu", "1", "model FLOPs utilisation of the first training job"}}};
  for (const auto& [column, metric, units, long_name] : job_columns) {
    std::vector<double> values;
    try {
      for (const auto& p : points)
        values.push_back(read_metric_h5((fs::path(dir) / run_file_name(p.index)).string(), metric));
    } catch (const std::runtime_error&) {
      continue;
    }
    runs.columns.push_back({column, units, long_name, values});
  }
  runs.coordinates = coords;

  RunResults merged;
  merged.string_attrs["schema"] = "clustersim.sweep/2";
  merged.string_attrs["experiment"] = exp.spec.name;
  merged.string_attrs["config_source"] = exp.source_yaml;
  merged.numeric_attrs["n_runs"] = static_cast<double>(points.size());
  if (exp.spec.sweep.repeats > 1 && points.size() % static_cast<size_t>(exp.spec.sweep.repeats) == 0)
    merged.tables.push_back(repeat_points(runs, exp.spec.sweep, points.size()));
  merged.tables.push_back(std::move(runs));
  // Every job and service of every run, one row each, with its run index (long form: run x job, run x service).
  if (!jobs.empty()) merged.tables.push_back(merged_rows(job_table(), jobs, job_run));
  if (!services.empty()) merged.tables.push_back(merged_rows(service_table(), services, service_run));
  write_results_h5(merged, (fs::path(dir) / "sweep.h5").string());
  return 0;
}

}  // namespace clustersim
