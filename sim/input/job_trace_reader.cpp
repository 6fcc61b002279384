#include "sim/input/job_trace_reader.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>

#include "common/diagnostics.hpp"
#include "common/units.hpp"
#include "sim/input/trace_reader.hpp"

namespace clustersim {

namespace {

const char* const kOpenbFile = "/traces/alibaba-gpu-v2023-openb/openb_pod_list_default.csv";

const char* const kCsvHint =
    "expected a CSV whose header names submit, gpus and run (s, GPUs, s), e.g. 'submit,gpus,run' then '0,8,3600'";
const char* const kOpenbHint =
    "expected an Alibaba cluster-trace-gpu-v2023 pod list (columns name, num_gpu, creation_time, deletion_time, "
    "scheduled_time)";

/// A row the reader drops without an error (openb: a CPU-only pod, a pod that never ran).
const char* const kSkip = "skip";

std::string trim(const std::string& s) {
  const size_t begin = s.find_first_not_of(" \t");
  if (begin == std::string::npos) return "";
  return s.substr(begin, s.find_last_not_of(" \t") - begin + 1);
}

/// The comma-separated fields of `line`, trimmed ("a,b," has 3 fields).
std::vector<std::string> split_fields(const std::string& line) {
  std::vector<std::string> out;
  size_t begin = 0;
  while (true) {
    const size_t comma = line.find(',', begin);
    out.push_back(trim(line.substr(begin, comma == std::string::npos ? std::string::npos : comma - begin)));
    if (comma == std::string::npos) return out;
    begin = comma + 1;
  }
}

/// `field` (column `column`) as a finite number: "" or what is wrong.
std::string parse_number(const std::string& field, const std::string& column, double& value) {
  const char* begin = field.c_str();
  char* end = nullptr;
  value = std::strtod(begin, &end);
  if (field.empty() || end != begin + field.size()) return column + " '" + field.substr(0, 40) + "' is not a number";
  if (!std::isfinite(value)) return column + " " + field + " is not finite";
  return "";
}

/// As parse_number, and >= 0.
std::string parse_nonnegative(const std::string& field, const std::string& column, double& value) {
  std::string why = parse_number(field, column, value);
  if (why.empty() && value < 0) why = column + " " + format_number(value) + " is negative";
  return why;
}

/// A GPU count: a whole number in [0, int max] ("" or what is wrong).
std::string parse_gpus(const std::string& field, const std::string& column, int& gpus) {
  double v = 0;
  std::string why = parse_nonnegative(field, column, v);
  if (why.empty() && (v != std::floor(v) || v > std::numeric_limits<int>::max()))
    why = column + " " + format_number(v) + " is not a whole number of GPUs";
  if (why.empty()) gpus = static_cast<int>(v);
  return why;
}

/// Where each needed column sits in the header.
struct Columns {
  std::vector<size_t> at;           ///< index of each required column, in the order asked
  size_t name = std::string::npos;  ///< the `name` column, when present
  size_t count = 0;                 ///< fields in the header
};

/// Reads a CSV by its header: `row(fields, columns, lineno, job)` returns "" (a job), kSkip or what is wrong,
/// reported at path:line with `hint` (kShownBadRows of them, then a count). Jobs come back sorted by submit
/// (stable). Throws ConfigError.
template <typename Row>
std::vector<JobArrival> read_jobs(const std::string& path, const std::vector<std::string>& required,
                                  const std::string& hint, Row row) {
  std::ifstream in(path);
  Diagnostics diags;
  if (!in) {
    diags.add({path, 0, 0}, "", "cannot read job trace file",
              std::string("give the path of a CSV (header submit,gpus,run) or a trace name (") + kOpenbJobTrace + ")");
    throw ConfigError(diags);
  }
  std::vector<JobArrival> out;
  std::string line;
  Columns columns;
  int lineno = 0, bad = 0, last_bad_line = 0;
  bool header = false;
  while (std::getline(in, line)) {
    ++lineno;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (trim(line).empty()) continue;
    std::vector<std::string> fields = split_fields(line);
    if (!header) {
      header = true;
      if (fields[0].rfind("\xEF\xBB\xBF", 0) == 0) fields[0] = trim(fields[0].substr(3));  // a UTF-8 byte order mark
      columns.count = fields.size();
      for (size_t i = 0; i < fields.size(); ++i)
        if (fields[i] == "name") columns.name = i;
      for (const auto& name : required) {
        const size_t i = std::find(fields.begin(), fields.end(), name) - fields.begin();
        columns.at.push_back(i);
        if (i == fields.size()) {
          const std::vector<std::string> close = closest_names(name, fields, 1);
          diags.add({path, lineno, 1}, "", "the header has no column '" + name + "'",
                    close.empty() ? hint : "is column '" + close[0] + "' meant as '" + name + "'? (" + hint + ")");
        }
      }
      if (!diags.empty()) throw ConfigError(diags);
      continue;
    }
    std::string why;
    JobArrival job;
    if (fields.size() != columns.count)
      why = "the row has " + std::to_string(fields.size()) + " fields, the header " + std::to_string(columns.count);
    else
      why = row(fields, columns, lineno, job);
    if (why == kSkip) continue;
    if (!why.empty()) {
      last_bad_line = lineno;
      if (++bad <= kShownBadRows) diags.add({path, lineno, 1}, "", why, hint);
      continue;
    }
    out.push_back(std::move(job));
  }
  if (bad > kShownBadRows)
    diags.add({path, last_bad_line, 1}, "",
              "and " + std::to_string(bad - kShownBadRows) + " more bad rows (" + std::to_string(bad) + " in all)");
  if (diags.empty() && out.empty())
    diags.add({path, std::max(lineno, 1), 1}, "",
              header ? "the trace has no jobs (" + std::to_string(lineno) + " lines read)" : "the file is empty", hint);
  if (!diags.empty()) throw ConfigError(diags);
  std::stable_sort(out.begin(), out.end(),
                   [](const JobArrival& a, const JobArrival& b) { return a.submit_s < b.submit_s; });
  return out;
}

}  // namespace

std::string job_trace_path(const std::string& path_or_name, const std::string& repo_data_dir) {
  return path_or_name == kOpenbJobTrace ? repo_data_dir + kOpenbFile : path_or_name;
}

std::vector<JobArrival> read_job_trace(const std::string& path_or_name, const std::string& repo_data_dir) {
  const std::string path = job_trace_path(path_or_name, repo_data_dir);
  return path_or_name == kOpenbJobTrace ? read_openb_pod_list(path) : read_job_csv(path);
}

std::vector<JobArrival> read_openb_pod_list(const std::string& path) {
  return read_jobs(path, {"name", "num_gpu", "creation_time", "deletion_time", "scheduled_time"}, kOpenbHint,
                   [](const std::vector<std::string>& f, const Columns& c, int, JobArrival& job) -> std::string {
                     std::string why = parse_gpus(f[c.at[1]], "num_gpu", job.gpus);
                     if (why.empty() && job.gpus < 1) return kSkip;  // a CPU-only pod
                     double deletion = 0, scheduled = 0;
                     if (why.empty()) why = parse_nonnegative(f[c.at[2]], "creation_time", job.submit_s);
                     if (why.empty()) why = parse_nonnegative(f[c.at[3]], "deletion_time", deletion);
                     if (why.empty() && f[c.at[4]].empty())
                       scheduled = job.submit_s;  // never scheduled
                     else if (why.empty())
                       why = parse_nonnegative(f[c.at[4]], "scheduled_time", scheduled);
                     if (!why.empty()) return why;
                     job.run_s = deletion - scheduled;
                     if (!(job.run_s > 0)) return kSkip;
                     job.source = f[c.at[0]];
                     return "";
                   });
}

std::vector<JobArrival> read_job_csv(const std::string& path) {
  const std::string file = std::filesystem::path(path).filename().string();
  return read_jobs(
      path, {"submit", "gpus", "run"}, kCsvHint,
      [&file](const std::vector<std::string>& f, const Columns& c, int lineno, JobArrival& job) -> std::string {
        std::string why = parse_nonnegative(f[c.at[0]], "submit", job.submit_s);
        if (why.empty()) why = parse_gpus(f[c.at[1]], "gpus", job.gpus);
        if (why.empty() && job.gpus < 1) why = "gpus 0: a job takes at least 1 GPU";
        if (why.empty()) why = parse_nonnegative(f[c.at[2]], "run", job.run_s);
        if (why.empty() && job.run_s == 0) why = "run 0 s: a job needs a run time > 0";
        if (!why.empty()) return why;
        const bool named = c.name != std::string::npos && !f[c.name].empty();
        job.source = named ? f[c.name] : file + ":" + std::to_string(lineno);
        return "";
      });
}

}  // namespace clustersim
