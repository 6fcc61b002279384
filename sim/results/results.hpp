#pragma once
/// @file
/// In-memory results of one run (or of a sweep), independent of the file format, and the HDF5
/// writer. Layout (see README "Results file"): root attributes = provenance; /summary = 0-D datasets;
/// every table = a group of 1-D column datasets sharing one dimension scale; every dataset has
/// `units` (UDUNITS symbols: s, W, J, bit/s, B, 1, ...) and `long_name`.

#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace clustersim {

struct ScalarResult {
  std::string name;
  double value = 0;
  std::string units;      ///< "s", "W", "J", "token/s", "1", ...
  std::string long_name;
};

struct ColumnResult {
  std::string name;
  std::string units;      ///< "" for strings and ids
  std::string long_name;
  std::variant<std::vector<double>, std::vector<int64_t>, std::vector<std::string>> values;
  size_t size() const;
};

/// Column constructors: numbers with units, integer counts (units "1"), strings (no units).
inline ColumnResult make_column(const std::string& name, const std::string& units, const std::string& long_name,
                                std::vector<double> v) {
  return {name, units, long_name, std::move(v)};
}
inline ColumnResult make_column(const std::string& name, const std::string& long_name, std::vector<int64_t> v) {
  return {name, "1", long_name, std::move(v)};
}
inline ColumnResult make_column(const std::string& name, const std::string& long_name, std::vector<std::string> v) {
  return {name, "", long_name, std::move(v)};
}

/// A table: an HDF5 group whose columns share the dimension `dimension` (a dimension scale holding
/// 0..n-1 as int64, named like the dimension). All columns must have the same length.
/// A column named like the dimension (e.g. `time` in s, or `tier` names) becomes the dimension scale
/// itself (a netCDF coordinate variable) instead of the int64 index.
struct TableResult {
  std::string group;       ///< "jobs", "services", "timeseries", "inventory", "runs"
  std::string dimension;   ///< "job", "service", "time", "tier", "run"
  std::vector<ColumnResult> columns;
  std::string coordinates; ///< optional CF "coordinates" attribute put on every non-listed column
                           ///< (space-separated column names), so xarray promotes them to coordinates
};

struct RunResults {
  std::map<std::string, std::string> string_attrs;  ///< provenance: tool_version, git_commit, simgrid_version,
                                                    ///< experiment, config_yaml, config_source, created_utc, ...
  std::map<std::string, double> numeric_attrs;      ///< seed, wall_time_s, ...
  std::vector<ScalarResult> summary;                ///< written under /summary
  std::vector<TableResult> tables;
};

/// Writes `results` to `path` atomically: a temporary file in the same directory, then fsync and
/// rename. The file is built in memory and written with write(2), so a full disk (ENOSPC, EDQUOT, EFBIG) is a
/// clean std::runtime_error that says so. On failure nothing is left at `path` (and the temporary is removed).
/// Stale temporaries of dead writers in the folder are removed first.
void write_results_h5(const RunResults& results, const std::string& path);

/// The temporary name a results file is written under before the rename: ".NAME.HOST.PID.tmp" (short host
/// name, process id), in the same folder.
std::string results_temp_name(const std::string& filename);

/// Removes, in `dir`, temporary results files (".NAME.HOST.PID.tmp") left by processes of this host that are
/// gone (killed while writing). Files of live processes and of other hosts are kept. Returns the removed paths.
/// write_results_h5 calls it (and says what it removed on stderr).
std::vector<std::string> remove_stale_temporaries(const std::string& dir);

/// Reads one number from a results file: `metric` is "summary.NAME" or "GROUP.COLUMN" (element `row`).
/// Throws std::runtime_error when the file, group, column or row is missing.
double read_metric_h5(const std::string& path, const std::string& metric, size_t row = 0);

/// Reads back the /summary scalars and root string attributes of a results file (for sweep merge).
RunResults read_results_summary_h5(const std::string& path);

}  // namespace clustersim
