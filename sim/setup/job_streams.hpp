#pragma once
/// @file
/// Training jobs that arrive over time (workload.job_streams) as TrainingJobSpecs the cluster scheduler runs:
/// each stream's arrivals (drawn with models/scheduling/job_arrivals, or read from a job trace with
/// sim/input/job_trace_reader and scaled) become jobs of the stream's model, named <stream>-<k> (k from 1, in
/// submit order), submitted at their arrival, with their run time alone as work (run_time: steps = run time /
/// the analytic step time). A job of g GPUs uses tp = the largest power of two <= min(stream tp, g), pp = min(stream
/// pp, g / tp), dp = ceil(g / (tp pp)) (so it may get a few more GPUs than asked) and a global batch of dp x
/// batch_per_replica sequences. Draws are seeded from the experiment's seed and the stream's index.

#include <vector>

#include "sim/config/experiment_loader.hpp"
#include "sim/config/rule_context.hpp"
#include "spec/catalog.hpp"
#include "spec/experiment_spec.hpp"

namespace clustersim {

/// The jobs of every stream, stream after stream, each in submit order. Throws ConfigError on a bad job trace.
/// `catalog` gives the models' seq_len (a stream's 0).
std::vector<TrainingJobSpec> expand_job_streams(const ExperimentSpec& spec, const Catalog& catalog);

/// The physical checks of the streams, at `workload.job_streams[i]`: their trace reads, and every job size they
/// produce fits in HBM and in the servers the scheduler has.
void check_job_streams(Rules& r, const ExperimentSpec& spec, const Catalog& catalog);

/// Appends the streams' jobs to experiment.spec.training (after the checks: what `run` simulates).
void append_stream_jobs(LoadedExperiment& experiment);

}  // namespace clustersim
