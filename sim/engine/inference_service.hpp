#pragma once
/// @file
/// An inference service as SimGrid actors: a router on the frontend host that sends each request over
/// the fabric to a replica (round-robin or least outstanding requests), and one actor per replica that
/// runs continuous batching: every iteration decodes one token for each running sequence and spends the
/// rest of the token budget on chunked prefill of waiting requests, admitted while the KV cache has room
/// for their prompt and output. Each iteration is a SimGrid execution on the replica's GPUs (cores)
/// lasting the roofline time of models/inference.

#include <simgrid/s4u.hpp>
#include <memory>
#include <string>
#include <vector>

#include "models/inference/arrivals.hpp"
#include "models/inference/serving_model.hpp"
#include "sim/config/experiment_spec.hpp"
#include "sim/engine/power_tracker.hpp"

namespace clustersim {

/// One request's life.
struct RequestRecord {
  RequestArrival arrival;
  int replica = -1;
  double first_token_s = -1;
  double done_s = -1;
  int prefilled = 0;
  int generated = 0;
};

struct ReplicaRuntime {
  simgrid::s4u::Host* host = nullptr;
  int cores = 1;                 ///< GPUs (cores of the host) the replica occupies
  int power_group = -1;
  int outstanding = 0;           ///< requests routed and not finished (read by the router)
  double kv_peak_tokens = 0;
  double busy_s = 0;
};

struct InferenceServiceRuntime {
  InferenceServiceSpec spec;
  CalibrationSpec calibration;
  std::unique_ptr<ServingModel> model;
  std::vector<ReplicaRuntime> replicas;
  std::vector<RequestRecord> requests;  ///< in arrival order
  simgrid::s4u::Host* frontend = nullptr;
  double core_speed_flops = 1;
  double bytes_per_token = 4;           ///< request payload per prompt token on the wire (token ids)
};

/// Creates the router and replica actors; requests must already be filled in.
void launch_inference_service(InferenceServiceRuntime& service, PowerTracker& tracker, double end_s);

}  // namespace clustersim
