#include "sim/config/experiment_loader.hpp"

#include <filesystem>
#include <set>
#include <tuple>
#include <utility>

#include "common/statistics.hpp"
#include "sim/config/catalog_loader.hpp"
#include "sim/config/facility_data_loader.hpp"
#include "sim/config/overrides.hpp"
#include "sim/config/software_profiles.hpp"
#include "sim/config/spec_builder.hpp"
#include "sim/config/uncertainty_loader.hpp"
#include "sim/config/yaml_source.hpp"
#include "sim/input/job_trace_reader.hpp"
#include "sim/input/length_quantiles_reader.hpp"

namespace clustersim {

namespace fs = std::filesystem;

namespace {

/// One validation of an experiment tree: resolved keys, merged catalog, typed spec.
struct Pass {
  ResolvedConfig resolved;
  Catalog catalog;
  ExperimentSpec spec;
  FacilityData facility_data;
};

std::string absolute_from(const std::string& base_dir, const std::string& path) {
  const fs::path p(path);
  return (p.is_absolute() ? p : fs::path(base_dir) / p).lexically_normal().string();
}

/// The CSV of a named trace, or `name` resolved against the experiment's directory.
std::string trace_path(const std::string& name, const std::string& base_dir, bool& named) {
  const std::string folder = data_dir() + "/traces/azure-llm-inference-2023/";
  const std::string mooncake = data_dir() + "/traces/mooncake-fast25/";
  named = name == "azure-conv" || name == "azure-code" || name == "mooncake-conv" || name == "mooncake-synthetic";
  if (name == "azure-conv") return folder + "AzureLLMInferenceTrace_conv.csv";
  if (name == "azure-code") return folder + "AzureLLMInferenceTrace_code.csv";
  if (name == "mooncake-conv") return mooncake + "conversation_trace.jsonl";
  if (name == "mooncake-synthetic") return mooncake + "synthetic_trace.jsonl";
  return absolute_from(base_dir, name);
}

/// Applies --set overrides to the parsed tree; returns canonical key path -> value for locations.
std::map<std::string, std::string> apply_overrides(YAML::Node root, const std::vector<Override>& overrides,
                                                   Diagnostics& diags) {
  std::map<std::string, std::string> applied;
  for (const auto& o : overrides) {
    const SourceLocation where{"--set " + o.key + "=" + o.value, 0, 0};
    KeyPath path;
    std::string error;
    if (!parse_key_path(o.key, path, error)) {
      diags.add(where, o.key, error);
    } else if (!apply_override(root, path, o.value, error)) {
      diags.add(where, path.canonical, error);
    } else {
      applied[path.canonical] = o.value;
    }
  }
  return applied;
}

/// Makes catalog_files absolute and merges the catalog: shipped files, user files, inline entries.
Catalog load_experiment_catalog(ResolvedConfig& resolved, const std::string& base_dir, Diagnostics& diags) {
  CatalogBuilder builder;
  check_data_dir(diags);
  for (const auto& f : shipped_catalog_files()) builder.add_file(f, diags);
  YAML::Node files = resolved.tree["catalog_files"];
  for (size_t i = 0; files.IsSequence() && i < files.size(); ++i) {
    const std::string file = absolute_from(base_dir, files[i].Scalar());
    files[i] = file;
    if (!fs::is_regular_file(file)) {
      diags.add(resolved.location_of("catalog_files"), "catalog_files", "catalog file '" + file + "' not found");
      continue;
    }
    builder.add_file(file, diags);
  }
  builder.merge(yaml_child(resolved.tree, "catalog"), resolved, "catalog", diags);
  Catalog catalog = builder.build(diags);
  if (shipped_catalog_files().empty() && catalog.accelerators.empty())  // nothing shipped, nothing inline
    check_data_dir(diags, true);
  return catalog;
}

/// Resolves inference trace names and paths to absolute CSV paths, in the spec and (for paths) the tree.
void resolve_traces(Pass& p, const std::string& base_dir, Diagnostics& diags) {
  for (size_t i = 0; i < p.spec.inference.size(); ++i) {
    auto& arrivals = p.spec.inference[i].arrivals;
    if (arrivals.kind != ArrivalKind::kTrace || arrivals.trace.empty()) continue;
    bool named = false;
    const std::string file = trace_path(arrivals.trace, base_dir, named);
    const std::string key = "workload.inference[" + std::to_string(i) + "].arrivals.trace";
    if (!fs::is_regular_file(file)) {
      diags.add(p.resolved.location_of(key), key, "trace file '" + file + "' not found",
                named ? "the shipped traces live in data/traces" : "paths are relative to the experiment file");
      continue;
    }
    arrivals.trace = file;
    if (!named) p.resolved.tree["workload"]["inference"][i]["arrivals"]["trace"] = file;
  }
  // Job traces: a name stays a name (the reader knows its format); a path becomes absolute.
  for (size_t i = 0; i < p.spec.training_streams.size(); ++i) {
    std::string& trace = p.spec.training_streams[i].trace;
    if (trace.empty()) continue;
    const bool named = trace == kOpenbJobTrace;
    const std::string file = named ? job_trace_path(trace, data_dir()) : absolute_from(base_dir, trace);
    const std::string key = "workload.job_streams[" + std::to_string(i) + "].trace";
    if (!fs::is_regular_file(file)) {
      diags.add(p.resolved.location_of(key), key, "job trace '" + file + "' not found",
                named ? "the shipped traces live in data/traces" : "paths are relative to the experiment file");
      continue;
    }
    if (named) continue;
    trace = file;
    p.resolved.tree["workload"]["job_streams"][i]["trace"] = file;
  }
}

/// A batch's requests have the mean lengths unless the experiment writes `lengths` (the schema's default,
/// exponential, is the Poisson streams'): the spec and the stored configuration say fixed.
void default_batch_lengths(Pass& p) {
  for (size_t i = 0; i < p.spec.inference.size(); ++i) {
    ArrivalSpec& a = p.spec.inference[i].arrivals;
    if (a.kind != ArrivalKind::kBatch ||
        p.resolved.locations.count("workload.inference[" + std::to_string(i) + "].arrivals.lengths") > 0)
      continue;
    a.lengths = LengthDistribution::kFixed;
    p.resolved.tree["workload"]["inference"][i]["arrivals"]["lengths"] = "fixed";
  }
}

/// An empirical length table (arrivals.lengths: servegen-*, mlperf-*) gives its shape; a mean the experiment writes
/// rescales that side of it, one it leaves out is the table's own (the spec and the stored configuration say so). The
/// spec keeps the table at its means (a factor of exactly 1 for an unwritten one).
void resolve_empirical_lengths(Pass& p, Diagnostics& diags) {
  for (size_t i = 0; i < p.spec.inference.size(); ++i) {
    ArrivalSpec& a = p.spec.inference[i].arrivals;
    const std::string file = empirical_lengths_file(a.lengths);
    if (file.empty() || a.kind == ArrivalKind::kTrace) continue;
    const std::string key = "workload.inference[" + std::to_string(i) + "].arrivals.";
    if (!fs::is_regular_file(data_dir() + "/" + file)) {
      diags.add(p.resolved.location_of(key + "lengths"), key + "lengths",
                "length table '" + data_dir() + "/" + file + "' not found", "the shipped tables live in data/traces");
      continue;
    }
    LengthQuantiles table = read_length_quantiles(data_dir() + "/" + file);
    for (auto [name, mean, quantiles] : {std::tuple{"input_tokens", &a.input_tokens, &table.input_tokens},
                                         {"output_tokens", &a.output_tokens, &table.output_tokens}}) {
      if (p.resolved.locations.count(key + name) == 0) {
        *mean = quantiles_mean(*quantiles);
        p.resolved.tree["workload"]["inference"][i]["arrivals"][name] = *mean;
      }
      scale_quantiles_to_mean(*quantiles, *mean);
    }
    a.empirical_lengths = std::move(table);
  }
}

Pass run_pass(const YAML::Node& root, const std::string& path, const std::map<std::string, std::string>& overridden,
              const SetupChecks& checks, Diagnostics& diags) {
  Pass p;
  const std::string base_dir = fs::absolute(fs::path(path)).parent_path().string();
  p.resolved = resolve(root, experiment_schema(), path, diags, "", overridden);
  p.catalog = load_experiment_catalog(p.resolved, base_dir, diags);
  p.spec = build_spec(p.resolved.tree, p.catalog);
  apply_software_profiles(root, p.catalog, p.resolved, p.spec, diags);
  default_batch_lengths(p);
  resolve_empirical_lengths(p, diags);
  resolve_traces(p, base_dir, diags);
  if (p.spec.facility.model == FacilityModelKind::kCooling) {
    p.facility_data = load_facility_data(diags);
    check_facility(p.spec.facility, p.resolved, p.facility_data, diags);
  }
  if (checks.budget == nullptr || checks.budget(p.spec, p.resolved, diags)) {
    const RuleOutcome outcome = check_experiment(p.spec, p.resolved, p.catalog, diags);
    if (checks.physical != nullptr) checks.physical(p.spec, p.resolved, p.catalog, outcome, diags);
  }
  return p;
}

std::string signature(const Diagnostic& d) { return d.key_path + "\x1f" + d.message; }

SourceLocation mark_or(const YAML::Node& n, const std::string& file, const SourceLocation& fallback) {
  const YAML::Mark m = n.Mark();
  return m.is_null() ? fallback : SourceLocation{file, m.line + 1, m.column + 1};
}

/// Validates the grid of `section` (sweep or plan): each key a schema path, each value valid when applied alone as
/// an override (reported at the value, only for problems the base experiment does not have). Returns the axes in
/// order.
std::vector<SweepAxis> check_grid(const Pass& base, const std::string& path, const std::string& source_text,
                                  const std::vector<Override>& overrides, const SetupChecks& checks, Diagnostics& diags,
                                  const std::string& section) {
  std::vector<SweepAxis> axes;
  const std::string grid_path = section + ".grid";
  const YAML::Node grid = yaml_child(yaml_child(base.resolved.tree, section), "grid");
  const SourceLocation grid_loc = base.resolved.location_of(grid_path);
  if (grid.IsNull() || (grid.IsMap() && grid.size() == 0)) return axes;
  if (!grid.IsMap()) {
    diags.add(grid_loc, grid_path, "expected a mapping of key -> list of values",
              "e.g. grid: {fabric.link: [400Gbps, 800Gbps]}");
    return axes;
  }
  std::set<std::string> known;
  for (const auto& d : diags.items()) known.insert(signature(d));
  for (auto it = grid.begin(); it != grid.end(); ++it) {
    const std::string key = it->first.Scalar();
    const SourceLocation key_loc = mark_or(it->first, path, grid_loc);
    const std::string axis_path = grid_path + "." + key;
    KeyPath kp;
    std::string error, hint;
    if (!parse_key_path(key, kp, error) || !check_schema_path(kp, experiment_schema(), error, hint)) {
      diags.add(key_loc, grid_path, "bad " + section + " key '" + key + "': " + error, hint);
      continue;
    }
    const YAML::Node values = it->second;
    if (!values.IsSequence() || values.size() == 0) {
      diags.add(mark_or(values, path, key_loc), axis_path, "expected a non-empty list of values",
                "e.g. " + key + ": [a, b]");
      continue;
    }
    SweepAxis axis{kp.canonical, {}};
    for (const auto& v : values) {
      const SourceLocation value_loc = mark_or(v, path, key_loc);
      if (!v.IsScalar()) {
        diags.add(value_loc, axis_path, section + " values must be single values, got a list or mapping");
        continue;
      }
      const std::string text = YAML::Dump(v);
      axis.values.push_back(text);
      YAML::Node again = YAML::Load(source_text);  // a fresh tree: marks intact, base tree untouched
      if (!again.IsMap()) again.reset(YAML::Node(YAML::NodeType::Map));
      Diagnostics scratch;  // --set problems are already reported by the base pass
      auto overridden = apply_overrides(again, overrides, scratch);
      if (!apply_override(again, kp, text, error)) {
        diags.add(value_loc, axis_path, section + " value '" + v.Scalar() + "': " + error);
        continue;
      }
      overridden[kp.canonical] = text;
      Diagnostics found;
      run_pass(again, path, overridden, checks, found);
      for (const auto& d : found.items()) {
        if (known.count(signature(d))) continue;
        diags.add(value_loc, axis_path,
                  section + " value '" + v.Scalar() + "' is invalid: " + (d.key_path.empty() ? "" : d.key_path + ": ") +
                      d.message,
                  d.hint);
      }
    }
    axes.push_back(axis);
  }
  return axes;
}

/// A key of the plan (plan.size, a key of plan.scale) as a checked schema path; false (and a diagnostic) if not.
bool plan_key(const std::string& key, const SourceLocation& loc, const std::string& where, std::string& canonical,
              Diagnostics& diags) {
  KeyPath kp;
  std::string error, hint;
  if (!parse_key_path(key, kp, error) || !check_schema_path(kp, experiment_schema(), error, hint)) {
    diags.add(loc, where, "bad key '" + key + "': " + error, hint);
    return false;
  }
  canonical = kp.canonical;
  return true;
}

/// The conditions under `key` (plan.meet, plan.limits): metric -> {at_least: x} or {at_most: x}.
std::vector<PlanCondition> plan_conditions(const Pass& base, const std::string& path, const std::string& key,
                                           Diagnostics& diags) {
  std::vector<PlanCondition> out;
  const YAML::Node node = yaml_child(yaml_child(base.resolved.tree, "plan"), key.substr(key.find('.') + 1));
  const SourceLocation node_loc = base.resolved.location_of(key);
  if (node.IsNull() || (node.IsMap() && node.size() == 0)) return out;
  if (!node.IsMap()) {
    diags.add(node_loc, key, "expected a mapping of metric -> {at_least: x} or {at_most: x}");
    return out;
  }
  for (auto it = node.begin(); it != node.end(); ++it) {
    const std::string metric = it->first.Scalar();
    const SourceLocation loc = mark_or(it->first, path, node_loc);
    const size_t dot = metric.find('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == metric.size()) {
      diags.add(loc, key, "bad metric '" + metric + "': expected GROUP.NAME",
                "e.g. services.slo_attainment, jobs.step_time, summary.facility_power_mean");
      continue;
    }
    const YAML::Node c = it->second;
    const bool least = c.IsMap() && c["at_least"], most = c.IsMap() && c["at_most"];
    double bound = 0;
    if (least == most || !YAML::convert<double>::decode(least ? c["at_least"] : c["at_most"], bound) ||
        !std::isfinite(bound)) {
      diags.add(mark_or(c, path, loc), key + "." + metric, "expected {at_least: NUMBER} or {at_most: NUMBER}",
                "e.g. " + metric + ": {at_least: 0.99}");
      continue;
    }
    out.push_back({metric, least, bound});
  }
  return out;
}

/// Validates plan.size, plan.min/max, plan.scale and plan.meet into `plan` (the grid: check_grid).
void check_plan(const Pass& base, const std::string& path, PlanSpec& plan, Diagnostics& diags) {
  const YAML::Node node = yaml_child(base.resolved.tree, "plan");
  if (node.IsNull() || plan.size_key.empty()) {
    auto given = [&](const char* key) {
      const YAML::Node n = yaml_child(node, key);
      return !n.IsNull() && !(n.IsMap() && n.size() == 0);
    };
    if (!node.IsNull() && (given("meet") || given("grid") || given("scale")))
      diags.add(base.resolved.location_of("plan"), "plan", "a plan needs plan.size: the integer key to size",
                "e.g. plan: {size: workload.inference[0].replicas, meet: {services.slo_attainment: {at_least: 0.99}}}");
    return;
  }
  const SourceLocation size_loc = base.resolved.location_of("plan.size");
  plan_key(plan.size_key, size_loc, "plan.size", plan.size_key, diags);
  if (plan.min_size > plan.max_size)
    diags.add(base.resolved.location_of("plan.min"), "plan.min",
              "plan.min " + std::to_string(plan.min_size) + " is above plan.max " + std::to_string(plan.max_size));
  const YAML::Node scale = yaml_child(node, "scale");
  const SourceLocation scale_loc = base.resolved.location_of("plan.scale");
  if (scale.IsMap()) {
    for (auto it = scale.begin(); it != scale.end(); ++it) {
      const SourceLocation loc = mark_or(it->first, path, scale_loc);
      std::string key;
      if (!plan_key(it->first.Scalar(), loc, "plan.scale", key, diags)) continue;
      double factor = 0;
      if (!it->second.IsScalar() || !YAML::convert<double>::decode(it->second, factor) || !(factor > 0) ||
          !std::isfinite(factor)) {
        diags.add(mark_or(it->second, path, loc), "plan.scale." + key, "expected a positive factor",
                  "e.g. cluster.servers: 1 (one server per unit of size)");
        continue;
      }
      plan.scale.emplace_back(key, factor);
    }
  } else if (!scale.IsNull()) {
    diags.add(scale_loc, "plan.scale", "expected a mapping of key -> factor", "e.g. scale: {cluster.servers: 1}");
  }
  const YAML::Node meet = yaml_child(node, "meet");
  if (!meet.IsMap() || meet.size() == 0) {
    diags.add(base.resolved.location_of("plan.meet"), "plan.meet", "a plan needs at least one condition",
              "e.g. meet: {services.slo_attainment: {at_least: 0.99}}");
    return;
  }
  plan.meet = plan_conditions(base, path, "plan.meet", diags);
  plan.limits = plan_conditions(base, path, "plan.limits", diags);
}

}  // namespace

LoadedExperiment load_experiment(const std::string& path, const std::vector<Override>& overrides,
                                 const SetupChecks& checks) {
  LoadedExperiment out;
  out.source_path = path;
  Diagnostics diags;
  YAML::Node root;
  if (!load_yaml_file(path, "cannot read experiment file", root, out.source_yaml, diags)) throw ConfigError(diags);
  const auto overridden = apply_overrides(root, overrides, diags);
  Pass base = run_pass(root, path, overridden, checks, diags);
  const auto axes = check_grid(base, path, out.source_yaml, overrides, checks, diags, "sweep");
  const auto plan_axes = check_grid(base, path, out.source_yaml, overrides, checks, diags, "plan");
  PlanSpec plan = base.spec.plan;
  check_plan(base, path, plan, diags);
  if (!diags.empty()) throw ConfigError(diags);
  out.spec = base.spec;
  out.spec.sweep.grid = axes;
  out.spec.plan = plan;
  out.spec.plan.grid = plan_axes;
  out.catalog = base.catalog;
  out.facility_data = base.facility_data;
  out.bands = load_uncertainty_bands(shipped_bands_path(), diags);
  if (!diags.empty()) throw ConfigError(diags);
  // The calibration stays as the catalog gives it (by_gpu beside each value): a site of several pools resolves it
  // per accelerator where a job or service is built (CalibrationSpec::for_accelerator).
  out.resolved_yaml = emit_resolved(base.resolved.tree, experiment_schema());
  return out;
}

}  // namespace clustersim
