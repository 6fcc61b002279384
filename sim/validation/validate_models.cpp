#include "sim/validation/validate_models.hpp"

#include <fmt/format.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "common/diagnostics.hpp"
#include "sim/config/yaml_source.hpp"
#include "sim/results/results.hpp"
#include "sim/sweep/process_pool.hpp"

namespace clustersim {

namespace fs = std::filesystem;

namespace {

Anchor parse_anchor(const std::string& file, const YAML::Node& n, Diagnostics& d) {
  static const std::vector<std::string> keys = {"id",     "setup",  "experiment",   "baseline",
                                                "metric", "row",    "multiply",     "published",
                                                "role",   "source", "display_unit", "display_scale"};
  Anchor a;
  if (!n.IsMap()) {
    d.add(yaml_location(file, n), "anchors", "an anchor must be a mapping");
    return a;
  }
  for (const auto& kv : n) {
    const std::string k = kv.first.as<std::string>();
    if (std::find(keys.begin(), keys.end(), k) == keys.end())
      d.add(yaml_location(file, kv.first), "anchors", "unknown key '" + k + "'", did_you_mean(k, keys));
  }
  auto str = [&](const char* k, bool required) {
    if (n[k]) return n[k].as<std::string>();
    if (required) d.add(yaml_location(file, n), "anchors", std::string("missing required key '") + k + "'");
    return std::string();
  };
  a.id = str("id", true);
  a.setup = str("setup", true);
  a.experiment = str("experiment", true);
  a.metric = str("metric", true);
  a.source = str("source", true);
  a.role = str("role", true);
  a.display_unit = str("display_unit", false);
  a.baseline = str("baseline", false);
  try {
    a.row = n["row"] ? n["row"].as<int>() : 0;
    a.multiply = n["multiply"] ? n["multiply"].as<double>() : 1.0;
    a.published = n["published"] ? n["published"].as<double>() : 0.0;
    a.display_scale = n["display_scale"] ? n["display_scale"].as<double>() : 1.0;
  } catch (const YAML::Exception& e) {
    d.add({file, e.mark.line + 1, e.mark.column + 1}, "anchors." + a.id, "expected a number");
  }
  if (a.role != "calibration" && a.role != "prediction")
    d.add(yaml_location(file, n), "anchors." + a.id + ".role", "role must be calibration or prediction");
  if (!(a.published > 0)) d.add(yaml_location(file, n), "anchors." + a.id + ".published", "published must be > 0");
  return a;
}

}  // namespace

bool anchor_selected(const std::vector<std::string>& only, const std::string& id) {
  const auto selects = [&](const std::string& sel) {
    return sel == id || (!sel.empty() && sel.back() == '*' && id.rfind(sel.substr(0, sel.size() - 1), 0) == 0);
  };
  return only.empty() || std::any_of(only.begin(), only.end(), selects);
}

std::string anchor_family(const std::string& id) { return id.substr(0, id.find_first_of("0123456789")); }

std::vector<Anchor> load_anchors(const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".yaml") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  std::vector<Anchor> out;
  Diagnostics d;
  for (const auto& f : files) {
    YAML::Node root;
    try {
      root = YAML::LoadFile(f);
    } catch (const YAML::Exception& e) {
      d.add({f, e.mark.line + 1, e.mark.column + 1}, "", "invalid YAML: " + e.msg);
      continue;
    }
    for (const auto& n : root["anchors"]) out.push_back(parse_anchor(f, n, d));
  }
  if (!d.empty()) throw ConfigError(d);
  return out;
}

std::vector<AnchorResult> run_anchors(const std::vector<Anchor>& anchors, const ValidateOptions& o,
                                      const std::vector<std::vector<std::string>>& sets) {
  const bool temp = o.work_dir.empty();
  const fs::path work =
      temp ? fs::temp_directory_path() / fmt::format("clustersim-validate-{}", getpid()) : fs::path(o.work_dir);
  fs::create_directories(work);
  std::vector<AnchorResult> results;
  std::vector<ChildCommand> commands;
  std::vector<std::pair<int, int>> run_of;  ///< per result: its command and its baseline's (-1: none)
  std::vector<std::string> names;           ///< per result: its run files' stem
  for (size_t k = 0; k < anchors.size(); ++k) {
    const Anchor& a = anchors[k];
    if (!anchor_selected(o.only, a.id)) continue;
    results.push_back({a});
    names.push_back(sets.empty() ? a.id : fmt::format("{}.{}", a.id, k));
    const auto add_run = [&](const std::string& experiment, const std::string& out) {
      std::vector<std::string> argv = {
          o.executable, "run", (fs::path(o.repo_dir) / experiment).string(), "-o", out, "-q", "--no-progress"};
      if (!sets.empty())
        for (const std::string& kv : sets[k]) argv.insert(argv.end(), {"--set", kv});
      commands.push_back({argv, out + ".log"});
      return static_cast<int>(commands.size()) - 1;
    };
    run_of.push_back({add_run(a.experiment, (work / (names.back() + ".h5")).string()),
                      a.baseline.empty() ? -1 : add_run(a.baseline, (work / (names.back() + ".base.h5")).string())});
  }
  const std::vector<int> codes = run_processes(commands, o.jobs);
  for (size_t i = 0; i < results.size(); ++i) {
    AnchorResult& r = results[i];
    const std::string out = (work / (names[i] + ".h5")).string();
    const std::string base = (work / (names[i] + ".base.h5")).string();
    const auto [run, base_run] = run_of[i];
    if (codes[run] != 0 || (base_run >= 0 && codes[base_run] != 0)) {
      const bool main_failed = codes[run] != 0;
      r.failure = fmt::format("run failed (exit {}), see {}", codes[main_failed ? run : base_run],
                              (main_failed ? out : base) + ".log");
      continue;
    }
    try {
      r.predicted = read_metric_h5(out, r.anchor.metric, r.anchor.row) * r.anchor.multiply;
      if (!r.anchor.baseline.empty()) r.predicted /= read_metric_h5(base, r.anchor.metric, r.anchor.row);
      r.error = (r.predicted - r.anchor.published) / r.anchor.published;
      r.ok = std::isfinite(r.predicted);
      if (!r.ok) r.failure = "the metric is not a number";
    } catch (const std::exception& e) {
      r.failure = e.what();
    }
  }
  if (temp) fs::remove_all(work);
  return results;
}

double median_of(std::vector<double> v) {
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

void prediction_errors(const std::vector<AnchorResult>& results, double& median, double& max, int& n) {
  std::vector<double> errs;
  for (const auto& r : results)
    if (r.ok && r.anchor.role == "prediction") errs.push_back(std::fabs(r.error));
  std::sort(errs.begin(), errs.end());
  n = static_cast<int>(errs.size());
  median = median_of(errs);
  max = errs.empty() ? NAN : errs.back();
}

std::string format_validation(const std::vector<AnchorResult>& results) {
  std::string s = fmt::format("{:<5} {:<11} {:<62} {:>12} {:>12} {:>8}  {}\n", "id", "role", "setup", "published",
                              "predicted", "error", "unit / source");
  std::vector<std::string> calibration;
  for (const auto& r : results) {
    const Anchor& a = r.anchor;
    if (a.role == "calibration") calibration.push_back(a.id);
    const std::string setup = a.setup.size() > 62 ? a.setup.substr(0, 59) + "..." : a.setup;
    if (!r.ok) {
      s += fmt::format("{:<5} {:<11} {:<62} {:>12.4g} {:>12} {:>8}  {}\n", a.id, a.role, setup,
                       a.published / a.display_scale, "FAILED", "-", r.failure);
      continue;
    }
    s += fmt::format("{:<5} {:<11} {:<62} {:>12.4g} {:>12.4g} {:>+7.1f}%  {} / {}\n", a.id, a.role, setup,
                     a.published / a.display_scale, r.predicted / a.display_scale, 100 * r.error, a.display_unit,
                     a.source);
  }
  double median = 0, max = 0;
  int n = 0;
  prediction_errors(results, median, max, n);
  // Per family of anchors (the id's letters: T training, I inference, P power), then all together.
  std::vector<std::string> families;
  for (const auto& r : results) {
    const std::string f = anchor_family(r.anchor.id);
    if (std::find(families.begin(), families.end(), f) == families.end()) families.push_back(f);
  }
  if (families.size() > 1) {
    s += "\n";
    for (const std::string& f : families) {
      std::vector<AnchorResult> of;
      for (const auto& r : results)
        if (anchor_family(r.anchor.id) == f) of.push_back(r);
      double fm = 0, fx = 0;
      int fn = 0;
      prediction_errors(of, fm, fx, fn);
      if (fn > 0)
        s += fmt::format("{} anchors: median |error| {:.1f}%, max |error| {:.1f}% over {} cases\n", f, 100 * fm,
                         100 * fx, fn);
    }
  }
  std::string cal;
  for (const auto& c : calibration) cal += (cal.empty() ? "" : ", ") + c;
  s += fmt::format("\ncalibration anchors (fitted, not counted below): {}\n", cal.empty() ? "none" : cal);
  s += fmt::format("median |error| {:.1f}%, max |error| {:.1f}% over {} cases\n", 100 * median, 100 * max, n);
  return s;
}

}  // namespace clustersim
