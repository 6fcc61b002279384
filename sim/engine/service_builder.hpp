#pragma once
/// @file
/// Builds an inference service's runtime from its spec: the arrivals (Poisson/Gamma with optional
/// diurnal swing, a batch at t = start, or a replayed Azure/Mooncake trace), the serving model, the
/// scheduler parameters and the detailed replicas with their power groups (plus one group mirroring the
/// non-detailed replicas of a sampled fleet).

#include <cstdint>
#include <memory>
#include <simgrid/s4u.hpp>
#include <vector>

#include "sim/engine/inference_service.hpp"
#include "sim/engine/placement.hpp"
#include "sim/engine/power_tracker.hpp"
#include "spec/experiment_spec.hpp"

namespace clustersim {

/// The arrivals of a service over [start, end) (from `from_s` instead of its start when >= 0: one window of a long
/// run; a trace replay restarts at the window's start), each kept with probability `keep_fraction` (fleet sampling:
/// the share of the stream that the detailed replicas receive). Below 1 the kept stream is drawn directly
/// (models/inference/arrivals): the cost follows the kept arrivals, not the fleet's.
std::vector<RequestArrival> service_arrivals(const InferenceServiceSpec& service, double end_s, uint64_t seed,
                                             double keep_fraction = 1, double from_s = -1);

/// An autoscaled service's arrivals for its detailed replicas, and its replica plan (svc.plan, svc.mirror_factor):
/// drawn as the sample the detailed replicas would get at min_replicas, the plan made from it, then thinned to
/// detailed / active(t) of the fleet's arrivals at each time. `slots` gives the replicas per server.
std::vector<RequestArrival> autoscaled_arrivals(InferenceServiceRuntime& svc, const std::vector<ReplicaSlot>& slots,
                                                double end_s, uint64_t seed);

/// The service ready to launch (launch_inference_service). `power_cap_w`: its pool's GPU power cap (0 = none).
std::unique_ptr<InferenceServiceRuntime> build_inference_service(
    const InferenceServiceSpec& service, const LlmSpec& model, const AcceleratorSpec& gpu,
    const CalibrationSpec& calibration, const EngineSpec& engine, const std::vector<ReplicaSlot>& slots,
    const std::vector<simgrid::s4u::Host*>& servers, PowerTracker& tracker, double end_s, uint64_t seed, int pool = 0,
    double power_cap_w = 0);

}  // namespace clustersim
