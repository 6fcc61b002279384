#include "sim/engine/inference_service.hpp"

#include <xbt/asserts.h>
#include <xbt/log.h>
#include <xbt/config.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <queue>
#include <tuple>
#include <vector>

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(cs_inference_service, clustersim, "inference actors: router, replicas, sampler");

namespace sg4 = simgrid::s4u;

namespace clustersim {

namespace {

/// Logs the service's drain: every arrival routed and done (debug).
void log_if_drained(const InferenceServiceRuntime& s) {
  if (s.routing_done && s.finished == s.routed)
    XBT_VERB("service '%s' drained: %zu requests routed and done", s.spec.name.c_str(), s.finished);
}

/// How a service reaches the power tracker: at SimGrid's clock (actors), or announced ahead of it (the
/// colocated loop, which runs its events before SimGrid's clock reaches them).
struct Clock {
  double now_s = 0;
  bool ahead = false;
  int timeline = -1;  ///< the tracker's timeline of the announced changes (ahead)
};

void set_activity(InferenceServiceRuntime* s, PowerTracker* tracker, ReplicaRuntime& rep, double activity,
                  const Clock& clock) {
  s->activity_sum += activity - rep.activity;
  rep.activity = activity;
  const double mirror = s->activity_sum / s->replicas.size() * s->mirror_factor;
  if (clock.ahead) {
    tracker->set_activity_at(clock.timeline, rep.power_group, activity, clock.now_s);
    if (s->mirror_group >= 0) tracker->set_activity_at(clock.timeline, s->mirror_group, mirror, clock.now_s);
  } else {
    tracker->set_activity(rep.power_group, activity, clock.now_s);
    if (s->mirror_group >= 0) tracker->set_activity(s->mirror_group, mirror, clock.now_s);
  }
}

Clock simgrid_clock() { return {sg4::Engine::get_clock(), false}; }

/// The replicas a request arriving at the router can go to: the prefill pool, or all when colocated.
int routed_replicas(const InferenceServiceRuntime& s) {
  return s.prefill_replicas > 0 ? s.prefill_replicas : static_cast<int>(s.replicas.size());
}

int least_loaded(const InferenceServiceRuntime& s, int begin, int end) { return s.load_index.argmin(begin, end); }

int least_loaded(const InferenceServiceRuntime& s) { return least_loaded(s, 0, routed_replicas(s)); }

/// The decode replica that receives a prefilled request (see the file comment of the header).
int decode_target(InferenceServiceRuntime& s) {
  const int begin = s.prefill_replicas, end = static_cast<int>(s.replicas.size());
  if (s.spec.router == RouterKind::kRoundRobin) return begin + static_cast<int>(s.next_decode++ % (end - begin));
  if (s.spec.router == RouterKind::kLeastLoaded) return least_loaded(s, begin, end);
  int target = begin;
  for (int k = begin + 1; k < end; ++k)
    if (s.replicas[k].outstanding_tokens < s.replicas[target].outstanding_tokens) target = k;
  return target;
}

double held_tokens(const ServingRequest& r) { return r.arrival.input_tokens + r.arrival.output_tokens; }

/// Replica `index` takes (+1) or lets go (-1) of request `r`.
void add_outstanding(InferenceServiceRuntime& s, int index, int delta, const ServingRequest& r) {
  ReplicaRuntime& rep = s.replicas[index];
  rep.outstanding += delta;
  rep.outstanding_tokens += delta * held_tokens(r);
  s.load_index.set(index, rep.outstanding);
}

/// A prefill replica hands `r` to a decode replica: the KV cache moves, then the decode replica gets it.
void hand_off(InferenceServiceRuntime* s, ReplicaRuntime& from, ServingRequest* r) {
  const int target = decode_target(*s);
  ReplicaRuntime& to = s->replicas[target];
  add_outstanding(*s, target, +1, *r);
  const double bytes = kv_transfer_bytes(r->arrival.input_tokens, s->model->kv_bytes_per_token());
  xbt_assert(std::isfinite(bytes) && bytes >= 0,
             "internal error: service '%s': the KV cache of a %d-token prompt is %g B, not a finite size >= 0 (the "
             "model's KV heads, head size and layers are to blame)",
             s->spec.name.c_str(), r->arrival.input_tokens, bytes);
  s->kv->send(from.host, to.host, bytes, [r, &to, target] {
    r->replica = target;
    to.inbox.push_back(r);
    to.wakeup->notify_one();
  });
}

/// KV-aware: the replica whose prefix cache holds the most leading blocks of the prompt, unless it has a
/// max_batch more requests outstanding than the least loaded one.
int kv_aware(const InferenceServiceRuntime& s, const ServingRequest& r) {
  const int fallback = least_loaded(s);
  if (r.arrival.prefix_blocks.empty()) return fallback;
  int best = fallback, best_blocks = 0;
  const int limit = s.replicas[fallback].outstanding + s.spec.max_batch;
  for (int k = 0; k < routed_replicas(s); ++k) {
    if (s.replicas[k].outstanding > limit) continue;
    const int blocks = s.replicas[k].scheduler->cached_prefix_blocks(r.arrival.prefix_blocks);
    if (blocks > best_blocks) best = k, best_blocks = blocks;
  }
  return best;
}

/// Routes `r`, arriving now, to a replica of the routed pool and hands it over (its inbox). Returns the replica.
int route(InferenceServiceRuntime* s, ServingRequest& r, size_t& next) {
  xbt_assert(std::isfinite(r.arrival.time_s), "internal error: service '%s': a request arrives at %g s",
             s->spec.name.c_str(), r.arrival.time_s);
  int target = 0;
  if (s->spec.router == RouterKind::kRoundRobin)
    target = static_cast<int>(next++ % routed_replicas(*s));
  else if (s->spec.router == RouterKind::kKvAware)
    target = kv_aware(*s, r);
  else
    target = least_loaded(*s);
  r.replica = target;
  add_outstanding(*s, target, +1, r);
  s->replicas[target].inbox.push_back(&r);
  s->routed++;
  return target;
}

void finish_routing(InferenceServiceRuntime* s, double end_s) {
  s->routing_done = true;
  XBT_VERB("service '%s': all %zu arrivals before %g s routed", s->spec.name.c_str(), s->routed, end_s);
  log_if_drained(*s);
}

/// One iteration of a replica, or a decode stretch of `k` identical ones, from `start` to `end`.
struct IterationRun {
  IterationPlan plan;
  int k = 1;
  double start = 0;
  double end = 0;
};

/// Replica `index` takes its inbox and composes its next iteration now. Returns false, with the replica idle
/// (activity 0), when it has nothing to do.
bool begin_iteration(InferenceServiceRuntime* s, PowerTracker* tracker, int index, double end_s, const Clock& clock,
                     IterationRun& run) {
  ReplicaRuntime& rep = s->replicas[index];
  ReplicaScheduler& sched = *rep.scheduler;
  const ServingModel& model = *s->model;
  if (sched.idle() && rep.inbox.empty()) {
    set_activity(s, tracker, rep, 0, clock);
    return false;
  }
  for (ServingRequest* r : rep.inbox) sched.enqueue(r);
  rep.inbox.clear();
  sched.plan_into(run.plan);
  rep.kv_peak_tokens = std::max(rep.kv_peak_tokens, sched.kv_used_tokens());
  run.k = s->spec.decode_stretches ? run.plan.repeat : 1;
  run.start = clock.now_s;
  if (run.k > 1 && run.start + model.repeated_time_s(run.plan.work, run.k) > end_s) {
    // Stop at the last iteration boundary before the end of the run, so that what the run counts is
    // what iteration-by-iteration simulation counts.
    int j = model.iterations_covering(run.plan.work, run.k, end_s - run.start);
    if (run.start + model.repeated_time_s(run.plan.work, j) > end_s) --j;
    if (j >= 1) run.k = j;
  }
  run.end = run.start + model.repeated_time_s(run.plan.work, run.k);
  xbt_assert(std::isfinite(run.end) && run.end >= run.start,
             "internal error: service '%s' replica %d: %d iteration(s) of %g prefill and %g decode tokens (decode "
             "context %g) take %g s, not a finite time >= 0; to blame: the accelerator's peak FLOP/s or "
             "hbm_bandwidth, the calibration's serving efficiencies or overhead, or the model's sizes",
             s->spec.name.c_str(), index, run.k, run.plan.work.prefill_tokens, run.plan.work.decode_tokens,
             run.plan.work.decode_context_tokens, run.end - run.start);
  set_activity(s, tracker, rep, model.activity(model.iteration(run.plan.work, true)), clock);
  return true;
}

/// A request arrived at `now` during a decode stretch: the stretch ends with the iteration in progress.
void cut_stretch(const InferenceServiceRuntime& s, IterationRun& run, double now) {
  run.k = s.model->iterations_covering(run.plan.work, run.k, now - run.start);
  run.end = run.start + s.model->repeated_time_s(run.plan.work, run.k);
}

/// The iteration `run` of replica `index` ends (now): its finished requests leave (prefill pool: their KV cache
/// moves to a decode replica).
void finish_iteration(InferenceServiceRuntime* s, int index, const IterationRun& run) {
  ReplicaRuntime& rep = s->replicas[index];
  rep.busy_s += run.end - run.start;
  rep.iterations += run.k;
  rep.steps += 1;
  const bool prefill_pool = index < s->prefill_replicas;
  const size_t finished_before = s->finished;
  rep.scheduler->complete_into(run.plan, run.k, run.end, rep.done);
  for (ServingRequest* r : rep.done) {
    add_outstanding(*s, index, -1, *r);
    if (prefill_pool)
      hand_off(s, rep, r);
    else
      s->finished++;
  }
  xbt_assert(rep.outstanding >= 0 && rep.outstanding_tokens > -0.5 && s->finished <= s->routed,
             "internal error: service '%s' replica %d: %d requests (%g tokens) outstanding, %zu of %zu "
             "routed done",
             s->spec.name.c_str(), index, rep.outstanding, rep.outstanding_tokens, s->finished, s->routed);
  if (s->finished != finished_before) log_if_drained(*s);
}

/// The service's sample at `t`: queue, running batch and KV use, summed over the detailed replicas.
void record_sample(InferenceServiceRuntime* s, double t) {
  double waiting = 0, running = 0, kv = 0;
  for (const auto& rep : s->replicas) {
    waiting += rep.scheduler->waiting() + rep.inbox.size();
    running += rep.scheduler->running();
    kv += rep.scheduler->kv_used_tokens() / std::max(1.0, rep.scheduler->kv_capacity_tokens());
  }
  xbt_assert(waiting >= 0 && running >= 0 && kv >= 0,
             "internal error: service '%s' at %g s: %g waiting, %g "
             "running, KV use %g",
             s->spec.name.c_str(), t, waiting, running, kv);
  const double scale = s->plan.time_s.empty() ? s->scale : fleet_weight(*s, t);
  s->samples.time_s.push_back(t);
  s->samples.waiting.push_back(waiting * scale);
  s->samples.running.push_back(running * scale);
  s->samples.kv_use.push_back(kv / s->replicas.size());
  s->samples.replicas.push_back(s->plan.time_s.empty() ? s->spec.replicas : s->plan.active_at(t));
}

/// Checks that the sample interval still advances the clock at `t`.
void check_sample_time(const InferenceServiceRuntime* s, double t, double interval_s) {
  xbt_assert(t + interval_s > t,
             "internal error: service '%s': the sample interval %g s no longer advances the "
             "clock at %g s (output.sample_interval too small for duration)",
             s->spec.name.c_str(), interval_s, t);
}

// ---- Disaggregated services: one actor per replica, a router and a sampler (KV caches are fabric flows).

void router_actor(InferenceServiceRuntime* s, double end_s) {
  size_t next = 0;
  for (size_t i = 0;; ++i) {
    top_up_requests(*s, i);
    if (i >= s->requests.size()) break;
    ServingRequest& r = s->requests[i];
    if (r.arrival.time_s >= end_s) break;
    if (r.arrival.time_s > sg4::Engine::get_clock()) sg4::this_actor::sleep_until(r.arrival.time_s);
    ReplicaRuntime& rep = s->replicas[route(s, r, next)];
    rep.wakeup->notify_one();
  }
  finish_routing(s, end_s);
}

void replica_actor(InferenceServiceRuntime* s, PowerTracker* tracker, int index, double end_s) {
  ReplicaRuntime& rep = s->replicas[index];
  std::unique_lock<sg4::Mutex> lock(*rep.mutex);
  IterationRun run;
  for (;;) {
    while (!begin_iteration(s, tracker, index, end_s, simgrid_clock(), run))
      while (rep.inbox.empty()) rep.wakeup->wait(lock);
    if (run.k > 1) {
      // Wait for the stretch's end or an arrival; on an arrival, finish the iteration in progress.
      rep.wakeup->wait_until(lock, run.end);
      const double now = sg4::Engine::get_clock();
      if (!rep.inbox.empty() && now < run.end) cut_stretch(*s, run, now);
    }
    // The lock stays held: the router never takes it (SimGrid actors are not preempted; the mutex only
    // serves the condition variable).
    if (run.end > sg4::Engine::get_clock()) sg4::this_actor::sleep_until(run.end);
    finish_iteration(s, index, run);
  }
}

void sampler_actor(InferenceServiceRuntime* s, double interval_s, double end_s) {
  for (double t = interval_s; t <= end_s + 1e-9; t += interval_s) {
    check_sample_time(s, t, interval_s);
    sg4::this_actor::sleep_until(t);
    record_sample(s, t);
  }
}

// ---- Colocated services: the router, the replicas and the sampler as one actor (see the header).

void colocated_service_actor(InferenceServiceRuntime* s, PowerTracker* tracker, double end_s, double interval_s) {
  constexpr double kNever = std::numeric_limits<double>::infinity();
  const double timing_precision_s = simgrid::config::get_value<double>("surf/precision");
  const int n = static_cast<int>(s->replicas.size());
  std::vector<IterationRun> runs(n);
  std::vector<char> busy(n, 0), stretch(n, 0);  // stretch: a decode stretch an arrival may cut
  std::vector<uint64_t> version(n, 0);          // of each replica's entry in `ends` (older ones are stale)
  using End = std::tuple<double, int, uint64_t>;
  std::priority_queue<End, std::vector<End>, std::greater<>> ends;
  // The loop's clock runs ahead of SimGrid's: as an actor that slept until each event would see it (SimGrid
  // wakes a sleep_until(t) from c at c + (t - c)), with power changes announced to the tracker.
  Clock clock{sg4::Engine::get_clock(), true, tracker->add_timeline()};
  auto start_next = [&](int i) {
    busy[i] = begin_iteration(s, tracker, i, end_s, clock, runs[i]);
    stretch[i] = busy[i] && runs[i].k > 1;
    if (busy[i]) ends.emplace(runs[i].end, i, ++version[i]);
  };
  for (int i = 0; i < n; ++i) start_next(i);
  size_t next_request = 0, next_rr = 0;
  double next_sample = interval_s;
  size_t next_plan = 1;  // autoscaling: the next change of the serving replicas
  auto plan_t = [&] { return next_plan < s->plan.time_s.size() ? s->plan.time_s[next_plan] : kNever; };
  const double slo_ttft = s->spec.slo_ttft_s > 0 ? s->spec.slo_ttft_s : std::numeric_limits<double>::quiet_NaN();
  const double slo_tpot = s->spec.slo_tpot_s > 0 ? s->spec.slo_tpot_s : std::numeric_limits<double>::quiet_NaN();
  for (;;) {
    top_up_requests(*s, next_request);
    while (!ends.empty() && std::get<2>(ends.top()) != version[std::get<1>(ends.top())]) ends.pop();
    const double end_t = ends.empty() ? kNever : std::get<0>(ends.top());
    const bool arrivals_left = next_request < s->requests.size() && s->requests[next_request].arrival.time_s < end_s;
    if (!arrivals_left && !s->routing_done) finish_routing(s, end_s);
    const double arrival_t = arrivals_left ? s->requests[next_request].arrival.time_s : kNever;
    double t = std::min({end_t, arrival_t, next_sample, plan_t()});
    // SimGrid does not advance its clock by less than surf/precision (1e-9 s): a wake-up due sooner after the last
    // event happens that much after it (with what else is due by then).
    if (t > clock.now_s && t - clock.now_s < timing_precision_s) t = clock.now_s + timing_precision_s;
    if (!(t <= end_s)) break;  // as the engine, which runs nothing past the end
    if (t > clock.now_s) clock.now_s = clock.now_s + (t - clock.now_s);
    // At one instant: iterations end (in replica order), then requests arrive (in arrival order), then the sample.
    while (!ends.empty() && std::get<0>(ends.top()) <= t) {
      const auto [when, i, v] = ends.top();
      ends.pop();
      if (v != version[i]) continue;
      busy[i] = 0;
      finish_iteration(s, i, runs[i]);
      start_next(i);
    }
    while (next_request < s->requests.size() && s->requests[next_request].arrival.time_s <= t &&
           s->requests[next_request].arrival.time_s < end_s) {
      const int i = route(s, s->requests[next_request++], next_rr);
      if (!busy[i]) {
        start_next(i);
      } else if (stretch[i] && clock.now_s < runs[i].end) {
        cut_stretch(*s, runs[i], clock.now_s);
        stretch[i] = 0;
        ends.emplace(runs[i].end, i, ++version[i]);
      }
    }
    while (plan_t() <= t) {  // the mirrored replicas follow the autoscaler
      s->mirror_factor = mirror_factor_at(*s, plan_t());
      if (s->mirror_group >= 0)
        tracker->set_activity_at(clock.timeline, s->mirror_group,
                                 s->activity_sum / s->replicas.size() * s->mirror_factor, clock.now_s);
      ++next_plan;
    }
    // A streamed service folds its done requests into the results and frees them (front first: a deque).
    while (s->stream && next_request > 0 && s->requests.front().done_s >= 0 && s->requests.front().done_s <= t) {
      const ServingRequest& q = s->requests.front();
      s->retired.add(q, s->plan.time_s.empty() ? 0 : fleet_weight(*s, q.arrival.time_s), slo_ttft, slo_tpot,
                     s->sample_grid, end_s);
      s->requests.pop_front();
      --next_request;
    }
    if (next_sample <= t) {
      check_sample_time(s, next_sample, interval_s);
      record_sample(s, next_sample);
      next_sample += interval_s;
      // Meet SimGrid's clock once per sample interval (the announced power changes wait in the tracker).
      if (t > sg4::Engine::get_clock()) sg4::this_actor::sleep_until(t);
    }
  }
  // Stay to the end: the run's end is where the announced changes stop.
  if (end_s > sg4::Engine::get_clock()) sg4::this_actor::sleep_until(end_s);
}

}  // namespace

void top_up_requests(InferenceServiceRuntime& s, size_t next) {
  while (next >= s.requests.size() && s.next_window < s.windows && s.draw_window) {
    std::vector<RequestArrival> arrivals = s.draw_window(s.next_window++);
    for (auto& a : arrivals) {
      ServingRequest r;
      r.arrival = std::move(a);
      s.requests.push_back(std::move(r));
    }
  }
}

double fleet_weight(const InferenceServiceRuntime& s, double t) {
  if (s.plan.time_s.empty()) return s.scale;
  return static_cast<double>(s.plan.active_at(t)) / s.replicas.size();
}

double mirror_factor_at(const InferenceServiceRuntime& s, double t) {
  if (s.plan.time_s.empty()) return 1;
  const int detailed = static_cast<int>(s.replicas.size());
  const int others = s.spec.replicas - detailed;
  return others > 0 ? static_cast<double>(s.plan.active_at(t) - detailed) / others : 0.0;
}

void launch_inference_service(InferenceServiceRuntime& s, PowerTracker& tracker, double end_s,
                              double sample_interval_s) {
  for (size_t i = 0; i < s.replicas.size(); ++i) {
    ReplicaRuntime& rep = s.replicas[i];
    SchedulerParams params = s.scheduler;
    if (s.prefill_replicas > 0) {
      params.prefill_only = static_cast<int>(i) < s.prefill_replicas;
      params.prefix_caching = params.prefix_caching && params.prefill_only;  // decode replicas get whole KV
    }
    rep.scheduler = std::make_unique<ReplicaScheduler>(params);
  }
  s.load_index = LeastLoadedIndex(static_cast<int>(s.replicas.size()));
  s.sample_grid.clear();  // the sample times the loop and the sampler record (the same additions)
  for (double t = sample_interval_s; t <= end_s; t += sample_interval_s) s.sample_grid.push_back(t);
  if (s.prefill_replicas == 0 && !s.actor_per_replica) {
    sg4::Actor::create(s.spec.name + "-service", s.frontend, colocated_service_actor, &s, &tracker, end_s,
                       sample_interval_s);
    return;
  }
  for (size_t i = 0; i < s.replicas.size(); ++i) {
    ReplicaRuntime& rep = s.replicas[i];
    rep.mutex = sg4::Mutex::create();
    rep.wakeup = sg4::ConditionVariable::create();
    // An idle replica is still waiting on them when the run stops at end_s, and SimGrid aborts when a
    // condition variable with a waiter is destroyed: the actor holds a reference to both, released when
    // SimGrid destroys the actor (after its wait is cancelled), so they outlive every waiter and then go.
    sg4::ActorPtr a =
        sg4::Actor::create(s.spec.name + "-replica-" + std::to_string(i), rep.host,
                           [service = &s, tracker = &tracker, index = static_cast<int>(i), end_s, mutex = rep.mutex,
                            wakeup = rep.wakeup] { replica_actor(service, tracker, index, end_s); });
    a->daemonize();
  }
  sg4::Actor::create(s.spec.name + "-router", s.frontend, router_actor, &s, end_s);
  sg4::Actor::create(s.spec.name + "-sampler", s.frontend, sampler_actor, &s, sample_interval_s, end_s)->daemonize();
}

}  // namespace clustersim
