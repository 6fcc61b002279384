#include "sim/results/segment_row.hpp"

namespace clustersim {

const RowTable<SegmentRow>& segment_table() {
  using R = SegmentRow;
  static const RowTable<SegmentRow> table{
      "segments",
      "segment",
      {text("job", "training job name", &R::job),
       number("start_time", "s", "start of the segment (a start, restart or re-measure)", &R::start_s),
       number("end_time", "s", "end of the segment", &R::end_s),
       number("steps", "1", "steps done in the segment", &R::steps),
       number("step_time", "s", "step time of the segment (its detailed steps, or looked up)", &R::step_time_s),
       number("dp_allreduce_time", "s", "simulated DP reduction per step in its detailed steps (0: looked up)",
              &R::dp_allreduce_s),
       count("looked_up", "1: the step time of the same job with the same neighbours was reused", &R::looked_up),
       count("neighbours", "running jobs sharing fabric links with the job at the segment's start", &R::neighbours)}};
  return table;
}

}  // namespace clustersim
