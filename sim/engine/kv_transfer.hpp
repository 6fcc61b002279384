#pragma once
/// @file
/// The KV-cache handoff of a disaggregated inference service: when a prefill replica finishes a prompt,
/// the prompt's KV cache (input tokens x KV bytes per token at the KV precision) moves to the chosen decode
/// replica's server. Between servers it is one flow of sim/collectives/point_to_point.hpp (send_flow by a
/// sender actor on the prefill server, receive_flow by a receiver actor on the decode server, one mailbox per
/// transfer), so it shares leaf and spine links with everything else on the fabric, then a latency alpha is
/// added (the platform's links carry no latency, see topologies/simgrid_platform.hpp). Inside one server it is analytic
/// over the scale-up domain (NVLink): bytes / (tp x scale-up bandwidth per GPU) + alpha. Transfer time is measured from
/// the end of the prefill to the KV's arrival.

#include <functional>
#include <simgrid/s4u.hpp>
#include <string>
#include <vector>

namespace clustersim {

/// KV-cache bytes of a prompt of `input_tokens` (the whole replica's cache: all layers, all KV heads).
double kv_transfer_bytes(double input_tokens, double kv_bytes_per_token);

/// What the transfers of one service measured.
struct KvTransferStats {
  long transfers = 0;          ///< transfers completed
  double bytes = 0;            ///< bytes of the completed transfers
  long fabric_transfers = 0;   ///< of which crossed the fabric (different servers)
  std::vector<double> time_s;  ///< duration of each completed transfer
};

struct KvTransportParams {
  std::string name;                  ///< unique: mailbox and actor names derive from it
  double scaleup_bandwidth_Bps = 0;  ///< per GPU per direction (same-server transfers)
  int gpus = 1;                      ///< GPUs of a replica, sending their KV shards side by side
  double alpha_s = 5e-6;             ///< per-transfer latency, s
};

class KvTransport {
 public:
  explicit KvTransport(KvTransportParams params) : params_(std::move(params)) {}

  /// Starts moving `bytes` from `from` to `to` without blocking the caller; `on_arrival` runs in an actor
  /// on `to` when the KV has arrived (the transfer is then recorded in stats()).
  void send(simgrid::s4u::Host* from, simgrid::s4u::Host* to, double bytes, std::function<void()> on_arrival);

  /// The time a transfer takes on an idle path whose bottleneck is `bandwidth_Bps` (inter-server), or over
  /// the scale-up domain when `same_server`.
  double ideal_time_s(double bytes, double bandwidth_Bps, bool same_server = false) const;

  const KvTransferStats& stats() const { return stats_; }

 private:
  KvTransportParams params_;
  KvTransferStats stats_;
  long next_id_ = 0;
};

}  // namespace clustersim
