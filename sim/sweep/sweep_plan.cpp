#include "sim/sweep/sweep_plan.hpp"

#include "common/units.hpp"

#include <cstdio>
#include <cstdlib>

namespace clustersim {

std::vector<SweepPoint> plan_sweep(const SweepSpec& sweep) {
  std::vector<SweepPoint> points(1);
  for (const SweepAxis& axis : sweep.grid) {
    std::vector<SweepPoint> next;
    for (const SweepPoint& p : points) {
      for (const std::string& v : axis.values) {
        SweepPoint q = p;
        q.overrides.push_back({axis.key, v});
        next.push_back(q);
      }
    }
    points = std::move(next);
  }
  for (size_t i = 0; i < points.size(); ++i) points[i].index = static_cast<int>(i);
  return points;
}

std::string run_file_name(int index) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "runs/run-%06d.h5", index);
  return buf;
}

namespace {
bool env_int(const char* name, int& out) {
  const char* v = std::getenv(name);
  if (!v || !*v) return false;
  out = std::atoi(v);
  return true;
}
}  // namespace

bool parse_shard(const std::string& text, Shard& shard, std::string& error) {
  if (text == "auto") {
    int i = 0, n = 1, max = 0;
    if (env_int("SLURM_ARRAY_TASK_ID", i)) {
      // The count must not change when only some ids are resubmitted (--array=1,4): never the number of tasks
      // of this submission (SLURM_ARRAY_TASK_COUNT), but CLUSTERSIM_SHARDS, else the highest id + 1.
      if (!env_int("CLUSTERSIM_SHARDS", n)) n = env_int("SLURM_ARRAY_TASK_MAX", max) ? max + 1 : i + 1;
      shard = {i, n};
      if (i >= n) {
        error = "bad shard " + std::to_string(i) + "/" + std::to_string(n) + ": SLURM array task " + std::to_string(i) +
                " is not below CLUSTERSIM_SHARDS=" + std::to_string(n) +
                " (set CLUSTERSIM_SHARDS to the number of shards of the first submission)";
        return false;
      }
    } else if (env_int("SLURM_PROCID", i) && env_int("SLURM_NTASKS", n)) {
      shard = {i, n};
    } else {
      shard = {0, 1};
    }
  } else {
    int i = -1, n = -1;
    char extra = 0;
    if (std::sscanf(text.c_str(), "%d/%d%c", &i, &n, &extra) != 2) {
      error = "bad shard '" + text + "': expected i/N (for example 0/4) or auto";
      return false;
    }
    shard = {i, n};
  }
  if (shard.count < 1 || shard.index < 0 || shard.index >= shard.count) {
    error = "bad shard " + std::to_string(shard.index) + "/" + std::to_string(shard.count) + ": need 0 <= i < N";
    return false;
  }
  return true;
}

std::string point_label(const SweepPoint& point) {
  std::string s;
  for (const auto& o : point.overrides) s += (s.empty() ? "" : " ") + o.key + "=" + o.value;
  return s;
}

NumericAxis numeric_axis(const std::vector<std::string>& values) {
  static const Quantity kFamilies[] = {Quantity::kBandwidth, Quantity::kPower, Quantity::kEnergy, Quantity::kTime,
                                       Quantity::kCompute,   Quantity::kData,  Quantity::kCount};
  NumericAxis out;
  if (values.empty()) return out;
  for (Quantity q : kFamilies) {
    std::vector<double> si;
    for (const std::string& v : values) {
      const ParsedQuantity parsed = parse_quantity(v, q);
      if (!parsed.ok) break;
      si.push_back(parsed.value);
    }
    if (si.size() != values.size()) continue;
    out.numeric = true;
    out.values = std::move(si);
    const std::string one = canonical_text(1, q);  // "1bit/s", "1s", "1"
    out.units = one.size() > 1 ? one.substr(1) : "1";
    return out;
  }
  return out;
}

bool apply_sweep_override(const std::string& text, SweepSpec& sweep, std::string& error) {
  const size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == text.size()) {
    error = "--sweep '" + text + "': write KEY=V1,V2,... (e.g. --sweep fabric.link=400Gbps,800Gbps)";
    return false;
  }
  SweepAxis axis{text.substr(0, eq), {}};
  for (size_t b = eq + 1, e; b <= text.size(); b = e + 1) {
    e = text.find(',', b);
    if (e == std::string::npos) e = text.size();
    if (e == b) {
      error = "--sweep '" + text + "': an empty value";
      return false;
    }
    axis.values.push_back(text.substr(b, e - b));
  }
  for (SweepAxis& a : sweep.grid)
    if (a.key == axis.key) {
      a = axis;
      return true;
    }
  sweep.grid.push_back(axis);
  return true;
}

bool add_repeat_axis(SweepSpec& sweep, unsigned long long seed, std::string& error) {
  if (sweep.repeats <= 1) return true;
  for (const SweepAxis& a : sweep.grid)
    if (a.key == "seed") {
      error = "sweep.repeats = " + std::to_string(sweep.repeats) +
              " varies the seed, but seed is already a sweep.grid axis: give one or the other";
      return false;
    }
  SweepAxis axis{"seed", {}};
  for (int r = 0; r < sweep.repeats; ++r) axis.values.push_back(std::to_string(seed + static_cast<unsigned>(r)));
  sweep.grid.push_back(axis);
  return true;
}

}  // namespace clustersim
