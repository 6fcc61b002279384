#pragma once
/// @file
/// In-memory results of one run (or of a sweep), independent of the file format, and the HDF5
/// writer. Layout (see README "Results file"): root attributes = provenance; /summary = 0-D datasets;
/// every table = a group of 1-D column datasets sharing one dimension scale; every dataset has
/// `units` (UDUNITS symbols: s, W, J, bit/s, B, 1, ...) and `long_name`.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/results/run_record.hpp"
#include "sim/results/table.hpp"

namespace clustersim {

struct RunResults {
  std::map<std::string, std::string> string_attrs;  ///< provenance: tool_version, git_commit, simgrid_version,
                                                    ///< experiment, config_yaml, config_source, created_utc, ...
  std::map<std::string, double> numeric_attrs;      ///< seed, wall_time_s, ...
  /// A simulation's typed rows and summary (absent in a merged sweep file). Written first: its summary
  /// scalars, then its tables (jobs, services, service_timeseries, fabric_switches, fabric_links, timeseries).
  std::optional<RunRecord> record;
  std::vector<ScalarResult> summary;  ///< more /summary scalars (a sweep's), after the record's
  std::vector<TableResult> tables;    ///< more tables (a sweep's `runs`), after the record's
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
/// Names in the summary and in the record's tables are checked against their column tables first (an
/// unknown one throws with a "did you mean" hint). Throws std::runtime_error when the file, group, column or
/// row is missing.
double read_metric_h5(const std::string& path, const std::string& metric, size_t row = 0);
/// Every value of `metric` (as read_metric_h5): one for summary.NAME, every row of a table's column (none for an
/// empty table). Throws std::runtime_error as read_metric_h5.
std::vector<double> read_metric_values_h5(const std::string& path, const std::string& metric);

/// Reads a simulation's record back through the column tables (summary fields, then every row table whose
/// group is present; an absent group gives no rows). Throws std::runtime_error on a missing column or summary
/// value, or a column of the wrong type.
RunRecord read_run_record_h5(const std::string& path);

/// Reads back the /summary scalars and root string attributes of a results file (for sweep merge).
RunResults read_results_summary_h5(const std::string& path);

}  // namespace clustersim
