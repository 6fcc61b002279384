#include "sim/engine/kv_transfer.hpp"

#include <xbt/log.h>

#include "sim/collectives/point_to_point.hpp"

namespace sg4 = simgrid::s4u;

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(cs_kv_transfer, clustersim, "KV-cache transfers between prefill and decode replicas");

namespace clustersim {

double kv_transfer_bytes(double input_tokens, double kv_bytes_per_token) { return input_tokens * kv_bytes_per_token; }

double KvTransport::ideal_time_s(double bytes, double bandwidth_Bps, bool same_server) const {
  const double bw = same_server ? params_.gpus * params_.scaleup_bandwidth_Bps : bandwidth_Bps;
  return alpha_beta_time_s(bytes, bw, params_.alpha_s);
}

void KvTransport::send(sg4::Host* from, sg4::Host* to, double bytes, std::function<void()> on_arrival) {
  const double start_s = sg4::Engine::get_clock();
  const std::string id = params_.name + "#kv#" + std::to_string(next_id_++);
  const bool same_server = from == to;
  XBT_DEBUG("%s: %g bytes %s -> %s", id.c_str(), bytes, from->get_cname(), to->get_cname());
  auto receive = [this, id, bytes, start_s, same_server, on_arrival = std::move(on_arrival)] {
    if (same_server)
      sg4::this_actor::sleep_for(ideal_time_s(bytes, 0, true));
    else {
      receive_flow(sg4::Mailbox::by_name(id));
      sg4::this_actor::sleep_for(params_.alpha_s);
      stats_.fabric_transfers++;
    }
    stats_.transfers++;
    stats_.bytes += bytes;
    stats_.time_s.push_back(sg4::Engine::get_clock() - start_s);
    on_arrival();
  };
  sg4::Actor::create(id + "-recv", to, receive);
  if (same_server) return;
  sg4::Actor::create(id + "-send", from, [id, bytes] { send_flow(sg4::Mailbox::by_name(id), bytes); });
}

}  // namespace clustersim
