#pragma once
/// @file
/// An inference service as SimGrid actors: a router on the frontend host that hands each request to a
/// replica (round-robin, least outstanding requests, or KV-aware: the replica holding the longest cached
/// prefix of the prompt unless it is much busier than the least loaded), one actor per replica running
/// continuous batching with models/inference/scheduler and timing each iteration with
/// models/inference/serving_model, and a sampler recording queue length, running batch and KV-cache use.
///
/// Speed: a decode-only batch keeps its composition until a request finishes or arrives, so the replica
/// advances the whole stretch in one simulated wait (its time is exact, ServingModel::repeated_time_s);
/// an arrival wakes it, and it finishes the iteration in progress before admitting. The result equals the
/// iteration-by-iteration simulation (decode_stretches: false) up to rounding.
/// Disaggregation (spec.prefill_replicas > 0): replicas [0, P) form the prefill pool (the router picks among
/// them; their scheduler is prefill_only), replicas [P, R) the decode pool. When a prompt's prefill ends its
/// KV cache moves to a decode replica (sim/engine/kv_transfer: a fabric flow between servers), chosen by the
/// service's router over the decode pool: round-robin, least-loaded (fewest requests) or kv-aware (fewest KV
/// tokens of the requests it holds or awaits: prompt + output). The decode replica admits the request when
/// the KV has arrived; its first token is the end of its first decode iteration there, so TTFT = queueing +
/// prefill + KV transfer + decode queueing + one decode iteration (Splitwise/DistServe's view from the client).
/// Fleets: with detailed_replicas K < replicas R, K replicas are simulated request by request on a K/R
/// sample of the arrivals and the other R - K replicas mirror their mean activity (power) and throughput.
///
/// Actors. A colocated service (no disaggregation) touches nothing of SimGrid but the clock: its router,
/// replicas and sampler run as ONE actor on the frontend, a discrete-event loop over the next iteration end
/// of each replica (a heap), the next arrival and the next sample, which handles each event as the separate
/// actors did (an arrival wakes an idle replica at once, or cuts its decode stretch). At one instant:
/// iterations end (replica order), then requests arrive (arrival order), then the sample. Its clock runs ahead
/// of SimGrid's within each sample interval (reproducing the clock an actor sleeping until each event would
/// see) and announces its power changes to the tracker (PowerTracker::set_activity_at), which applies them in
/// time order; it meets SimGrid's clock at each sample. So a colocated fleet costs a few SimGrid events per
/// sample interval instead of several per request (issue 10). The request-level results equal those of an
/// actor per replica (actor_per_replica: kept for disaggregated services, whose KV caches are fabric flows)
/// bit for bit, except where two events coincide to the bit (trace arrivals at one timestamp and iteration
/// ends), whose order SimGrid's scheduler decided: there runs differ within seed-to-seed noise (the note of
/// issue 10 measures it on 128 replicas).

#include <deque>

#include <functional>
#include <memory>
#include <simgrid/s4u.hpp>
#include <string>
#include <vector>

#include "models/inference/autoscaler.hpp"
#include "sim/engine/service_measures.hpp"

#include "models/inference/request.hpp"
#include "models/inference/scheduler.hpp"
#include "models/inference/serving_model.hpp"
#include "sim/engine/kv_transfer.hpp"
#include "sim/engine/least_loaded_index.hpp"
#include "sim/engine/power_tracker.hpp"
#include "spec/experiment_spec.hpp"

namespace clustersim {

struct ReplicaRuntime {
  simgrid::s4u::Host* host = nullptr;
  int power_group = -1;
  int outstanding = 0;            ///< requests routed and not finished (read by the router)
  double outstanding_tokens = 0;  ///< prompt + output tokens of those requests (kv-aware decode routing)
  double kv_peak_tokens = 0;
  double busy_s = 0;
  long iterations = 0;  ///< iterations simulated
  long steps = 0;       ///< simulated waits (a decode stretch is one)
  double activity = 0;  ///< current GPU activity
  std::unique_ptr<ReplicaScheduler> scheduler;
  std::deque<ServingRequest*> inbox;  ///< routed, not yet seen by the replica
  std::vector<ServingRequest*> done;  ///< the requests its last iteration finished (storage reused)
  simgrid::s4u::MutexPtr mutex;
  simgrid::s4u::ConditionVariablePtr wakeup;  ///< signalled by the router
};

/// Per-service samples (sums over the detailed replicas, scaled to the whole service).
struct ServiceSamples {
  std::vector<double> time_s, waiting, running, kv_use;
  std::vector<double> replicas;  ///< replicas serving at the sample (autoscaling; else the service's replicas)
};

struct InferenceServiceRuntime {
  InferenceServiceSpec spec;
  CalibrationSpec calibration;
  int pool = 0;  ///< its accelerator pool (an index of site_pools)
  std::unique_ptr<ServingModel> model;
  SchedulerParams scheduler;
  std::vector<ReplicaRuntime> replicas;  ///< the detailed replicas
  LeastLoadedIndex load_index;           ///< replicas by outstanding requests (kept by the engine)
  /// In arrival order (the detailed replicas' sample): the arrival windows generated so far, less those folded
  /// into `retired` (a deque: pointers to the others stay valid).
  std::deque<ServingRequest> requests;
  /// Arrival windows: one for a run of a day or less, else one per day, each generated when the service reaches
  /// it (draw_window(i): the arrivals of window i for the detailed replicas).
  size_t windows = 1;
  size_t next_window = 1;
  std::function<std::vector<RequestArrival>(size_t)> draw_window;
  /// Streamed (output.request_records): a request is folded into `retired` and freed once done.
  bool stream = false;
  ServiceMeasures retired;
  std::vector<double> sample_grid;  ///< the sample times the service will record (for folding in)
  simgrid::s4u::Host* frontend = nullptr;
  double scale = 1;       ///< replicas / detailed replicas: multiplies throughputs
  int mirror_group = -1;  ///< power group of the non-detailed replicas (-1 = none)
  /// Autoscaled: the replicas over time (empty: always spec.replicas). The detailed replicas get a sample of the
  /// arrivals thinned to detailed / active(t), so each request stands for active(t) / detailed of the fleet's
  /// (fleet_weight); the mirror group's GPUs are active in the share mirror_factor.
  ReplicaPlan plan;
  double mirror_factor = 1;  ///< (active - detailed) / (replicas - detailed): the mirror group's serving share
  double activity_sum = 0;   ///< summed activity of the detailed replicas
  ServiceSamples samples;
  int prefill_replicas = 0;         ///< disaggregated: replicas [0, this) prefill; 0 = colocated
  std::unique_ptr<KvTransport> kv;  ///< disaggregated: the KV-cache transfers
  size_t next_decode = 0;           ///< round-robin position in the decode pool
  size_t routed = 0;                ///< requests the router handed to a replica
  size_t finished = 0;              ///< requests done (their last token produced)
  bool routing_done = false;        ///< the router has routed every arrival before the end
  /// Colocated only: run as an actor per replica + router + sampler, as disaggregated services do, instead of
  /// the one-actor loop (tests compare the two).
  bool actor_per_replica = false;
};

/// Appends the next arrival windows to `service.requests` until it holds index `next` or none is left.
void top_up_requests(InferenceServiceRuntime& service, size_t next);

/// What one request of the detailed sample arriving at `t` stands for in the fleet: replicas / detailed, or with
/// autoscaling active(t) / detailed.
double fleet_weight(const InferenceServiceRuntime& service, double t);

/// The mirror group's serving share at `t` (1 without autoscaling).
double mirror_factor_at(const InferenceServiceRuntime& service, double t);

/// Creates the service's actor (colocated) or its router, replica and sampler actors (disaggregated, or
/// actor_per_replica); requests, replicas and scheduler must be filled in.
void launch_inference_service(InferenceServiceRuntime& service, PowerTracker& tracker, double end_s,
                              double sample_interval_s);

}  // namespace clustersim
