#include "sim/sweep/plan_runner.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>

#include "sim/results/results.hpp"
#include "sim/sweep/process_pool.hpp"
#include "sim/sweep/sweep_plan.hpp"
#include "sim/sweep/sweep_runner.hpp"

namespace clustersim {

namespace fs = std::filesystem;

SizeSearch start_search(int min_size, int max_size) {
  SizeSearch s;
  s.lo_failed = min_size - 1;
  s.max_size = max_size;
  return s;
}

int SizeSearch::next() const {
  if (hi_met >= 0) return hi_met - lo_failed <= 1 ? -1 : lo_failed + (hi_met - lo_failed) / 2;
  if (lo_failed >= max_size) return -1;  // nothing up to the maximum meets
  // Doubling from the minimum until a size meets.
  const int tried = lo_failed;
  const int first = lo_failed + 1;
  return runs == 0 ? first : std::min(max_size, std::max(tried + 1, 2 * tried));
}

void SizeSearch::record(int size, bool met) {
  ++runs;
  if (met)
    hi_met = hi_met < 0 ? size : std::min(hi_met, size);
  else
    lo_failed = std::max(lo_failed, size);
}

bool dominates(const std::vector<double>& a, const std::vector<double>& b) {
  bool better = false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] > b[i]) return false;
    if (a[i] < b[i]) better = true;
  }
  return better;
}

namespace {

struct Choice {
  SweepPoint point;
  SizeSearch search;
  std::string error;  ///< a run that failed, or a metric that cannot be read
  std::string answer_file;
};

std::string size_file(const std::string& dir, int choice, int size) {
  return (fs::path(dir) / "runs" / fmt::format("choice-{:03d}-size-{:06d}.h5", choice, size)).string();
}

}  // namespace

std::vector<Override> plan_try_overrides(const PlanSpec& plan, const std::vector<Override>& base, const SweepPoint& p,
                                         int size) {
  std::vector<Override> out = base;
  out.push_back({"sweep.grid", "{}"});  // a sweep of the same file is not this run's (its values may not fit the size)
  out.push_back({"plan", "{}"});        // nor the plan itself: its runs stay valid when only the plan changes
  out.insert(out.end(), p.overrides.begin(), p.overrides.end());
  out.push_back({plan.size_key, std::to_string(size)});
  for (const auto& [key, factor] : plan.scale)
    out.push_back({key, std::to_string(static_cast<long long>(std::ceil(size * factor - 1e-9)))});
  return out;
}

namespace {

/// Whether the run in `file` meets every one of `conditions`; throws std::runtime_error when a metric cannot be read.
bool meets(const std::vector<PlanCondition>& conditions, const std::string& file, std::string& why) {
  for (const PlanCondition& c : conditions) {
    const std::vector<double> values = read_metric_values_h5(file, c.metric);
    if (values.empty()) throw std::runtime_error(c.metric + " has no rows in " + file);
    for (double v : values)
      if (!std::isfinite(v) || (c.at_least ? v < c.bound : v > c.bound)) {
        why = fmt::format("{} {:.6g} {} {:.6g}", c.metric, v, c.at_least ? "<" : ">", c.bound);
        return false;
      }
  }
  return true;
}

double summary_value(const std::string& file, const std::string& name) {
  try {
    return read_metric_h5(file, "summary." + name);
  } catch (const std::runtime_error&) {
    return std::numeric_limits<double>::quiet_NaN();
  }
}

std::string choice_label(const SweepPoint& p) {
  const std::string label = point_label(p);
  return label.empty() ? "(the experiment as written)" : label;
}

/// The answers as the table `candidates` of plan.h5, and printed.
void report(const LoadedExperiment& exp, const std::vector<Choice>& choices, const std::string& dir, int runs) {
  const PlanSpec& plan = exp.spec.plan;
  struct Row {
    double gpus, mw_mean, mw_provisioned, j_per_token, tokens_per_s, usd_per_mtok;
    /// The objectives of the front; the cost only when every answer has one (a server without a price: none).
    std::vector<double> objectives(bool with_cost) const {
      std::vector<double> o = {gpus, mw_provisioned, j_per_token};
      if (with_cost) o.push_back(usd_per_mtok);
      return o;
    }
  };
  std::vector<Row> rows;
  for (const Choice& c : choices) {
    const std::string& f = c.answer_file;
    if (f.empty()) {
      const double nan = std::numeric_limits<double>::quiet_NaN();
      rows.push_back({nan, nan, nan, nan, nan, nan});
      continue;
    }
    rows.push_back({summary_value(f, "gpus"), summary_value(f, "facility_power_mean"),
                    summary_value(f, "facility_power_provisioned"), summary_value(f, "energy_per_token"),
                    summary_value(f, "training_tokens_per_s") + summary_value(f, "inference_output_tokens_per_s"),
                    summary_value(f, "cost_per_million_tokens")});
  }
  // Limits (plan.limits) on each answer: one past them is over its limits, off the front.
  std::vector<int64_t> within(choices.size(), 1);
  std::vector<std::string> over(choices.size());
  for (size_t i = 0; i < choices.size(); ++i) {
    if (choices[i].answer_file.empty() || plan.limits.empty()) continue;
    try {
      within[i] = meets(plan.limits, choices[i].answer_file, over[i]) ? 1 : 0;
    } catch (const std::runtime_error& e) {
      within[i] = 0;
      over[i] = e.what();
    }
  }
  auto eligible = [&](size_t i) { return !choices[i].answer_file.empty() && within[i] != 0; };
  bool with_cost = true;
  for (size_t i = 0; i < choices.size(); ++i)
    if (!choices[i].answer_file.empty() && !std::isfinite(rows[i].usd_per_mtok)) with_cost = false;
  std::vector<int64_t> front(choices.size(), 0);
  for (size_t i = 0; i < choices.size(); ++i) {
    if (!eligible(i)) continue;
    bool beaten = false;
    for (size_t j = 0; j < choices.size() && !beaten; ++j)
      beaten = j != i && eligible(j) && dominates(rows[j].objectives(with_cost), rows[i].objectives(with_cost));
    front[i] = beaten ? 0 : 1;
  }
  std::string conditions;
  for (const auto& c : plan.meet)
    conditions +=
        fmt::format("{}{} {} {:g}", conditions.empty() ? "" : ", ", c.metric, c.at_least ? ">=" : "<=", c.bound);
  std::string limits;
  for (const auto& c : plan.limits)
    limits += fmt::format("{}{} {} {:g}", limits.empty() ? "" : ", ", c.metric, c.at_least ? ">=" : "<=", c.bound);
  std::printf("plan: the smallest %s in [%d, %d] with %s; %zu choices, %d simulations%s\n", plan.size_key.c_str(),
              plan.min_size, plan.max_size, conditions.c_str(), choices.size(), runs,
              limits.empty() ? "" : ("; limits " + limits).c_str());
  std::printf("  %-40s %8s %8s %12s %12s %10s %10s %5s %s\n", "choice", "size", "GPUs", "facility MW", "provisioned",
              "J/token", "$/Mtoken", "runs", "front");
  TableResult t{"candidates", "candidate", {}, ""};
  std::vector<std::vector<std::string>> axis(plan.grid.size());
  std::vector<int64_t> size, sims;
  std::vector<double> gpus, mw, provisioned, jpt, tps, usd;
  std::vector<std::string> files, errors;
  for (size_t i = 0; i < choices.size(); ++i) {
    const Choice& c = choices[i];
    const int answer = c.search.answer();
    for (size_t a = 0; a < plan.grid.size(); ++a) axis[a].push_back(c.point.overrides[a].value);
    size.push_back(answer);
    sims.push_back(c.search.runs);
    gpus.push_back(rows[i].gpus);
    mw.push_back(rows[i].mw_mean);
    provisioned.push_back(rows[i].mw_provisioned);
    jpt.push_back(rows[i].j_per_token);
    tps.push_back(rows[i].tokens_per_s);
    usd.push_back(rows[i].usd_per_mtok);
    files.push_back(c.answer_file.empty() ? "" : fs::relative(c.answer_file, dir).string());
    errors.push_back(c.error);
    if (answer < 0)
      std::printf(
          "  %-40s %8s %s\n", choice_label(c.point).c_str(), "none",
          c.error.empty() ? fmt::format("(nothing up to {} meets them)", plan.max_size).c_str() : c.error.c_str());
    else
      std::printf("  %-40s %8d %8.0f %12.4g %12.4g %10.4g %10.4g %5d %s\n", choice_label(c.point).c_str(), answer,
                  rows[i].gpus, rows[i].mw_mean / 1e6, rows[i].mw_provisioned / 1e6, rows[i].j_per_token,
                  rows[i].usd_per_mtok, c.search.runs,
                  front[i]    ? "*"
                  : within[i] ? ""
                              : ("over: " + over[i]).c_str());
  }
  std::printf(
      "  front (*): no other answer needs fewer GPUs, less provisioned facility power, fewer J/token%s at once\n",
      with_cost ? " and less money per million tokens (TCO)" : " (no cost: a server has no price)");
  for (size_t a = 0; a < plan.grid.size(); ++a)
    t.columns.push_back({plan.grid[a].key, "", "choice: " + plan.grid[a].key + " (as written)", axis[a]});
  t.columns.push_back({"size", "1", "the smallest " + plan.size_key + " meeting the conditions (-1: none)", size});
  t.columns.push_back({"simulations", "1", "runs the search used for this choice", sims});
  t.columns.push_back({"gpus", "1", "GPUs of the answer", gpus});
  t.columns.push_back({"facility_power_mean", "W", "mean facility power of the answer", mw});
  t.columns.push_back(
      {"facility_power_provisioned", "W", "facility power the answer's site must be built for", provisioned});
  t.columns.push_back({"energy_per_token", "J/token", "facility energy per token of the answer", jpt});
  t.columns.push_back({"tokens_per_s", "token/s", "training and generated tokens per second of the answer", tps});
  t.columns.push_back({"cost_per_million_tokens", "USD", "TCO per million tokens of the answer (NaN: no price)", usd});
  t.columns.push_back(
      {"front", "1", "1: no other answer is better in GPUs, provisioned power, J/token (and cost) at once", front});
  t.columns.push_back(
      {"within_limits", "1", "1: the answer keeps every plan.limits condition (0: off the front)", within});
  t.columns.push_back({"over_limits", "", "the limit the answer breaks (empty: none)", over});
  t.columns.push_back({"file", "", "results file of the answer, relative to the plan directory", files});
  t.columns.push_back(
      {"error", "", "why the choice has no answer (empty: it has one, or none up to plan.max)", errors});
  RunResults out;
  out.string_attrs["schema"] = "clustersim.plan/1";
  out.string_attrs["experiment"] = exp.spec.name;
  out.string_attrs["config_yaml"] = exp.resolved_yaml;
  out.string_attrs["plan_size"] = plan.size_key;
  out.string_attrs["plan_conditions"] = conditions;
  out.string_attrs["plan_limits"] = limits;
  out.summary.push_back({"simulations", static_cast<double>(runs), "1", "simulations the plan ran or reused"});
  out.tables.push_back(t);
  const std::string path = (fs::path(dir) / "plan.h5").string();
  write_results_h5(out, path);
  std::printf("plan written to %s\n", path.c_str());
}

}  // namespace

int run_plan(const LoadedExperiment& exp, const PlanOptions& o) {
  const PlanSpec& plan = exp.spec.plan;
  if (plan.size_key.empty()) {
    std::fprintf(stderr, "clustersim plan: error: %s has no plan: section (plan.size, plan.meet)\n",
                 exp.source_path.c_str());
    return 2;
  }
  const std::string dir = o.output_dir;
  fs::create_directories(fs::path(dir) / "runs");
  SweepSpec grid;
  grid.grid = plan.grid;
  std::vector<Choice> choices;
  for (const SweepPoint& p : plan_sweep(grid))
    choices.push_back({p, start_search(plan.min_size, plan.max_size), "", ""});
  int runs = 0;
  for (int round = 1;; ++round) {
    // One try per open choice, all of them in parallel.
    std::vector<ChildCommand> commands;
    std::vector<std::pair<size_t, int>> tries;  // (choice, size)
    std::vector<size_t> reused;
    for (size_t i = 0; i < choices.size(); ++i) {
      Choice& c = choices[i];
      const int size = c.error.empty() ? c.search.next() : -1;
      if (size < 0) continue;
      const std::string file = size_file(dir, static_cast<int>(i), size);
      const std::vector<Override> overrides = plan_try_overrides(plan, o.base_overrides, c.point, size);
      tries.emplace_back(i, size);
      if (fs::exists(file) && point_state(file, resolved_config(exp, overrides)) == PointState::kComplete) {
        reused.push_back(tries.size() - 1);
        continue;
      }
      commands.push_back({run_command(o.executable, o.experiment_path, overrides, file), file + ".log"});
    }
    if (tries.empty()) break;
    std::vector<int> codes = run_processes(commands, o.jobs);
    // Outcomes in try order: reused tries have no command.
    size_t k = 0;
    for (size_t t = 0; t < tries.size(); ++t) {
      const auto [i, size] = tries[t];
      Choice& c = choices[i];
      const std::string file = size_file(dir, static_cast<int>(i), size);
      const bool was_reused = std::find(reused.begin(), reused.end(), t) != reused.end();
      const int code = was_reused ? 0 : codes[k++];
      ++runs;
      if (code != 0) {
        c.error = fmt::format("the run of size {} failed (exit {}): see {}.log", size, code, file);
        std::fprintf(stderr, "  %s: %s\n", choice_label(c.point).c_str(), c.error.c_str());
        continue;
      }
      std::string why;
      bool met = false;
      try {
        met = meets(plan.meet, file, why);
      } catch (const std::runtime_error& e) {
        c.error = e.what();
        std::fprintf(stderr, "  %s: %s\n", choice_label(c.point).c_str(), c.error.c_str());
        continue;
      }
      c.search.record(size, met);
      if (met && c.search.hi_met == size) c.answer_file = file;
      std::fprintf(stderr, "  [round %d] %s, size %d: %s%s\n", round, choice_label(c.point).c_str(), size,
                   met ? "meets" : "fails: ", met ? (was_reused ? " (reused)" : "") : why.c_str());
    }
  }
  for (Choice& c : choices)
    if (c.search.answer() < 0) c.answer_file.clear();
  report(exp, choices, dir, runs);
  bool all = true;
  for (const Choice& c : choices) all = all && c.search.answer() >= 0 && c.error.empty();
  return all ? 0 : 1;
}

}  // namespace clustersim
