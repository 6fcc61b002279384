#include "sim/engine/training_job.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace sg4 = simgrid::s4u;

namespace clustersim {

namespace {

/// Mean GPU activity over a compute phase that mixes math, tensor-parallel waits and the pipeline bubble.
double compute_phase_activity(const TrainingJobRuntime& job) {
  const auto& e = job.estimate;
  const auto& c = job.calibration;
  const double total = e.compute_time_s + e.tp_comm_time_s + e.bubble_time_s;
  if (total <= 0) return 0;
  return (e.compute_time_s * c.activity_compute + (e.tp_comm_time_s + e.bubble_time_s) * c.activity_communication) /
         total;
}

void server_actor(TrainingJobRuntime* job, PowerTracker* tracker, double end_s, int rank, sg4::BarrierPtr barrier) {
  const auto& e = job->estimate;
  const auto& c = job->calibration;
  const int n = static_cast<int>(job->servers.size());
  const bool leader = rank == 0;
  sg4::this_actor::sleep_until(job->spec.start_s);
  if (leader) job->stats.start_s = sg4::Engine::get_clock();

  // DP ring between servers: with tp x pp GPUs per model replica spread over `mp_servers` servers, the next DP
  // rank of this server's shards lives `mp_servers` servers further (ranks placed model-parallel first).
  const int gpus_per_replica = job->spec.tp * job->spec.pp;
  const int mp_servers = std::max(1, gpus_per_replica / job->gpus_per_server_used);
  const bool dp_over_fabric = e.dp_bytes_per_server > 0 && n > mp_servers;
  sg4::Mailbox* inbox = sg4::Mailbox::by_name(job->spec.name + "#" + std::to_string(rank));
  sg4::Mailbox* next = sg4::Mailbox::by_name(job->spec.name + "#" + std::to_string((rank + mp_servers) % n));

  const double compute_s = e.compute_time_s + e.tp_comm_time_s + e.bubble_time_s;
  const double activity = compute_phase_activity(*job);
  const int steps_wanted = job->spec.steps > 0 ? job->spec.steps : std::numeric_limits<int>::max();
  const int detailed = std::min(job->spec.detailed_steps, steps_wanted);
  static int token = 0;

  for (int step = 0; step < detailed; ++step) {
    barrier->wait();
    const double t0 = sg4::Engine::get_clock();
    if (t0 >= end_s) break;
    if (leader) tracker->set_activity(job->power_group, activity, t0);
    sg4::this_actor::thread_execute(sg4::this_actor::get_host(), compute_s * job->core_speed_flops,
                                    job->gpus_per_server_used);
    barrier->wait();
    const double t1 = sg4::Engine::get_clock();
    if (leader) tracker->set_activity(job->power_group, c.activity_communication, t1);
    if (dp_over_fabric) {
      sg4::CommPtr send = next->put_async(&token, static_cast<uint64_t>(e.dp_bytes_per_server));
      inbox->get<int>();
      send->wait();
    }
    sg4::this_actor::sleep_for(e.dp_latency_s);
    barrier->wait();
    if (leader) {
      const double t2 = sg4::Engine::get_clock();
      job->stats.step_times_s.push_back(t2 - t0);
      job->stats.dp_allreduce_s.push_back(t2 - t1);
      job->stats.steps_done += 1;
    }
  }
  if (!leader) return;

  // Steady state: the mean detailed step repeats until the job's steps are done or the experiment ends.
  auto& st = job->stats;
  if (!st.step_times_s.empty()) {
    st.mean_step_time_s =
        std::accumulate(st.step_times_s.begin(), st.step_times_s.end(), 0.0) / st.step_times_s.size();
    const double mean_dp = std::accumulate(st.dp_allreduce_s.begin(), st.dp_allreduce_s.end(), 0.0) /
                           st.dp_allreduce_s.size();
    const double steady_activity =
        (compute_s * activity + mean_dp * c.activity_communication) / st.mean_step_time_s;
    const double now = sg4::Engine::get_clock();
    const double remaining_steps = steps_wanted == std::numeric_limits<int>::max()
                                       ? std::numeric_limits<double>::infinity()
                                       : steps_wanted - st.steps_done;
    const double run_s = std::min(remaining_steps * st.mean_step_time_s, end_s - now);
    if (run_s > 0) {
      tracker->set_activity(job->power_group, steady_activity, now);
      sg4::this_actor::sleep_for(run_s);
      st.steps_done += std::floor(run_s / st.mean_step_time_s + 1e-9);
    }
  }
  st.end_s = sg4::Engine::get_clock();
  tracker->set_activity(job->power_group, 0, st.end_s);
}

}  // namespace

void launch_training_job(TrainingJobRuntime& job, PowerTracker& tracker, double end_s) {
  const int n = static_cast<int>(job.servers.size());
  sg4::BarrierPtr barrier = sg4::Barrier::create(n);
  for (int rank = 0; rank < n; ++rank) {
    sg4::Actor::create(job.spec.name + "-" + std::to_string(rank), job.servers[rank], server_actor, &job, &tracker,
                       end_s, rank, barrier);
  }
}

}  // namespace clustersim
