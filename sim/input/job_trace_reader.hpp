#pragma once
/// @file
/// Reads training-job traces into JobArrival lists (submit time, GPUs, run time alone, source), sorted by submit
/// time (stable: rows submitted together keep their file order). Two formats, both plain comma-separated text
/// with a header row (no quoted fields; blank lines skipped; a trailing '\r' and spaces around fields ignored):
///
/// - the name `openb`: the Alibaba cluster-trace-gpu-v2023 pod list `openb_pod_list_default.csv`
///   (data/traces/alibaba-gpu-v2023-openb/, see its README). Columns used: name, num_gpu, creation_time,
///   deletion_time, scheduled_time (s from the trace start). A row is a job when num_gpu >= 1: submit =
///   creation_time, run = deletion_time - scheduled_time (creation_time when scheduled_time is empty: the pod was
///   never scheduled and was still Pending at trace end, so its "run" is its wait), rows whose run is <= 0 are
///   skipped, source = name. A row with num_gpu = 1 and gpu_milli < 1000 asks for a fractional share of one GPU
///   (GPU sharing): it is kept as a whole GPU, so such a job holds 1 GPU alone (about 3,077 of the 7,063 jobs).
///   The 32 pods deleted at the largest deletion_time (12,902,960 s, likely the trace end) may be cut there.
/// - any other value: a path to a CSV whose header names at least `submit`, `gpus` and `run` (s, GPUs, s), in
///   any order; other columns are ignored, except `name`, which becomes the source when present (otherwise
///   "FILE:LINE"). Every row is a job: submit >= 0, gpus a whole number >= 1, run > 0, all finite.
///
/// Errors are input errors, thrown as one ConfigError (a std::runtime_error whose what() reads
/// "path:line:col: error: what is wrong" with a hint line), as in sim/input/trace_reader: a file that cannot be
/// read (line 0), a header without a required column (naming a close one), a row whose field count differs from
/// the header's, a field that is not a finite number, a negative value (or gpus/run out of range), and a trace
/// with no job. Bad rows are reported one by one up to kShownBadRows, then counted.
///
/// Named traces: the reader takes the data folder as a parameter (`repo_data_dir`, e.g. data_dir() of
/// sim/config), as the request traces do, whose names the config layer resolves (sim/config/experiment_loader's
/// trace_path): this layer does not know where data/ is.

#include <string>
#include <vector>

#include "spec/job_arrival.hpp"

namespace clustersim {

/// The name of the Alibaba GPU-sharing pod list (openb_pod_list_default.csv).
constexpr const char* kOpenbJobTrace = "openb";

/// The file read_job_trace reads: the shipped CSV of a named trace under `repo_data_dir`, else `path_or_name`.
std::string job_trace_path(const std::string& path_or_name, const std::string& repo_data_dir);

/// The jobs of a named trace (`openb`) or of a CSV path (header with submit, gpus, run). Throws ConfigError.
std::vector<JobArrival> read_job_trace(const std::string& path_or_name, const std::string& repo_data_dir);

/// Reads a pod list of the Alibaba cluster-trace-gpu-v2023 format (the file's doc). Throws ConfigError.
std::vector<JobArrival> read_openb_pod_list(const std::string& path);

/// Reads a CSV of jobs with columns submit, gpus, run (and optionally name). Throws ConfigError.
std::vector<JobArrival> read_job_csv(const std::string& path);

}  // namespace clustersim
