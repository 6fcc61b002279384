#pragma once
/// @file
/// Pipeline schedules (Narayanan et al. SC'21, arXiv 2104.04473, section 2.2): 1F1B and interleaved 1F1B
/// with v virtual stages (model chunks) per GPU. With p stages and m micro-batches per step, the bubble
/// (idle time of a stage) is (p - 1) / (v x m) of the ideal compute time; activations in flight on the
/// first stage are those of min(p, m) micro-batches, times (1 + (p - 1) / (p v)) when interleaved.

namespace clustersim {

/// Bubble time / ideal compute time: (p - 1) / (v m). 0 for p = 1.
double pipeline_bubble_fraction(int pp, int microbatches, int virtual_stages);

/// Micro-batches whose activations the first stage holds at the peak of the schedule (in units of one
/// micro-batch through all of that stage's layers).
double pipeline_inflight_microbatches(int pp, int microbatches, int virtual_stages);

}  // namespace clustersim
