#include "sim/engine/job_scheduler.hpp"

#include <xbt/asserts.h>
#include <xbt/log.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "topologies/simgrid_platform.hpp"

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(cs_job_scheduler, clustersim, "cluster scheduler of the training jobs");

namespace sg4 = simgrid::s4u;

namespace clustersim {

namespace {

int servers_needed(const TrainingJobRuntime& job) {
  const int gps = std::max(1, job.layout.gpus_per_server);
  return (job.spec.gpus + gps - 1) / gps;
}

/// A job smaller than a server: it shares a server with other small jobs (ServerPool::take_gpus).
bool small_job(const TrainingJobRuntime& job) { return job.spec.gpus < job.layout.gpus_per_server; }

/// The hot spares a job asks for (none for a job smaller than a server, or without failures).
int spares_asked(const TrainingJobRuntime& job) {
  return job.reliability.active && !small_job(job) ? job.reliability.spares : 0;
}

}  // namespace

double analytic_step_time_s(const TrainingJobRuntime& job) {
  const double bw = job.layout.scaleout_bandwidth_Bps * std::max(1, job.gpus_per_server_used);
  double t = job.estimate.local_time_s();
  for (const FabricPhase& phase : job.estimate.fabric) t += exposed_time_s(phase, phase.bytes_per_server / bw);
  return t;
}

JobScheduler::JobScheduler(JobSchedulerParams params, std::vector<TrainingJobRuntime*> jobs,
                           std::vector<ServerPool> pools, PowerTracker& tracker)
    : p_(std::move(params)), jobs_(std::move(jobs)), pools_(std::move(pools)), tracker_(tracker) {
  xbt_assert(!pools_.empty(), "internal error: a job scheduler without pools");
  for (const TrainingJobRuntime* job : jobs_)
    xbt_assert(job->pool >= 0 && job->pool < static_cast<int>(pools_.size()), "internal error: job '%s' in pool %d",
               job->spec.name.c_str(), job->pool);
  stopping_servers_.assign(pools_.size(), 0);
  for (const ServerPool& p : pools_) pool_servers_.push_back(p.total());
  stopping_of_.assign(jobs_.size(), 0);
  down_until_.assign(p_.hosts.size(), 0);
  if (p_.failures != nullptr) failed_spines_.assign(p_.failures->planes.size(), 0);
  in_repair_.assign(p_.hosts.size(), 0);
  spares_of_.resize(jobs_.size());
  samples_.resize(pools_.size());
  acc_.resize(pools_.size());
  allocated_gpus_.assign(pools_.size(), 0);
  xbt_assert(p_.spec.policy != SchedulerKind::kNone, "internal error: a job scheduler without a policy");
  xbt_assert(p_.sample_interval_s > 0, "internal error: sampling interval %g s", p_.sample_interval_s);
  by_submit_.resize(jobs_.size());
  for (size_t j = 0; j < jobs_.size(); ++j) by_submit_[j] = static_cast<int>(j);
  std::stable_sort(by_submit_.begin(), by_submit_.end(),
                   [&](int a, int b) { return jobs_[a]->schedule.submit_s < jobs_[b]->schedule.submit_s; });
  servers_of_.resize(jobs_.size());
  groups_of_.resize(jobs_.size());
  pods_of_.resize(jobs_.size());
  run_neighbours_.resize(jobs_.size());
  run_spines_.resize(jobs_.size());
  launched_at_.assign(jobs_.size(), -1);
  remeasure_at_.assign(jobs_.size(), -1);
  step_estimate_s_.resize(jobs_.size());
  for (size_t j = 0; j < jobs_.size(); ++j) step_estimate_s_[j] = analytic_step_time_s(*jobs_[j]);
  // Tenants with a quota, by index; a job of another tenant (or none) has no quota.
  tenant_of_.assign(jobs_.size(), -1);
  std::map<std::string, int> tenant_index;
  for (const auto& [tenant, gpus] : p_.spec.quota_gpus) {
    tenant_index[tenant] = static_cast<int>(quota_gpus_.size());
    quota_gpus_.push_back(gpus);
  }
  for (size_t j = 0; j < jobs_.size(); ++j) {
    auto it = tenant_index.find(jobs_[j]->spec.tenant);
    if (it != tenant_index.end()) tenant_of_[j] = it->second;
  }
}

void JobScheduler::launch(sg4::Host* host) {
  wake_ = sg4::Semaphore::create(0);
  sg4::Actor::create("job-scheduler", host, [this] { run(); });
}

double JobScheduler::run_estimate_s(int j) const {
  const TrainingJobRuntime& job = *jobs_[j];
  if (job.steps_total == 0) return std::numeric_limits<double>::infinity();
  const double step = job.stats.mean_step_time_s > 0 ? job.stats.mean_step_time_s : step_estimate_s_[j];
  return (job.steps_total - job.stats.steps_done) * step;
}

double JobScheduler::tokens_rate(int j) const {
  const TrainingJobRuntime& job = *jobs_[j];
  const double step = job.stats.mean_step_time_s > 0 ? job.stats.mean_step_time_s : step_estimate_s_[j];
  return step > 0 ? job.estimate.tokens_per_step / step : 0;
}

void JobScheduler::advance(double t) {
  const size_t n = pools_.size();
  auto integrate = [&](double until) {
    const double dt = until - last_t_;
    if (dt <= 0) return;
    std::vector<double> queued(n, 0), running(n, 0), tokens_per_s(n, 0);
    for (int j : queue_) queued[jobs_[j]->pool] += 1;
    for (int j : running_) {
      running[jobs_[j]->pool] += 1;
      tokens_per_s[jobs_[j]->pool] += tokens_rate(j);
    }
    for (size_t p = 0; p < n; ++p) {
      acc_[p].queued_jobs += queued[p] * dt;
      acc_[p].running_jobs += running[p] * dt;
      acc_[p].allocated_gpus += allocated_gpus_[p] * dt;
      acc_[p].training_tokens_per_s += tokens_per_s[p] * dt;
    }
    last_t_ = until;
  };
  while (sample_start_s_ < p_.end_s - 1e-12) {
    const double close = std::min(sample_start_s_ + p_.sample_interval_s, p_.end_s);
    if (close > t) break;
    integrate(close);
    const double len = close - sample_start_s_;
    for (size_t p = 0; p < n; ++p) {
      const ScheduleSampleRow& a = acc_[p];
      samples_[p].push_back({sample_start_s_, a.queued_jobs / len, a.running_jobs / len, a.allocated_gpus / len,
                             a.training_tokens_per_s / len});
      acc_[p] = ScheduleSampleRow{};
    }
    sample_start_s_ += p_.sample_interval_s;
  }
  integrate(std::min(t, p_.end_s));
}

std::vector<ScheduleSampleRow> JobScheduler::samples() const {
  std::vector<ScheduleSampleRow> out = samples_[0];
  for (size_t p = 1; p < samples_.size(); ++p)
    for (size_t i = 0; i < out.size(); ++i) {
      out[i].queued_jobs += samples_[p][i].queued_jobs;
      out[i].running_jobs += samples_[p][i].running_jobs;
      out[i].allocated_gpus += samples_[p][i].allocated_gpus;
      out[i].training_tokens_per_s += samples_[p][i].training_tokens_per_s;
    }
  return out;
}

void JobScheduler::collect_stopped(double now) {
  std::vector<int> changed, remeasured;
  for (int j : stopped_) {
    TrainingJobRuntime& job = *jobs_[j];
    // The measured step time of the situation the run had (its neighbours at its start) is kept for later.
    if (!job.schedule.segments.empty() && !job.schedule.segments.back().looked_up &&
        job.schedule.segments.back().step_time_s > 0)
      known_steps_[{j, run_neighbours_[j], job.schedule.slowdown, run_spines_[j]}] =
          job.schedule.segments.back().step_time_s;
    if (job.schedule.state == "remeasure") {
      remeasured.push_back(j);
      continue;
    }
    // Its flows ended: a load-aware routed fabric routes the next jobs without them (topologies/simgrid_platform.hpp).
    release_routes(job.servers);
    if (job.schedule.state == "failed" && restart_failed(j, now)) continue;  // restarted on its servers
    changed.push_back(j);
    if (small_job(job))
      pools_[job.pool].give_back_gpus(servers_of_[j].front(), job.spec.gpus);
    else
      pools_[job.pool].give_back(servers_of_[j]);
    pools_[job.pool].give_back(spares_of_[j]);
    spares_of_[j].clear();
    running_.erase(std::find(running_.begin(), running_.end(), j));
    allocated_gpus_[job.pool] -= job.spec.gpus;
    stopping_servers_[job.pool] -= stopping_of_[j];
    stopping_of_[j] = 0;
    XBT_VERB("job '%s' stopped at %g s (%s): %g of %d steps", job.spec.name.c_str(), now, job.schedule.state.c_str(),
             job.stats.steps_done, job.steps_total);
    if (job.schedule.state == "preempted") {
      job.schedule.preemptions += 1;
      queue_.push_back(j);
    }
    if (job.schedule.state == "failed") queue_.push_back(j);  // it waits for servers, then restarts
  }
  stopped_.clear();
  for (int j : remeasured) launch_run(j);
  remeasure_neighbours_of(changed);
}

bool JobScheduler::neighbours(int a, int b) const {
  auto share = [](const std::vector<int>& x, const std::vector<int>& y) {
    auto i = x.begin(), k = y.begin();
    while (i != x.end() && k != y.end()) {
      if (*i == *k) return true;
      *i < *k ? ++i : ++k;
    }
    return false;
  };
  return share(groups_of_[a], groups_of_[b]) || share(pods_of_[a], pods_of_[b]);
}

std::vector<int> JobScheduler::neighbour_set(int j) const {
  std::vector<int> out;
  for (int k : running_)
    if (k != j && !jobs_[k]->schedule.stop_requested && neighbours(j, k)) out.push_back(k);
  std::sort(out.begin(), out.end());
  return out;
}

void JobScheduler::remeasure_neighbours_of(const std::vector<int>& changed) {
  for (int x : changed)
    for (int k : running_) {
      JobScheduleState& s = jobs_[k]->schedule;
      // A run launched at this instant measures with what runs now already.
      if (k == x || s.stop_requested || s.remeasure_requested || launched_at_[k] == sg4::Engine::get_clock() ||
          !neighbours(x, k))
        continue;
      XBT_VERB("job '%s' re-measures: its neighbour '%s' started or stopped", jobs_[k]->spec.name.c_str(),
               jobs_[x]->spec.name.c_str());
      request_remeasure(k);
    }
}

void JobScheduler::request_remeasure(int k) {
  const double allowed = launched_at_[k] + p_.spec.remeasure_interval_s;
  if (p_.spec.remeasure_interval_s > 0 && sg4::Engine::get_clock() < allowed) {
    remeasure_at_[k] = allowed;  // measured at the end of the interval, with whatever runs beside it then
    return;
  }
  trigger_remeasure(k);
}

void JobScheduler::trigger_remeasure(int k) {
  jobs_[k]->schedule.remeasure_requested = true;
  jobs_[k]->schedule.stop_signal->release();
}

void JobScheduler::stop_job(int j, int frees_servers) {
  JobScheduleState& s = jobs_[j]->schedule;
  s.stop_requested = true;
  s.stop_signal->release();
  stopping_of_[j] = frees_servers;
  stopping_servers_[jobs_[j]->pool] += frees_servers;
}

double JobScheduler::remeasure_due(double now) {
  double next = std::numeric_limits<double>::infinity();
  if (p_.spec.remeasure_interval_s <= 0) return next;
  for (int k : running_) {
    if (remeasure_at_[k] < 0) continue;
    JobScheduleState& s = jobs_[k]->schedule;
    if (s.stop_requested || s.remeasure_requested) {
      remeasure_at_[k] = -1;
    } else if (remeasure_at_[k] <= now) {
      remeasure_at_[k] = -1;
      trigger_remeasure(k);
    } else {
      next = std::min(next, remeasure_at_[k]);
    }
  }
  return next;
}

void JobScheduler::launch_run(int j) {
  TrainingJobRuntime& job = *jobs_[j];
  run_neighbours_[j] = neighbour_set(j);
  launched_at_[j] = sg4::Engine::get_clock();
  remeasure_at_[j] = -1;  // this run measures with what runs now
  run_spines_[j] = failed_spines_;
  auto known = known_steps_.find({j, run_neighbours_[j], job.schedule.slowdown, run_spines_[j]});
  job.schedule.known_step_s = known == known_steps_.end() ? 0 : known->second;
  job.schedule.neighbours = static_cast<int>(run_neighbours_[j].size());
  job.schedule.stop_requested = false;
  job.schedule.remeasure_requested = false;
  job.schedule.failure_requested = false;
  job.schedule.stop_signal = sg4::Semaphore::create(0);
  launch_training_job(job, tracker_, p_.end_s);
}

bool JobScheduler::within_budget(int j, int pool, double now) {
  if (p_.hold_budget_w <= 0 || p_.power == nullptr) return true;
  std::vector<double> activity = tracker_.envelope_by_pool(now);
  activity.resize(p_.power->params().pools.size(), 0.0);
  activity.at(pool) += jobs_[j]->spec.gpus * peak_step_activity(*jobs_[j], pool);
  const bool ok = p_.power->at(activity, now).facility_w <= p_.hold_budget_w;
  if (!ok) XBT_DEBUG("job '%s' held at %g s: the site would exceed its power budget", jobs_[j]->spec.name.c_str(), now);
  return ok;
}

void JobScheduler::start_job(int j, double now, int in_pool) {
  TrainingJobRuntime& job = *jobs_[j];
  if (!job.pinned && !job.variants.empty()) {  // it starts in `in_pool`: the job as it runs there
    for (size_t i = 0; i < job.variants.size(); ++i)
      if (job.variants[i].pool == in_pool) job.use_variant(i);
    job.spec.pool = p_.pool_names.at(in_pool);
    step_estimate_s_[j] = analytic_step_time_s(job);
  }
  job.pinned = true;
  ServerPool& pool = pools_[job.pool];
  if (small_job(job)) {
    const int server = pool.take_gpus(job.spec.gpus, job.layout.gpus_per_server, p_.spec.placement);
    xbt_assert(server >= 0, "internal error: job '%s' (%d GPUs) started without room", job.spec.name.c_str(),
               job.spec.gpus);
    servers_of_[j] = {server};
  } else {
    servers_of_[j] = pool.take(servers_needed(job), p_.spec.placement);
  }
  set_servers(j);
  const PlacementSpread spread = pool.spread(servers_of_[j]);
  job.schedule.on_stop = [this, j] {
    stopped_.push_back(j);
    wake_->release();
  };
  queue_.erase(std::find(queue_.begin(), queue_.end(), j));
  running_.push_back(j);
  allocated_gpus_[job.pool] += job.spec.gpus;
  XBT_VERB("job '%s' starts at %g s on %zu servers (%d leaves, %d pods), waited %g s", job.spec.name.c_str(), now,
           servers_of_[j].size(), spread.groups, spread.pods, now - job.schedule.submit_s);
  launch_run(j);
}

void JobScheduler::set_servers(int j) {
  TrainingJobRuntime& job = *jobs_[j];
  job.servers.clear();
  for (int s : servers_of_[j]) job.servers.push_back(p_.hosts.at(s));
  const PlacementSpread spread = pools_[job.pool].spread(servers_of_[j]);
  job.schedule.groups = spread.groups;
  job.schedule.pods = spread.pods;
  job.schedule.min_groups = spread.min_groups;
  // Its traffic's footprint: the groups it spans when more than one (their uplinks), the pods likewise.
  groups_of_[j].clear();
  pods_of_[j].clear();
  for (int s : servers_of_[j]) {
    groups_of_[j].push_back(p_.group_of.at(s));
    pods_of_[j].push_back(p_.pod_of.at(s));
  }
  for (auto* v : {&groups_of_[j], &pods_of_[j]}) {
    std::sort(v->begin(), v->end());
    v->erase(std::unique(v->begin(), v->end()), v->end());
    if (v->size() < 2) v->clear();
  }
  // A synchronous step runs at its slowest server's pace.
  job.schedule.slowdown = 1;
  if (p_.failures != nullptr && !p_.failures->server_slowdown.empty())
    for (int s : servers_of_[j])
      job.schedule.slowdown = std::max(job.schedule.slowdown, p_.failures->server_slowdown[s]);
}

int JobScheduler::pool_of_server(int server) const {
  for (size_t p = 0; p < pools_.size(); ++p)
    if (pools_[p].in_universe(server)) return static_cast<int>(p);
  return -1;
}

void JobScheduler::apply_failures(double now) {
  const FailurePlan* plan = p_.failures;
  if (plan == nullptr || !plan->active) return;
  while (next_failure_ < plan->events.size() && plan->events[next_failure_].time_s <= now) {
    const FailureEvent& e = plan->events[next_failure_++];
    FailureRow row{e.time_s,
                   plan->class_names.at(e.failure_class),
                   e.component,
                   static_cast<int>(e.servers.size()),
                   e.servers.empty() ? -1 : e.servers.front(),
                   e.repair_s,
                   "",
                   "idle"};
    if (e.plane >= 0) {  // a spine: the fabric degrades until the repair, no job stops
      row.effect = "degraded";
      degrade(e.plane, 1);
      spine_repairs_.emplace(now + e.repair_s, e.plane);
      failure_log_.push_back(row);
      continue;
    }
    bool owned = false;  // by a pool of the scheduler (not a service's)
    for (int s : e.servers) {
      const int p = pool_of_server(s);
      if (p < 0) continue;
      owned = true;
      if (e.repair_s <= 0) continue;  // a restart clears it
      down_until_[s] = std::max(down_until_[s], now + e.repair_s);
      repairs_.emplace(down_until_[s], s);
      if (!in_repair_[s] && pools_[p].owns(s)) {
        pools_[p].reclaim(s);  // out at once when free, else when its job gives it back
        in_repair_[s] = 1;
      }
    }
    if (!owned) row.effect = e.servers.empty() ? "none" : "service";  // none: no such switch in this fabric
    auto hits = [&e](const std::vector<int>& v) {
      return std::any_of(e.servers.begin(), e.servers.end(),
                         [&v](int s) { return std::find(v.begin(), v.end(), s) != v.end(); });
    };
    for (int j : running_) {
      TrainingJobRuntime& job = *jobs_[j];
      const bool on_job = hits(servers_of_[j]);
      if (!on_job && !hits(spares_of_[j])) continue;
      row.job = job.spec.name;
      if (job.schedule.stop_requested) {
        row.effect = "stopping";
        continue;
      }
      if (!on_job) {  // an idle spare failed: the job holds one spare fewer until the repair
        row.effect = "spare";
        if (e.repair_s <= 0) continue;
        std::vector<int> lost;
        for (int s : spares_of_[j])
          if (down_until_[s] > now) lost.push_back(s);
        for (int s : lost) spares_of_[j].erase(std::find(spares_of_[j].begin(), spares_of_[j].end(), s));
        pools_[job.pool].give_back(lost);
        continue;
      }
      row.effect = "interrupted";
      XBT_VERB("job '%s' stopped by a failure of %s %d at %g s", job.spec.name.c_str(), row.failure_class.c_str(),
               e.component, now);
      job.schedule.failure_requested = true;
      job.schedule.failure_s = e.time_s;
      job.schedule.failure_cause = row.failure_class;
      int bad = 0;
      for (int s : servers_of_[j]) bad += down_until_[s] > now;
      // Restarted on its own servers (and spares) unless it lacks spares: then they free up for the others.
      const bool in_place = bad <= static_cast<int>(spares_of_[j].size());
      stop_job(j, in_place ? 0 : static_cast<int>(servers_of_[j].size() + spares_of_[j].size()) - bad);
    }
    failure_log_.push_back(row);
  }
}

double JobScheduler::apply_repairs(double now) {
  while (!repairs_.empty() && repairs_.begin()->first <= now) {
    const int s = repairs_.begin()->second;
    repairs_.erase(repairs_.begin());
    if (!in_repair_[s] || down_until_[s] > now) continue;  // not reclaimed, or failed again since
    in_repair_[s] = 0;
    pools_.at(pool_of_server(s)).restore({s});
    XBT_DEBUG("server %d back from repair at %g s", s, now);
  }
  return repairs_.empty() ? std::numeric_limits<double>::infinity() : repairs_.begin()->first;
}

void JobScheduler::degrade(int plane, int delta) {
  const std::vector<SpinePlane>& planes = p_.failures->planes;
  if (degradable_.empty()) {  // every plane's links (both directions), once; a pod uplink is in two planes
    std::map<std::string, size_t> index;
    plane_links_.resize(planes.size());
    for (size_t p = 0; p < planes.size(); ++p)
      for (const std::string& name : planes[p].links)
        for (const char* direction : {"_UP", "_DOWN"}) {  // a split-duplex link's two links
          auto [it, added] = index.emplace(name + direction, degradable_.size());
          if (added) {
            sg4::Link* link = sg4::Link::by_name_or_null(it->first);
            xbt_assert(link != nullptr, "internal error: spine plane %zu: no link '%s'", p, it->first.c_str());
            degradable_.push_back({link, link->get_bandwidth(), {}});
          }
          degradable_[it->second].planes.push_back(static_cast<int>(p));
          plane_links_[p].push_back(it->second);
        }
  }
  failed_spines_[plane] += delta;
  // The working switches' share of a plane; with every switch of a plane down its traffic would stop for good: one
  // switch's share stays (not modelled).
  auto share = [&](int p) {
    const int n = planes[p].spines;
    return 1.0 - static_cast<double>(std::min(failed_spines_[p], n - 1)) / n;
  };
  for (size_t i : plane_links_[plane]) {
    DegradableLink& d = degradable_[i];
    double factor = 1;
    for (int p : d.planes) factor *= share(p);
    d.link->set_bandwidth(d.bandwidth_Bps * factor);
  }
  XBT_VERB("spine plane %d%s: %d of %d switches failed, its links at %g of their bandwidth", plane,
           planes[plane].core ? " (cores)" : "", failed_spines_[plane], planes[plane].spines, share(plane));
  for (int k : running_) {  // the jobs whose traffic crosses the plane see the new fabric
    const JobScheduleState& s = jobs_[k]->schedule;
    if (s.stop_requested || s.remeasure_requested) continue;
    const bool crosses = planes[plane].core
                             ? !pods_of_[k].empty()
                             : !groups_of_[k].empty() &&
                                   (planes.size() == 1 || std::any_of(servers_of_[k].begin(), servers_of_[k].end(),
                                                                      [&](int s) { return p_.pod_of.at(s) == plane; }));
    if (crosses) request_remeasure(k);
  }
}

double JobScheduler::apply_spine_repairs(double now) {
  while (!spine_repairs_.empty() && spine_repairs_.begin()->first <= now) {
    const int plane = spine_repairs_.begin()->second;
    spine_repairs_.erase(spine_repairs_.begin());
    degrade(plane, -1);
  }
  return spine_repairs_.empty() ? std::numeric_limits<double>::infinity() : spine_repairs_.begin()->first;
}

bool JobScheduler::restart_failed(int j, double now) {
  TrainingJobRuntime& job = *jobs_[j];
  job.schedule.recover_s = job.reliability.restart_s + job.reliability.restore_s;
  std::vector<int> bad;
  for (int s : servers_of_[j])
    if (down_until_[s] > now) bad.push_back(s);
  if (bad.size() > spares_of_[j].size()) return false;  // it queues for servers
  for (int b : bad) {                                   // swap in hot spares; the failed servers leave for repair
    *std::find(servers_of_[j].begin(), servers_of_[j].end(), b) = spares_of_[j].back();
    spares_of_[j].pop_back();
  }
  pools_[job.pool].give_back(bad);
  if (!bad.empty()) {
    job.failures.spare_swaps += 1;
    set_servers(j);
  }
  stopping_servers_[job.pool] -= stopping_of_[j];
  stopping_of_[j] = 0;
  XBT_VERB("job '%s' restarts at %g s on its servers (%zu swapped for spares)", job.spec.name.c_str(), now, bad.size());
  launch_run(j);
  return true;
}

int JobScheduler::choice_rank(int j, int pool) const {
  const TrainingJobRuntime& job = *jobs_[j];
  if (job.variants.empty() || job.pinned) return job.pool == pool ? 0 : -1;
  for (size_t i = 0; i < job.variants.size(); ++i)
    if (job.variants[i].pool == pool) return servers_needed(job) <= pool_servers_[pool] ? static_cast<int>(i) : -1;
  return -1;
}

void JobScheduler::schedule(double now) {
  // Jobs with fallback pools: first every pool with the jobs that prefer it, then with those for which it is the
  // second choice (beside its own), and so on: a job starts in the first pool of its list that can start it now.
  size_t ranks = 1;
  for (int j : queue_) ranks = std::max(ranks, jobs_[j]->pinned ? size_t{1} : jobs_[j]->variants.size());
  for (size_t r = 0; r < ranks; ++r)
    for (int p = 0; p < static_cast<int>(pools_.size()); ++p) schedule_pool(p, now, static_cast<int>(r));
}

void JobScheduler::schedule_pool(int pool, double now, int rank) {
  SchedulerState st;
  st.now_s = now;
  st.free_servers = pools_[pool].free();
  st.stopping_servers = stopping_servers_[pool];
  st.preemption = p_.spec.preemption;
  st.quota_gpus = quota_gpus_;
  st.partial_free_gpus = pools_[pool].partial_free_gpus();
  st.gpus_per_server = jobs_.empty() ? 0 : jobs_.front()->layout.gpus_per_server;  // the cluster's
  for (int j : running_)  // a tenant's jobs in the other pools count against its quota here
    if (jobs_[j]->pool != pool && tenant_of_[j] >= 0) st.quota_gpus[tenant_of_[j]] -= jobs_[j]->spec.gpus;
  for (int j : queue_) {
    const TrainingJobRuntime& job = *jobs_[j];
    const int r = choice_rank(j, pool);
    if (r < 0 || r > rank) continue;
    st.queue.push_back({j, servers_needed(job), job.spec.priority, job.schedule.submit_s, run_estimate_s(j),
                        tenant_of_[j], static_cast<double>(job.spec.gpus)});
  }
  for (int j : running_) {  // a job being stopped is left out (its servers are not free yet, nor its quota)
    const TrainingJobRuntime& job = *jobs_[j];
    if (job.schedule.stop_requested || job.pool != pool) continue;
    const RunningJob r{j,
                       small_job(job) ? 0 : static_cast<int>(servers_of_[j].size() + spares_of_[j].size()),
                       job.spec.priority,
                       job.schedule.run_start_s,
                       job.schedule.run_start_s + run_estimate_s(j),
                       tenant_of_[j],
                       static_cast<double>(job.spec.gpus)};
    st.running.push_back(r);
  }
  const ScheduleDecision d = decide(p_.spec.policy, st);
  for (int j : d.preempt) {
    TrainingJobRuntime& job = *jobs_[j];
    XBT_VERB("job '%s' preempted at %g s", job.spec.name.c_str(), now);
    stop_job(j, static_cast<int>(servers_of_[j].size() + spares_of_[j].size()));
  }
  std::vector<int> started;
  for (int j : d.start) {
    if (!within_budget(j, pool, now)) continue;  // held: it waits in the queue for power
    start_job(j, now, pool);
    started.push_back(j);
  }
  // Hot spares are taken, not waited for: what the policy's starts left free, as far as each job asked.
  for (int j : started) {
    const int spares = std::min(spares_asked(*jobs_[j]), pools_[pool].free());
    if (spares > 0) spares_of_[j] = pools_[pool].take(spares, p_.spec.placement);
  }
  remeasure_neighbours_of(started);
}

void JobScheduler::apply_lending(double now) {
  while (next_lending_ < lending_.size() && lending_[next_lending_].time_s <= now) {
    const LendingEvent& e = lending_[next_lending_++];
    ServerPool& pool = pools_.at(e.pool);
    if (e.lend) {
      pool.restore(e.servers);
      XBT_VERB("%zu servers lent to the training jobs at %g s", e.servers.size(), now);
      continue;
    }
    std::vector<int> busy;
    for (int s : e.servers)
      if (!pool.reclaim(s)) busy.push_back(s);
    XBT_VERB("%zu servers taken back at %g s, %zu of them from running jobs", e.servers.size(), now, busy.size());
    for (int j : running_) {
      TrainingJobRuntime& job = *jobs_[j];
      if (job.schedule.stop_requested || job.pool != e.pool) continue;
      const bool hit = std::any_of(servers_of_[j].begin(), servers_of_[j].end(),
                                   [&](int s) { return std::find(busy.begin(), busy.end(), s) != busy.end(); });
      if (!hit) continue;
      XBT_VERB("job '%s' preempted at %g s: its servers are taken back", job.spec.name.c_str(), now);
      // Only its servers that stay in the pool free up for the others.
      stop_job(j, static_cast<int>(std::count_if(servers_of_[j].begin(), servers_of_[j].end(),
                                                 [&](int s) { return !pool.draining(s); })));
    }
  }
}

void JobScheduler::run() {
  if (p_.lending != nullptr) lending_ = p_.lending->events();
  for (;;) {
    const double now = sg4::Engine::get_clock();
    advance(now);
    collect_stopped(now);
    if (now >= p_.end_s) return;
    apply_lending(now);
    const double next_repair = std::min(apply_repairs(now), apply_spine_repairs(now));
    apply_failures(now);
    while (next_submit_ < by_submit_.size() && jobs_[by_submit_[next_submit_]]->schedule.submit_s <= now) {
      const int j = by_submit_[next_submit_++];
      bool fits = false;  // in one of its pools (the loader refuses a job that fits none)
      for (int p = 0; p < static_cast<int>(pools_.size()); ++p) fits = fits || choice_rank(j, p) >= 0;
      if (!fits) {
        jobs_[j]->schedule.state = "rejected";  // the loader refuses this; kept as a guard against a hang
        continue;
      }
      queue_.push_back(j);
    }
    schedule(now);
    double wake = std::min(p_.end_s, sample_start_s_ + p_.sample_interval_s);
    wake = std::min(wake, remeasure_due(now));
    if (next_submit_ < by_submit_.size()) wake = std::min(wake, jobs_[by_submit_[next_submit_]]->schedule.submit_s);
    if (next_lending_ < lending_.size()) wake = std::min(wake, lending_[next_lending_].time_s);
    wake = std::min(wake, next_repair);
    if (p_.failures != nullptr && next_failure_ < p_.failures->events.size())
      wake = std::min(wake, p_.failures->events[next_failure_].time_s);
    wake_->acquire_timeout(std::max(0.0, wake - now));
  }
}

void JobScheduler::finish() {
  advance(p_.end_s);
  for (int j : running_) {
    TrainingJobRuntime& job = *jobs_[j];
    if (job.stats.end_s < job.schedule.run_start_s) {  // its leader did not see the end
      job.schedule.held_s += p_.end_s - job.schedule.run_start_s;
      job.schedule.state = "running";
    }
  }
}

}  // namespace clustersim
