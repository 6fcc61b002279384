#include "sim/engine/kv_transfer.hpp"

#include <xbt/log.h>

#include "sim/collectives/point_to_point.hpp"

namespace sg4 = simgrid::s4u;

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(cs_kv_transfer, clustersim, "KV-cache transfers between prefill and decode replicas");

namespace clustersim {

struct KvTransport::Worker {
  sg4::Actor* actor = nullptr;  ///< null until its first transfer (not owned: the actor owns this worker)
  sg4::Mailbox* box = nullptr;  ///< receivers: where their flows arrive
  bool busy = false;
  // The transfer in hand.
  double bytes = 0;
  double start_s = 0;
  bool same_server = false;
  sg4::Mailbox* to = nullptr;        ///< senders: the receiver's mailbox
  std::function<void()> on_arrival;  ///< receivers
};

double kv_transfer_bytes(double input_tokens, double kv_bytes_per_token) { return input_tokens * kv_bytes_per_token; }

double KvTransport::ideal_time_s(double bytes, double bandwidth_Bps, bool same_server) const {
  const double bw = same_server ? params_.gpus * params_.scaleup_bandwidth_Bps : bandwidth_Bps;
  return alpha_beta_time_s(bytes, bw, params_.alpha_s);
}

void KvTransport::send(sg4::Host* from, sg4::Host* to, double bytes, std::function<void()> on_arrival) {
  const bool same_server = from == to;
  XBT_DEBUG("%s: KV of %g bytes %s -> %s", params_.name.c_str(), bytes, from->get_cname(), to->get_cname());
  // Receiver first, then sender: the order in which the per-transfer actors were created.
  const std::shared_ptr<Worker> r = take(idle_receivers_, to);
  r->bytes = bytes;
  r->start_s = sg4::Engine::get_clock();
  r->same_server = same_server;
  r->on_arrival = std::move(on_arrival);
  start(r, idle_receivers_, to, true);
  if (same_server) return;
  const std::shared_ptr<Worker> s = take(idle_senders_, from);
  s->bytes = bytes;
  s->to = r->box;
  start(s, idle_senders_, from, false);
}

std::shared_ptr<KvTransport::Worker> KvTransport::take(Pool& pool, sg4::Host* host) {
  std::vector<std::shared_ptr<Worker>>& idle = pool[host];
  if (idle.empty()) return std::make_shared<Worker>();
  std::shared_ptr<Worker> w = std::move(idle.back());
  idle.pop_back();
  return w;
}

void KvTransport::start(const std::shared_ptr<Worker>& w, Pool& pool, sg4::Host* host, bool receiver) {
  w->busy = true;
  if (w->actor != nullptr) {
    w->actor->resume();
    return;
  }
  const std::string name = params_.name + (receiver ? "#kv-recv#" : "#kv-send#") + std::to_string(worker_actors_++);
  if (receiver) w->box = sg4::Mailbox::by_name(name);
  XBT_DEBUG("new KV worker %s on %s", name.c_str(), host->get_cname());
  w->actor = sg4::Actor::create(name, host, [this, w, &pool, host, receiver] { serve(w, pool, host, receiver); }).get();
  w->actor->daemonize();
}

void KvTransport::serve(const std::shared_ptr<Worker>& w, Pool& pool, sg4::Host* host, bool receiver) {
  for (;;) {
    if (receiver)
      receive(*w);
    else
      send_flow(w->to, w->bytes);
    w->busy = false;
    pool[host].push_back(w);
    while (!w->busy) sg4::this_actor::suspend();
  }
}

void KvTransport::receive(Worker& w) {
  if (w.same_server)
    sg4::this_actor::sleep_for(ideal_time_s(w.bytes, 0, true));
  else {
    receive_flow(w.box);
    sg4::this_actor::sleep_for(params_.alpha_s);
    stats_.fabric_transfers++;
  }
  stats_.transfers++;
  stats_.bytes += w.bytes;
  stats_.time_s.push_back(sg4::Engine::get_clock() - w.start_s);
  const std::function<void()> on_arrival = std::move(w.on_arrival);
  w.on_arrival = nullptr;
  on_arrival();
}

}  // namespace clustersim
