#include "sim/engine/training_job.hpp"

#include "sim/engine/progress.hpp"

#include <xbt/asserts.h>
#include <xbt/log.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <numeric>
#include <optional>

#include "models/power/gpu_power.hpp"
#include "sim/engine/fabric_collective.hpp"

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(cs_training_job, clustersim, "training job actors: steps and steady state");

namespace sg4 = simgrid::s4u;

namespace clustersim {

double TrainingJobStats::mean_exposed_s(CommKind kind) const {
  double sum = 0;
  for (const auto& step : exposed_s) sum += step[static_cast<int>(kind)];
  return exposed_s.empty() ? 0 : sum / exposed_s.size();
}

namespace {

constexpr int kKinds = 5;

/// A GPU power floor (a fraction of the board limit) as an activity of the board's range, never above the cap of
/// `layout` (whose calibration is the job's: TrainingJobRuntime::calibration is a copy of it).
double floor_activity(double power_floor, const TrainingLayout& layout) {
  if (power_floor <= 0) return 0;
  const AcceleratorSpec& gpu = layout.gpu;
  const GpuPowerModel power(gpu_power_params(gpu, layout.calibration, layout.power_cap_w));
  return std::clamp((power_floor * gpu.tdp_w - gpu.idle_w) / (gpu.tdp_w - gpu.idle_w), 0.0, power.cap_activity());
}

/// How the servers of one run meet: at a barrier before each fabric phase (the leader arrives last, after its
/// local part or its accounting of the previous phase), and, after a phase, the others each count themselves done
/// and the last one wakes the leader if it waits; they go straight on to the next phase's barrier. The phase ends
/// when its last server is done, as a barrier after it would say, with one simcall per server fewer.
struct RunSync {
  sg4::BarrierPtr barrier;
  sg4::SemaphorePtr phase_done;  ///< released for the leader by the last other server done with a phase
  int others = 0;                ///< servers other than the leader
  int done = 0;                  ///< of them, done with the current phase
  bool leader_waits = false;
  bool stop = false;  ///< set by the leader when the run's end is reached: every server leaves at the next barrier
};

}  // namespace

double peak_step_activity(const TrainingJobRuntime& job, int pool) {
  const TrainingLayout* l = &job.layout;
  const TrainingStepEstimate* e = &job.estimate;
  if (!job.pinned)
    for (const TrainingPoolVariant& v : job.variants)
      if (v.pool == pool) {
        l = &v.layout;
        e = &v.estimate;
      }
  const StepPower p = training_step_power(*l, *e);
  return std::max(floor_activity(job.power_floor, *l), p.waveform(e->local_time_s()).max_activity());
}

namespace {

/// Whether the scheduler stopped the job (failure, preemption) or asked it to re-measure.
bool stop_or_remeasure(const JobScheduleState& sched) { return sched.stop_requested || sched.remeasure_requested; }

/// Waits `dt` s, or less when the scheduler stops the job or asks it to re-measure.
void wait_unless_stopped(JobScheduleState& sched, double dt) {
  if (dt <= 0 || stop_or_remeasure(sched)) return;
  if (sched.stop_signal == nullptr)
    sg4::this_actor::sleep_for(dt);
  else
    sched.stop_signal->acquire_timeout(dt);
}

/// The steady state of a job that checkpoints and may fail: periods of training (whole steps at the mean step
/// time) and checkpoint writes, until its steps are done, the run's end, or the scheduler stops it. A checkpoint
/// cut short by a stop does not count.
void run_with_checkpoints(TrainingJobRuntime& job, PowerTracker& tracker, double end_s, double floor,
                          const std::shared_ptr<const PowerWaveform>& waveform) {
  auto& st = job.stats;
  JobScheduleState& sched = job.schedule;
  JobFailureStats& fs = job.failures;
  const double step = st.mean_step_time_s;
  auto interrupted = [&sched] { return stop_or_remeasure(sched); };
  auto wait = [&sched](double dt) { wait_unless_stopped(sched, dt); };
  const double interval = job.reliability.checkpoint_interval_s;
  const double every =
      std::isfinite(interval) ? std::max(1.0, std::round(interval / step)) : std::numeric_limits<double>::infinity();
  for (;;) {
    const double left =
        job.steps_total == 0 ? std::numeric_limits<double>::infinity() : job.steps_total - st.steps_done;
    const double to_checkpoint = std::max(1.0, every - (st.steps_done - fs.checkpointed_steps));
    const double t0 = sg4::Engine::get_clock();
    const double chunk_s = std::min(std::min(left, to_checkpoint) * step, end_s - t0);
    if (!(chunk_s > 0)) break;
    wait(chunk_s);
    const double ran_s = std::min(chunk_s, sg4::Engine::get_clock() - t0);
    const double whole = std::floor(ran_s / step + 1e-9);
    st.steps_done += whole;
    fs.trained_s += whole * step;
    if (interrupted()) {
      if (sched.remeasure_requested && !sched.stop_requested) {  // the step under way carries over
        sched.partial_step += std::max(0.0, ran_s / step - whole);
        if (sched.partial_step >= 1 && (job.steps_total == 0 || st.steps_done < job.steps_total)) {
          st.steps_done += 1;
          fs.trained_s += step;
          sched.partial_step -= 1;
        }
      } else if (sched.failure_requested) {
        fs.lost_s += std::max(0.0, ran_s - whole * step);  // the step under way
      }
      break;
    }
    if (sg4::Engine::get_clock() >= end_s || (job.steps_total > 0 && st.steps_done >= job.steps_total)) break;
    tracker.set_activity(job.power_group, floor, sg4::Engine::get_clock());
    const double c0 = sg4::Engine::get_clock();
    wait(std::min(job.reliability.write_s, end_s - c0));
    fs.checkpoint_s += sg4::Engine::get_clock() - c0;
    if (interrupted() || sg4::Engine::get_clock() >= end_s) break;
    fs.checkpoints += 1;
    fs.checkpointed_steps = st.steps_done;
    if (waveform != nullptr) tracker.set_waveform(job.power_group, waveform, sg4::Engine::get_clock());
  }
}

/// A failure stopped the job: what it did since its last checkpoint is lost.
void roll_back(TrainingJobRuntime& job) {
  JobFailureStats& fs = job.failures;
  const double step = job.stats.mean_step_time_s;
  const double lost = std::max(0.0, job.stats.steps_done - fs.checkpointed_steps) + job.schedule.partial_step;
  fs.interruptions += 1;
  fs.causes[job.schedule.failure_cause] += 1;
  fs.lost_steps += lost;
  fs.lost_s += lost * step;
  fs.trained_s = std::max(0.0, fs.trained_s - lost * step);
  job.stats.steps_done = fs.checkpointed_steps;
  job.schedule.partial_step = 0;
}

void server_actor(TrainingJobRuntime* job, PowerTracker* tracker, double end_s, int rank, std::shared_ptr<RunSync> sync,
                  std::shared_ptr<const std::vector<std::shared_ptr<FabricCollective>>> collectives) {
  const auto& e = job->estimate;
  const bool leader = rank == 0;
  sg4::this_actor::sleep_until(job->spec.start_s);
  if (leader) {
    if (job->stats.start_s < 0) job->stats.start_s = sg4::Engine::get_clock();
    job->schedule.run_start_s = sg4::Engine::get_clock();
    job->schedule.state = "running";
    XBT_VERB("job '%s' starts: %zu servers, %zu fabric phases", job->spec.name.c_str(), job->servers.size(),
             e.fabric.size());
  }

  const double local_s = e.local_time_s() * job->schedule.slowdown;  // a straggler slows every step
  const StepPower step_power = training_step_power(job->layout, job->estimate);
  const double floor = floor_activity(job->power_floor, job->layout);
  const double activity = std::max(floor, step_power.local_activity());
  const double communication_activity = std::max(floor, step_power.communication_activity);
  const int steps_wanted = job->steps_total > 0 ? job->steps_total - static_cast<int>(job->stats.steps_done)
                                                : std::numeric_limits<int>::max();
  const bool known = job->schedule.known_step_s > 0;  // looked up: no detailed step in this run
  const int detailed = known ? 0 : std::min(job->spec.detailed_steps, steps_wanted);
  // A run after a stop adds to what earlier runs did.
  const double steps_before = job->stats.steps_done;
  const size_t measured_before = job->stats.step_times_s.size();
  JobScheduleState& sched = job->schedule;
  auto interrupted = [&sched] { return stop_or_remeasure(sched); };
  auto wait = [&sched](double dt) { wait_unless_stopped(sched, dt); };
  if (leader && sched.recover_s > 0) {  // after a failure: restart, then read the last checkpoint
    const double t0 = sg4::Engine::get_clock();
    tracker->set_activity(job->power_group, floor, t0);
    wait(std::min(sched.recover_s, end_s - t0));
    job->failures.recovery_s += sg4::Engine::get_clock() - t0;
    sched.recover_s = 0;
    if (interrupted() || sg4::Engine::get_clock() >= end_s) sync->stop = true;
  }

  std::optional<RunPhaseGuard> in_detailed;  // the progress line's phase (the leader stands for the job)
  if (leader && detailed > 0) in_detailed.emplace(&RunPhases::detailed);
  for (int step = 0; step < detailed; ++step) {
    const double t0 = sg4::Engine::get_clock();  // the leader's: the others wait at the first phase's barrier
    if (leader && t0 >= end_s) sync->stop = true;
    if (leader && !sync->stop) {
      tracker->set_activity(job->power_group, activity, t0);
      // The local part takes the same time on every server (same work, same idle hosts: the job's servers are
      // its own), so the leader's execution stands for all of them; the others wait for it at the barrier of
      // the first fabric phase.
      sg4::this_actor::thread_execute(sg4::this_actor::get_host(), local_s * job->core_speed_flops,
                                      job->gpus_per_server_used);
    }
    std::vector<double> exposed(kKinds, 0.0);
    double dp_s = 0;
    for (size_t k = 0; k < e.fabric.size(); ++k) {
      // Every phase runs as collectives (sim/collectives), whose call already includes its alpha terms.
      FabricCollective* collective = (*collectives)[k].get();
      FabricPhase phase = e.fabric[k];
      if (collective != nullptr) phase.latency_s = 0;
      sync->barrier->wait();
      if (sync->stop) break;
      const double t1 = sg4::Engine::get_clock();
      if (leader) tracker->set_activity(job->power_group, communication_activity, t1);
      const double tail_s = collective != nullptr ? collective->run(rank) : 0;
      if (!leader) {
        if (++sync->done == sync->others && sync->leader_waits) sync->phase_done->release();
        continue;
      }
      if (sync->done < sync->others) {
        sync->leader_waits = true;
        sync->phase_done->acquire();
        sync->leader_waits = false;
      }
      sync->done = 0;
      // The call's trailing latency terms, the same on every server, once for all (caller_synchronizes).
      if (tail_s > 0) sg4::this_actor::sleep_for(tail_s);
      const double call_s = sg4::Engine::get_clock() - t1;
      // The call ran once in simulated time; the other calls - 1 and what overlap does not hide are accounted.
      const double exposed_k = exposed_time_s(phase, call_s);
      exposed[static_cast<int>(phase.kind)] += exposed_k;
      if (phase.kind == CommKind::kDp) dp_s += phase.calls * (call_s + phase.latency_s);
    }
    if (sync->stop) break;
    if (leader) {
      const double step_s = local_s + std::accumulate(exposed.begin(), exposed.end(), 0.0);
      xbt_assert(std::isfinite(step_s) && step_s >= local_s && dp_s >= 0,
                 "internal error: job '%s' step %d: %g s (local %g s, DP %g s), not a finite time >= the local part",
                 job->spec.name.c_str(), step, step_s, local_s, dp_s);
      job->stats.step_times_s.push_back(step_s);
      job->stats.dp_allreduce_s.push_back(dp_s);
      job->stats.exposed_s.push_back(exposed);
      job->stats.steps_done += 1;
      job->failures.trained_s += step_s;
      // Keep simulated time consistent with the accounted step (the call itself already elapsed).
      const double elapsed = sg4::Engine::get_clock() - t0;
      if (step_s > elapsed) sg4::this_actor::sleep_for(step_s - elapsed);
      xbt_assert(job->stats.step_times_s.size() == job->stats.dp_allreduce_s.size() &&
                     job->stats.step_times_s.size() == job->stats.exposed_s.size() &&
                     job->stats.steps_done - steps_before ==
                         static_cast<double>(job->stats.step_times_s.size() - measured_before),
                 "internal error: job '%s': %zu step times, %zu DP times, %zu exposed rows, %g steps done",
                 job->spec.name.c_str(), job->stats.step_times_s.size(), job->stats.dp_allreduce_s.size(),
                 job->stats.exposed_s.size(), job->stats.steps_done);
      XBT_VERB("job '%s' step %d done: %g s (local %g s, DP all-reduce %g s)", job->spec.name.c_str(), step, step_s,
               local_s, dp_s);
    }
  }
  // The others leave only when the last phase's flows are all done (their own sends are not waited for):
  // the leader, which waited for every server, meets them here once its step is accounted.
  if (detailed > 0 && sync->others > 0) sync->barrier->wait();
  if (!leader) return;
  // Every flow of the run is done: the collectives let go of the sends they kept (they reference the actors).
  for (const auto& collective : *collectives)
    if (collective != nullptr) collective->release_unwaited();

  // Steady state: the mean detailed step repeats until the job's steps are done or the experiment ends.
  in_detailed.reset();
  const RunPhaseGuard in_steady(&RunPhases::steady);
  auto& st = job->stats;
  const size_t measured = st.step_times_s.size() - measured_before;  // this run's detailed steps
  if (measured > 0 || known) {
    // This run's step time (a run after a re-measure or a restart does not average with earlier ones).
    st.mean_step_time_s = known
                              ? job->schedule.known_step_s
                              : std::accumulate(st.step_times_s.begin() + static_cast<std::ptrdiff_t>(measured_before),
                                                st.step_times_s.end(), 0.0) /
                                    static_cast<double>(measured);
    PowerWaveform waveform = step_power.waveform(st.mean_step_time_s);
    if (floor > 0) waveform = waveform.floored(floor);
    const double now = sg4::Engine::get_clock();
    const double remaining_steps =
        job->steps_total == 0 ? std::numeric_limits<double>::infinity() : job->steps_total - st.steps_done;
    const double run_s = std::min(remaining_steps * st.mean_step_time_s, end_s - now);
    if (run_s > 0 && !interrupted() && job->reliability.active) {
      auto shared = std::make_shared<const PowerWaveform>(std::move(waveform));
      tracker->set_waveform(job->power_group, shared, now);
      run_with_checkpoints(*job, *tracker, end_s, floor, shared);
    } else if (run_s > 0 && !job->schedule.stop_requested && !job->schedule.remeasure_requested) {
      XBT_VERB("job '%s' steady state: %g s of %g s steps", job->spec.name.c_str(), run_s, st.mean_step_time_s);
      tracker->set_waveform(job->power_group, std::make_shared<const PowerWaveform>(std::move(waveform)), now);
      if (job->schedule.stop_signal == nullptr) {
        sg4::this_actor::sleep_for(run_s);
        st.steps_done += std::floor(run_s / st.mean_step_time_s + 1e-9);
      } else {
        // The scheduler may stop the job early: the steps completed by then count, the one under way is lost;
        // or ask it to re-measure: the job goes on, the step under way carries over to the next run.
        job->schedule.stop_signal->acquire_timeout(run_s);
        const double ran_s = std::min(run_s, sg4::Engine::get_clock() - now);
        const double whole = std::floor(ran_s / st.mean_step_time_s + 1e-9);
        st.steps_done += whole;
        if (job->schedule.remeasure_requested && !job->schedule.stop_requested) {
          job->schedule.partial_step += std::max(0.0, ran_s / st.mean_step_time_s - whole);
          if (job->schedule.partial_step >= 1 && (job->steps_total == 0 || st.steps_done < job->steps_total)) {
            st.steps_done += 1;
            job->schedule.partial_step -= 1;
          }
        }
      }
    }
  }
  if (sched.failure_requested) {  // hung collectives until the watchdog stops the job
    tracker->set_activity(job->power_group, communication_activity, sg4::Engine::get_clock());
    const double until =
        std::max(sg4::Engine::get_clock(), std::min(end_s, sched.failure_s + job->reliability.detection_s));
    sg4::this_actor::sleep_until(until);
    job->failures.recovery_s += until - sched.failure_s;
  }
  st.end_s = sg4::Engine::get_clock();
  xbt_assert(
      st.end_s >= st.start_s && st.steps_done >= 0 && (job->steps_total == 0 || st.steps_done <= job->steps_total),
      "internal error: job '%s': ran %g..%g s, %g of %d steps", job->spec.name.c_str(), st.start_s, st.end_s,
      st.steps_done, job->steps_total);
  tracker->set_activity(job->power_group, 0, st.end_s);
  job->schedule.held_s += st.end_s - job->schedule.run_start_s;
  double dp_mean = 0;  // over this run's detailed steps
  for (size_t k = measured_before; k < st.dp_allreduce_s.size(); ++k)
    dp_mean += st.dp_allreduce_s[k] / static_cast<double>(st.dp_allreduce_s.size() - measured_before);
  job->schedule.segments.push_back({job->schedule.run_start_s, st.end_s, st.steps_done - steps_before,
                                    st.mean_step_time_s, dp_mean, known, job->schedule.neighbours});
  if (sched.failure_requested) roll_back(*job);
  job->schedule.state = sched.failure_requested                                     ? "failed"
                        : job->steps_total > 0 && st.steps_done >= job->steps_total ? "done"
                        : job->schedule.stop_requested                              ? "preempted"
                        : job->schedule.remeasure_requested                         ? "remeasure"
                                                                                    : "running";
  if (job->schedule.on_stop) job->schedule.on_stop();
  XBT_VERB("job '%s' done: %g steps, mean step %g s", job->spec.name.c_str(), st.steps_done, st.mean_step_time_s);
}

}  // namespace

void launch_training_job(TrainingJobRuntime& job, PowerTracker& tracker, double end_s) {
  // A run whose step time is known has no detailed step: its leader alone stands for the job.
  const int n = job.schedule.known_step_s > 0 ? 1 : static_cast<int>(job.servers.size());
  auto sync = std::make_shared<RunSync>();
  sync->barrier = sg4::Barrier::create(n);
  sync->phase_done = sg4::Semaphore::create(0);
  sync->others = n - 1;
  auto collectives = std::make_shared<const std::vector<std::shared_ptr<FabricCollective>>>(
      job.schedule.known_step_s > 0 ? std::vector<std::shared_ptr<FabricCollective>>{} : make_fabric_collectives(job));
  for (int rank = 0; rank < n; ++rank) {
    sg4::Actor::create(job.spec.name + "-" + std::to_string(rank), job.servers[rank], server_actor, &job, &tracker,
                       end_s, rank, sync, collectives);
  }
}

}  // namespace clustersim
