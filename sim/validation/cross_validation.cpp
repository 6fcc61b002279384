#include "sim/validation/cross_validation.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>

#include "common/diagnostics.hpp"
#include "sim/config/overrides.hpp"
#include "sim/config/yaml_source.hpp"

namespace clustersim {

namespace fs = std::filesystem;

namespace {

constexpr double kPerturbation = 1.05;  ///< sensitivity runs: the constant 5 % higher

/// The catalog scalar at `key` ("catalog.SECTION.a.b"), found in the file of `catalog_dir` whose top-level key is
/// SECTION; "" with `error` set when there is none.
std::string catalog_scalar(const std::string& catalog_dir, const std::string& key, std::string& error) {
  KeyPath path;
  std::vector<std::string> parts;
  if (parse_key_path(key, path, error))
    for (const auto& segment : path.segments) parts.push_back(segment.key);
  if (parts.size() < 3 || parts[0] != "catalog") {
    error = "a fitted constant is a catalog key path: catalog.SECTION.ENTRY...";
    return "";
  }
  std::vector<std::string> files;
  for (const auto& f : fs::directory_iterator(catalog_dir))
    if (f.path().extension() == ".yaml") files.push_back(f.path().string());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    YAML::Node n = yaml_child(YAML::LoadFile(f), parts[1]);  // a null node when missing
    if (n.IsNull()) continue;
    for (size_t i = 2; i < parts.size() && !n.IsNull(); ++i) n.reset(yaml_child(n, parts[i]));
    if (!n.IsScalar()) {
      error = "'" + key + "' is not a number in " + f;
      return "";
    }
    return n.as<std::string>();
  }
  error = "no catalog file in " + catalog_dir + " has a section '" + parts[1] + "'";
  return "";
}

std::string assignment(const FitConstant& c, double value) {
  return fmt::format("{}={:.6g}{}", c.key, value, c.suffix);
}

}  // namespace

std::vector<FitGroup> load_fit_groups(const std::string& file, const std::string& catalog_dir,
                                      const std::vector<Anchor>& anchors) {
  Diagnostics d;
  YAML::Node root;
  try {
    root = YAML::LoadFile(file);
  } catch (const YAML::Exception& e) {
    d.add({file, e.mark.line + 1, e.mark.column + 1}, "", "invalid YAML: " + e.msg);
    throw ConfigError(d);
  }
  std::vector<FitGroup> groups;
  static const std::vector<std::string> keys = {"name", "description", "constants", "anchors", "band", "kinds"};
  static const std::vector<std::string> band_keys = {"quantity", "gpu", "precision", "engine", "kind"};
  for (const auto& n : root["fit_groups"]) {
    FitGroup g;
    for (const auto& kv : n) {
      const std::string k = kv.first.as<std::string>();
      if (std::find(keys.begin(), keys.end(), k) == keys.end())
        d.add(yaml_location(file, kv.first), "fit_groups", "unknown key '" + k + "'", did_you_mean(k, keys));
    }
    g.name = n["name"] ? n["name"].as<std::string>() : "";
    g.description = n["description"] ? n["description"].as<std::string>() : "";
    const std::string path = "fit_groups." + g.name;
    for (const auto& c : n["constants"]) {
      FitConstant fc;
      fc.key = c.as<std::string>();
      std::string error;
      const std::string text = catalog_scalar(catalog_dir, fc.key, error);
      char* end = nullptr;
      fc.value = text.empty() ? NAN : std::strtod(text.c_str(), &end);
      if (!text.empty()) {
        fc.suffix = end;
        fc.suffix.erase(0, fc.suffix.find_first_not_of(' '));
      }
      if (!error.empty() || !(fc.value > 0) || !std::isfinite(fc.value))
        d.add(yaml_location(file, c), path + ".constants",
              error.empty() ? "'" + fc.key + "' = '" + text + "' is not a positive number" : error,
              "fits refit positive catalog numbers, e.g. catalog.calibration.power_memory_activity.value");
      g.constants.push_back(fc);
    }
    for (const auto& a : n["anchors"]) {
      const std::string id = a.as<std::string>();
      if (std::none_of(anchors.begin(), anchors.end(), [&](const Anchor& x) { return x.id == id; }))
        d.add(yaml_location(file, a), path + ".anchors", "no anchor '" + id + "' in the anchor files");
      g.anchors.push_back(id);
    }
    if (const YAML::Node b = n["band"]) {
      for (const auto& kv : b) {
        const std::string k = kv.first.as<std::string>();
        if (std::find(band_keys.begin(), band_keys.end(), k) == band_keys.end())
          d.add(yaml_location(file, kv.first), path + ".band", "unknown key '" + k + "'", did_you_mean(k, band_keys));
      }
      const auto text = [&](const char* k) { return b[k] ? b[k].as<std::string>() : std::string(); };
      g.band = {g.name, text("quantity"), text("gpu"), text("precision"), text("engine")};
      g.band.kind = text("kind");
      if (g.band.quantity.empty()) d.add(yaml_location(file, b), path + ".band", "a band needs its quantity");
    }
    for (const auto& kv : n["kinds"]) {
      const std::string kind = kv.first.as<std::string>();
      if (kind != band_kind::kMoe && kind != band_kind::kLongContext)
        d.add(yaml_location(file, kv.first), path + ".kinds", "unknown workload kind '" + kind + "'",
              did_you_mean(kind, {band_kind::kMoe, band_kind::kLongContext}));
      for (const auto& a : kv.second) {
        const std::string id = a.as<std::string>();
        if (std::find(g.anchors.begin(), g.anchors.end(), id) == g.anchors.end())
          d.add(yaml_location(file, a), path + ".kinds." + kind, "'" + id + "' is not an anchor of the group");
        g.kind_of[id] = kind;
      }
    }
    if (g.name.empty()) d.add(yaml_location(file, n), "fit_groups", "a fit group needs a name");
    if (g.constants.empty() || g.constants.size() > 2)
      d.add(yaml_location(file, n), path + ".constants", "a fit group refits one or two constants");
    else if (g.anchors.size() < g.constants.size() + 1)
      d.add(yaml_location(file, n), path + ".anchors",
            fmt::format("{} constant(s) need at least {} anchors to leave one out", g.constants.size(),
                        g.constants.size() + 1));
    groups.push_back(g);
  }
  if (!d.empty()) throw ConfigError(d);
  return groups;
}

bool log_least_squares_step(const std::vector<double>& r, const std::vector<std::vector<double>>& s,
                            std::vector<double>& step) {
  const size_t m = s.empty() ? 0 : s[0].size();
  step.assign(m, 0.0);
  if (m == 0 || m > 2 || r.size() != s.size()) return false;
  // Normal equations A d = -b with A = S^T S, b = S^T r.
  double a[2][2] = {{0, 0}, {0, 0}}, b[2] = {0, 0};
  for (size_t i = 0; i < r.size(); ++i)
    for (size_t j = 0; j < m; ++j) {
      b[j] += s[i][j] * r[i];
      for (size_t k = 0; k < m; ++k) a[j][k] += s[i][j] * s[i][k];
    }
  const double scale = std::max(a[0][0], m == 2 ? a[1][1] : 0.0);
  if (!(scale > 1e-12)) return false;
  if (m == 1) {
    step[0] = -b[0] / a[0][0];
  } else {
    const double det = a[0][0] * a[1][1] - a[0][1] * a[1][0];
    if (!(std::fabs(det) > 1e-9 * scale * scale)) return false;
    step[0] = -(a[1][1] * b[0] - a[0][1] * b[1]) / det;
    step[1] = -(a[0][0] * b[1] - a[1][0] * b[0]) / det;
  }
  const double limit = std::log(3.0);
  for (double& x : step) x = std::clamp(x, -limit, limit);
  return true;
}

CrossValidation cross_validate(const std::vector<FitGroup>& groups, const std::vector<Anchor>& anchors,
                               const ValidateOptions& options) {
  std::map<std::string, Anchor> by_id;
  for (const Anchor& a : anchors) by_id[a.id] = a;
  ValidateOptions o = options;
  o.only.clear();
  CrossValidation cv;
  for (const FitGroup& g : groups)
    if (std::any_of(g.anchors.begin(), g.anchors.end(),
                    [&](const std::string& id) { return anchor_selected(options.only, id); }))
      cv.groups.push_back(g);

  // Batch 1: every anchor of every group at the shipped values, then once per constant 5 % higher.
  std::vector<Anchor> runs;
  std::vector<std::vector<std::string>> sets;
  for (const FitGroup& g : cv.groups)
    for (const std::string& id : g.anchors) {
      runs.push_back(by_id.at(id));
      sets.push_back({});
      for (size_t j = 0; j < g.constants.size(); ++j) {
        runs.push_back(by_id.at(id));
        sets.push_back({assignment(g.constants[j], g.constants[j].value * kPerturbation)});
      }
    }
  const std::vector<AnchorResult> first = run_anchors(runs, o, sets);

  // The folds: per group and left-out anchor, one Gauss-Newton step on the others.
  std::vector<Anchor> folds;
  std::vector<std::vector<std::string>> fold_sets;
  std::vector<int> fold_of;  ///< per cv.anchors entry: its fold run (-1: none)
  size_t at = 0;
  for (const FitGroup& g : cv.groups) {
    const size_t m = g.constants.size();
    std::vector<double> residual;
    std::vector<std::vector<double>> sens;
    std::vector<bool> usable;
    const size_t first_of_group = cv.anchors.size();
    for (size_t a = 0; a < g.anchors.size(); ++a, at += m + 1) {
      const AnchorResult& base = first[at];
      CrossValidated x;
      x.group = g.name;
      x.in_sample = base;
      std::vector<double> s(m, 0.0);
      bool ok = base.ok && base.predicted > 0;
      for (size_t j = 0; j < m && ok; ++j) {
        const AnchorResult& p = first[at + 1 + j];
        ok = p.ok && p.predicted > 0;
        if (ok) s[j] = std::log(p.predicted / base.predicted) / std::log(kPerturbation);
      }
      if (!ok) x.failure = base.ok ? "a sensitivity run failed" : base.failure;
      usable.push_back(ok);
      residual.push_back(ok ? std::log(base.predicted / base.anchor.published) : 0.0);
      sens.push_back(s);
      cv.anchors.push_back(x);
    }
    const auto fit_without = [&](int left_out, std::vector<double>& values) {
      std::vector<double> r;
      std::vector<std::vector<double>> s;
      // The constants are refitted on the group's dense anchors only: a MoE or long-context anchor is a prediction of
      // a kind they were not fitted for (its fold is the fit on every dense anchor).
      for (size_t b = 0; b < usable.size(); ++b)
        if (usable[b] && static_cast<int>(b) != left_out && g.kind_of.count(g.anchors[b]) == 0) {
          r.push_back(residual[b]);
          s.push_back(sens[b]);
        }
      std::vector<double> step;
      if (r.size() < m || !log_least_squares_step(r, s, step)) return false;
      values.clear();
      for (size_t j = 0; j < m; ++j) values.push_back(g.constants[j].value * std::exp(step[j]));
      return true;
    };
    std::vector<double> pool;
    if (!fit_without(-1, pool)) pool.assign(m, NAN);
    cv.pool_fit.push_back(pool);
    for (size_t a = 0; a < g.anchors.size(); ++a) {
      CrossValidated& x = cv.anchors[first_of_group + a];
      if (!usable[a] || !fit_without(static_cast<int>(a), x.refit)) {
        if (x.failure.empty()) x.failure = "the other anchors do not determine the constants";
        fold_of.push_back(-1);
        continue;
      }
      std::vector<std::string> kv;
      for (size_t j = 0; j < m; ++j) kv.push_back(assignment(g.constants[j], x.refit[j]));
      folds.push_back(by_id.at(g.anchors[a]));
      fold_sets.push_back(kv);
      fold_of.push_back(static_cast<int>(folds.size()) - 1);
    }
  }

  // Batch 2: each left-out anchor at the constants fitted without it.
  const std::vector<AnchorResult> second = run_anchors(folds, o, fold_sets);
  for (size_t i = 0; i < cv.anchors.size(); ++i) {
    if (fold_of[i] < 0) continue;
    const AnchorResult& r = second[fold_of[i]];
    cv.anchors[i].ok = r.ok;
    cv.anchors[i].error = r.error;
    if (!r.ok) cv.anchors[i].failure = r.failure;
  }
  return cv;
}

UncertaintyBands uncertainty_bands(const CrossValidation& cv) {
  UncertaintyBands out;
  for (const FitGroup& g : cv.groups) {
    if (g.band.quantity.empty()) continue;
    for (const char* kind : {band_kind::kDense, band_kind::kMoe, band_kind::kLongContext}) {
      double sum = 0;
      int n = 0;
      for (const auto& x : cv.anchors) {
        const auto k = g.kind_of.find(x.in_sample.anchor.id);
        // A group whose band names a kind stands for that kind with all its anchors.
        const std::string anchor_kind =
            !g.band.kind.empty() ? g.band.kind : (k == g.kind_of.end() ? band_kind::kDense : k->second);
        if (x.group == g.name && x.ok && anchor_kind == kind) {
          sum += x.error * x.error;
          ++n;
        }
      }
      if (n == 0) continue;
      UncertaintyBand b = g.band;
      b.relative = std::sqrt(sum / n);
      b.anchors = n;
      b.kind = kind;
      out.bands.push_back(b);
    }
  }
  return out;
}

std::string bands_yaml(const UncertaintyBands& bands) {
  std::string s =
      "# Uncertainty bands of the model's predictions (spec/uncertainty.hpp), written by\n"
      "#   clustersim validate-models --cross-validate --write-bands data/validation/bands.yaml\n"
      "# Do not edit: regenerate after a change to the models, the anchors or data/validation/fits.yaml (the test\n"
      "# e2e.validate_cross fails when this file and a fresh cross-validation differ). relative: the root mean\n"
      "# square of the fit group's out-of-sample (leave-one-out) relative errors over its `anchors` anchors of the\n"
      "# workload `kind` (dense, moe, long-context: fits.yaml kinds).\n"
      "bands:\n";
  for (const UncertaintyBand& b : bands.bands)
    s += fmt::format(
        "  - {{group: {}, kind: {}, quantity: {}, gpu: \"{}\", precision: \"{}\", engine: \"{}\", relative: {:.3f}, "
        "anchors: {}}}\n",
        b.group, b.kind, b.quantity, b.gpu, b.precision, b.engine, b.relative, b.anchors);
  return s;
}

void cross_validated_errors(const CrossValidation& cv, double& median, double& max, int& n) {
  std::vector<double> e;
  for (const auto& x : cv.anchors)
    if (x.ok) e.push_back(std::fabs(x.error));
  n = static_cast<int>(e.size());
  median = median_of(e);
  max = e.empty() ? NAN : *std::max_element(e.begin(), e.end());
}

std::string format_cross_validation(const CrossValidation& cv) {
  std::string s =
      "\ncross-validation: each anchor of a fit group left out in turn, the group's constants refitted on the "
      "others\n(least squares in log space, one Gauss-Newton step from the shipped values), the left-out anchor "
      "rerun with them\n";
  size_t at = 0;
  for (size_t gi = 0; gi < cv.groups.size(); ++gi) {
    const FitGroup& g = cv.groups[gi];
    s += fmt::format("\n{}: {}\n", g.name, g.description);
    for (size_t j = 0; j < g.constants.size(); ++j)
      s += fmt::format("  {} shipped {:.4g}{}, fitted on all {} anchors {:.4g}{}\n", g.constants[j].key,
                       g.constants[j].value, g.constants[j].suffix, g.anchors.size(), cv.pool_fit[gi][j],
                       g.constants[j].suffix);
    s += fmt::format("  {:<5} {:<11} {:>10} {:>14}  {}\n", "id", "role", "in-sample", "out-of-sample",
                     "refitted without it");
    for (size_t a = 0; a < g.anchors.size(); ++a, ++at) {
      const CrossValidated& x = cv.anchors[at];
      std::string refit;
      for (size_t j = 0; j < x.refit.size(); ++j)
        refit += fmt::format("{}{:.4g}{}", j ? ", " : "", x.refit[j], g.constants[j].suffix);
      const std::string in = x.in_sample.ok ? fmt::format("{:+.1f}%", 100 * x.in_sample.error) : std::string("FAILED");
      if (x.ok)
        s += fmt::format("  {:<5} {:<11} {:>10} {:>13.1f}%  {}\n", x.in_sample.anchor.id, x.in_sample.anchor.role, in,
                         100 * x.error, refit);
      else
        s += fmt::format("  {:<5} {:<11} {:>10} {:>14}  {}\n", x.in_sample.anchor.id, x.in_sample.anchor.role, in, "-",
                         x.failure);
    }
  }
  // Per family and overall: out of sample, and in sample over the same anchors' predictions.
  std::vector<std::string> families;
  for (const auto& x : cv.anchors) {
    const std::string f = anchor_family(x.in_sample.anchor.id);
    if (std::find(families.begin(), families.end(), f) == families.end()) families.push_back(f);
  }
  s += "\n";
  const auto line = [&](const std::string& label, const std::string& family) {
    std::vector<double> out, in;
    for (const auto& x : cv.anchors) {
      if (!family.empty() && anchor_family(x.in_sample.anchor.id) != family) continue;
      if (x.ok) out.push_back(std::fabs(x.error));
      if (x.in_sample.ok && x.in_sample.anchor.role == "prediction") in.push_back(std::fabs(x.in_sample.error));
    }
    if (out.empty()) return;
    s += fmt::format(
        "{}: cross-validated median |error| {:.1f}%, max {:.1f}% over {} anchors; in sample (shipped constants, "
        "predictions) median {:.1f}%, max {:.1f}% over {}\n",
        label, 100 * median_of(out), 100 * *std::max_element(out.begin(), out.end()), out.size(), 100 * median_of(in),
        in.empty() ? NAN : 100 * *std::max_element(in.begin(), in.end()), in.size());
  };
  for (const std::string& f : families) line(f + " anchors", f);
  line("all fit groups", "");
  return s;
}

}  // namespace clustersim
