#include "sim/results/schedule_sample_row.hpp"

namespace clustersim {

const RowTable<ScheduleSampleRow>& schedule_sample_table() {
  using R = ScheduleSampleRow;
  static const RowTable<ScheduleSampleRow> table{
      "schedule",
      "time",
      {number("time", "s", "start of the sampling interval", &R::time_s),
       number("queued_jobs", "1", "training jobs waiting (mean over the interval)", &R::queued_jobs),
       number("running_jobs", "1", "training jobs holding servers (mean over the interval)", &R::running_jobs),
       number("allocated_gpus", "1", "GPUs held by training jobs (mean over the interval)", &R::allocated_gpus),
       number("training_tokens_per_s", "token/s",
              "training tokens per second at the running jobs' step times (mean over the interval)",
              &R::training_tokens_per_s)}};
  return table;
}

}  // namespace clustersim
