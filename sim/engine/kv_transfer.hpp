#pragma once
/// @file
/// The KV-cache handoff of a disaggregated inference service: when a prefill replica finishes a prompt,
/// the prompt's KV cache (input tokens x KV bytes per token at the KV precision) moves to the chosen decode
/// replica's server. Between servers it is one flow of sim/collectives/point_to_point.hpp (send_flow on the
/// prefill server, receive_flow on the decode server), so it shares leaf and spine links with everything else
/// on the fabric, then a latency alpha is added (the platform's links carry no latency, see
/// topologies/simgrid_platform.hpp). Inside one server it is analytic over the scale-up domain (NVLink):
/// bytes / (tp x scale-up bandwidth per GPU) + alpha. Transfer time is measured from the end of the prefill
/// to the KV's arrival.
///
/// Actors: each end of a transfer is carried by a long-lived worker actor of the transport, one transfer at a
/// time: a receiver on the decode server (it takes the flow from its own mailbox, waits alpha, records the
/// transfer and runs the arrival) and a sender on the prefill server (it puts the flow). Idle workers wait
/// suspended in a pool per server and are resumed for the next transfer; a pool grows only when all its
/// workers are busy, so a run creates as many workers as transfers ever overlap on a server, not two actors
/// per transfer (2.77 M in a day at 100k GPUs, each with a fresh stack). Resuming a worker is the same one
/// simcall as creating an actor was, and a worker does exactly what the per-transfer actors did (blocking
/// get / put on a mailbox, sleep_for(alpha) from the flow's end), so flows start, end and arrive at the same
/// times and in the same order as with one actor pair per transfer (bit for bit; sends are never detached,
/// SIMGRID.md trap 2). Mailbox permanent receivers do not help: a put then starts at once, but the sender
/// must still wait on its comm (SimGrid drops a comm from an actor's activity list only for the actors that
/// waited on it), and a receiver takes finished comms in posting order, not in order of completion.
/// Workers are daemons, like the replicas: a transfer in flight does not keep the engine running (a run
/// always lasts to its end, held by the power sampler).

#include <functional>
#include <memory>
#include <simgrid/s4u.hpp>
#include <string>
#include <unordered_map>
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

  /// Starts moving `bytes` from `from` to `to` without blocking the caller (to be called from an actor);
  /// `on_arrival` runs in an actor on `to` when the KV has arrived (the transfer is then recorded in stats()).
  void send(simgrid::s4u::Host* from, simgrid::s4u::Host* to, double bytes, std::function<void()> on_arrival);

  /// The time a transfer takes on an idle path whose bottleneck is `bandwidth_Bps` (inter-server), or over
  /// the scale-up domain when `same_server`.
  double ideal_time_s(double bytes, double bandwidth_Bps, bool same_server = false) const;

  const KvTransferStats& stats() const { return stats_; }

  /// Worker actors created so far (receivers and senders): the most transfers that overlapped on each server.
  long worker_actors() const { return worker_actors_; }

 private:
  struct Worker;  ///< one end of one transfer at a time (kv_transfer.cpp)
  using Pool = std::unordered_map<simgrid::s4u::Host*, std::vector<std::shared_ptr<Worker>>>;

  /// An idle worker of `pool` on `host` (taken out of the pool), or a new one not started yet.
  static std::shared_ptr<Worker> take(Pool& pool, simgrid::s4u::Host* host);
  /// Starts `worker` on the transfer filled into it: resumes it, or creates its actor (one simcall either way;
  /// a new receiver's mailbox and the daemon flag take two more, once per worker).
  void start(const std::shared_ptr<Worker>& worker, Pool& pool, simgrid::s4u::Host* host, bool receiver);
  /// The body of a worker actor: carries its transfer, returns to its pool, waits suspended for the next.
  void serve(const std::shared_ptr<Worker>& worker, Pool& pool, simgrid::s4u::Host* host, bool receiver);
  /// A receiver's transfer: the flow (or the scale-up time), alpha, the record, the arrival.
  void receive(Worker& worker);

  KvTransportParams params_;
  KvTransferStats stats_;
  Pool idle_receivers_, idle_senders_;
  long worker_actors_ = 0;
};

}  // namespace clustersim
