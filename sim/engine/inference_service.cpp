#include "sim/engine/inference_service.hpp"

#include <algorithm>
#include <deque>

namespace sg4 = simgrid::s4u;

namespace clustersim {

namespace {

std::string mailbox_name(const InferenceServiceRuntime& s, int replica) {
  return s.spec.name + "@" + std::to_string(replica);
}

void router_actor(InferenceServiceRuntime* s, double end_s) {
  size_t next = 0;
  for (size_t i = 0; i < s->requests.size(); ++i) {
    RequestRecord& r = s->requests[i];
    if (r.arrival.time_s >= end_s) break;
    sg4::this_actor::sleep_until(r.arrival.time_s);
    int target = 0;
    if (s->spec.router == "round-robin") {
      target = static_cast<int>(next++ % s->replicas.size());
    } else {  // least outstanding requests; ties to the lowest index
      for (size_t k = 1; k < s->replicas.size(); ++k)
        if (s->replicas[k].outstanding < s->replicas[target].outstanding) target = static_cast<int>(k);
    }
    r.replica = target;
    s->replicas[target].outstanding++;
    const double bytes = r.arrival.input_tokens * s->bytes_per_token;
    sg4::Mailbox::by_name(mailbox_name(*s, target))->put_init(&r, static_cast<uint64_t>(bytes))->detach();
  }
}

void replica_actor(InferenceServiceRuntime* s, PowerTracker* tracker, int index) {
  ReplicaRuntime& rep = s->replicas[index];
  sg4::Mailbox* inbox = sg4::Mailbox::by_name(mailbox_name(*s, index));
  const ServingModel& model = *s->model;
  const double kv_capacity = model.kv_capacity_tokens();
  std::deque<RequestRecord*> waiting;   // arrived, not yet admitted
  std::vector<RequestRecord*> active;   // admitted: prefilling or decoding
  double kv_reserved = 0;               // tokens reserved for admitted requests (prompt + output)

  for (;;) {
    if (active.empty() && waiting.empty()) {
      tracker->set_activity(rep.power_group, 0, sg4::Engine::get_clock());
      waiting.push_back(inbox->get<RequestRecord>());
    }
    while (inbox->listen()) waiting.push_back(inbox->get<RequestRecord>());

    // Admission: FCFS while the batch and the KV cache have room (no preemption).
    while (!waiting.empty() && static_cast<int>(active.size()) < s->spec.max_batch) {
      RequestRecord* r = waiting.front();
      const double need = r->arrival.input_tokens + r->arrival.output_tokens;
      if (kv_reserved + need > kv_capacity && !active.empty()) break;
      kv_reserved += need;
      active.push_back(r);
      waiting.pop_front();
    }
    rep.kv_peak_tokens = std::max(rep.kv_peak_tokens, kv_reserved);

    // Build the iteration: decode first, then chunked prefill within the token budget.
    IterationWork work;
    int budget = s->spec.max_batch_tokens;
    std::vector<std::pair<RequestRecord*, int>> prefill_chunks;
    for (RequestRecord* r : active) {
      if (r->prefilled == r->arrival.input_tokens) {
        work.decode_tokens += 1;
        work.decode_context_tokens += r->arrival.input_tokens + r->generated;
        budget -= 1;
      }
    }
    for (RequestRecord* r : active) {
      if (budget <= 0) break;
      const int left = r->arrival.input_tokens - r->prefilled;
      if (left <= 0) continue;
      const int chunk = std::min(left, budget);
      prefill_chunks.emplace_back(r, chunk);
      work.prefill_tokens += chunk;
      work.prefill_attention_ctx += chunk * (r->prefilled + chunk / 2.0);
      budget -= chunk;
    }

    const double t = model.iteration_time_s(work);
    const auto& c = s->calibration;
    const double now = sg4::Engine::get_clock();
    tracker->set_activity(rep.power_group, model.memory_bound(work) ? c.activity_memory : c.activity_compute, now);
    sg4::this_actor::thread_execute(rep.host, t * s->core_speed_flops, rep.cores);
    const double done = sg4::Engine::get_clock();
    rep.busy_s += done - now;

    // Apply the iteration's results: decodes produce a token; a finished prefill produces the first token.
    for (RequestRecord* r : active) {
      if (r->prefilled == r->arrival.input_tokens && r->generated > 0) r->generated++;
    }
    for (auto& [r, chunk] : prefill_chunks) {
      r->prefilled += chunk;
      if (r->prefilled == r->arrival.input_tokens) {
        r->first_token_s = done;
        r->generated = 1;
      }
    }
    auto finished = [&](RequestRecord* r) {
      if (r->generated < r->arrival.output_tokens) return false;
      r->done_s = done;
      kv_reserved -= r->arrival.input_tokens + r->arrival.output_tokens;
      rep.outstanding--;
      return true;
    };
    active.erase(std::remove_if(active.begin(), active.end(), finished), active.end());
  }
}

}  // namespace

void launch_inference_service(InferenceServiceRuntime& s, PowerTracker& tracker, double end_s) {
  for (size_t i = 0; i < s.replicas.size(); ++i) {
    sg4::ActorPtr a = sg4::Actor::create(s.spec.name + "-replica-" + std::to_string(i), s.replicas[i].host,
                                         replica_actor, &s, &tracker, static_cast<int>(i));
    a->daemonize();
  }
  sg4::Actor::create(s.spec.name + "-router", s.frontend, router_actor, &s, end_s);
}

}  // namespace clustersim
