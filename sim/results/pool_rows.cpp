#include "sim/results/pool_rows.hpp"

namespace clustersim {

const RowTable<PoolRow>& pool_table() {
  using R = PoolRow;
  static const RowTable<PoolRow> table{
      "pools",
      "pool",
      {text("name", "accelerator pool name (cluster.name or cluster.pools)", &R::name),
       text("gpu", "accelerator catalog name", &R::gpu), text("server", "server catalog name", &R::server),
       count("servers", "servers of the pool", &R::servers),
       count("first_server", "its first server id (pools are consecutive server ranges)", &R::first_server),
       count("gpus", "GPUs of the pool", &R::gpus),
       number("serving_gpus", "1", "GPUs of the inference replicas placed in the pool", &R::serving_gpus),
       number("training_gpu_hours", "h", "GPU-hours held by training jobs", &R::training_gpu_hours),
       number("gpu_activity", "1", "mean GPU activity (0 idle .. 1 at the power limit) over the run", &R::gpu_activity),
       number("it_power_mean", "W", "GPU and server power of the pool, mean (the network is the site's)",
              &R::it_power_mean_w),
       number("it_energy", "J", "GPU and server energy of the pool over the run", &R::it_energy_j)},
      "name"};
  return table;
}

const RowTable<PoolSampleRow>& pool_sample_table() {
  using R = PoolSampleRow;
  static const RowTable<PoolSampleRow> table{
      "pool_timeseries",
      "sample",
      {number("time", "s", "start of the sampling interval", &R::time_s), text("pool", "pool name", &R::pool),
       number("it_power", "W", "GPU and server power of the pool (mean over the interval)", &R::it_power_w),
       number("gpu_activity", "1", "mean GPU activity of the pool (0..1)", &R::gpu_activity),
       number("training_gpus", "1", "GPUs held by training jobs (mean; with a scheduler)", &R::training_gpus),
       number("queued_jobs", "1", "training jobs waiting (mean; with a scheduler)", &R::queued_jobs),
       number("training_tokens_per_s", "token/s", "training tokens per second of the pool's jobs (mean)",
              &R::training_tokens_per_s),
       number("serving_gpus", "1", "GPUs held by inference replicas (mean; an autoscaled service's follow it)",
              &R::serving_gpus)},
      "time pool"};
  return table;
}

}  // namespace clustersim
