#include "sim/sweep/sweep_plan.hpp"

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

}  // namespace clustersim
