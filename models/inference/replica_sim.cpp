#include "models/inference/replica_sim.hpp"

namespace clustersim {

ReplicaRunStats run_replica(const ServingModel& model, const SchedulerParams& params,
                            std::vector<ServingRequest>& requests, bool stretches) {
  ReplicaScheduler sched(params);
  ReplicaRunStats st;
  double now = 0;
  size_t next = 0;
  while (next < requests.size() || !sched.idle()) {
    if (sched.idle() && requests[next].arrival.time_s > now) now = requests[next].arrival.time_s;
    while (next < requests.size() && requests[next].arrival.time_s <= now) sched.enqueue(&requests[next++]);
    const IterationPlan plan = sched.plan();
    int k = stretches ? plan.repeat : 1;
    double t = model.repeated_time_s(plan.work, k);
    if (k > 1 && next < requests.size() && requests[next].arrival.time_s < now + t) {
      k = model.iterations_covering(plan.work, k, requests[next].arrival.time_s - now);
      t = model.repeated_time_s(plan.work, k);
    }
    now += t;
    st.busy_s += t;
    st.iterations += k;
    st.steps += 1;
    sched.complete(plan, k, now);
  }
  st.end_s = now;
  st.preemptions = sched.preemptions();
  return st;
}

}  // namespace clustersim
