#pragma once
/// @file
/// Checkpoints of a training job: their size, the time to write or read one, when to write them (Young 1974,
/// Daly 2006) and the effective training time ratio a job can expect from them (first-order renewal model).
///
/// Sources: J. W. Young, "A first order approximation to the optimum checkpoint interval", CACM 17(9), 1974:
/// tau = sqrt(2 delta M); J. T. Daly, "A higher order estimate of the optimum checkpoint interval for restart
/// dumps", FGCS 22(3), 2006, eq. 37: tau = sqrt(2 delta M) [1 + sqrt(delta / (2M)) / 3 + (delta / (2M)) / 9] -
/// delta for delta < 2M, else tau = M (tau: compute time between checkpoints, delta: checkpoint write time,
/// M: mean time between failures).

#include "spec/catalog.hpp"

namespace clustersim {

/// Bytes of one checkpoint of `model` trained with mixed-precision Adam: BF16 weights (2 B) and the FP32 master
/// weights, first and second moments (12 B) per parameter (Rajbhandari et al., ZeRO, SC'20: the same 2 + 12 B of
/// models/training/memory.hpp; gradients are not saved).
double checkpoint_bytes(const LlmSpec& model);

/// Where checkpoints go: aggregate bandwidths of the store, each server's link to it, a fixed cost per operation.
struct CheckpointStore {
  double write_bandwidth_Bps = 0;
  double read_bandwidth_Bps = 0;
  double per_server_bandwidth_Bps = 0;  ///< 0 = not limiting
  double latency_s = 0;
};

/// Time to move `bytes` between `servers` servers (each writing its share) and the store at `bandwidth_Bps`
/// aggregate: latency + bytes / min(bandwidth, servers x per-server bandwidth).
double checkpoint_transfer_s(double bytes, int servers, double bandwidth_Bps, const CheckpointStore& store);

/// Young's optimum compute time between checkpoints: sqrt(2 delta M) (infinity when M is).
double young_interval_s(double write_s, double mtbf_s);

/// Daly's higher-order optimum (eq. 37; M when delta >= 2M; infinity when M is).
double daly_interval_s(double write_s, double mtbf_s);

/// What a job loses to checkpoints and failures, per unit of wall time, in the first-order model behind Young and
/// Daly: periods of tau of training and delta of writing; failures at rate 1/M, each losing on average half a
/// period (tau + delta) / 2 and the recovery R (detection + restart + restore; spares or not). ETTR = tau / (tau +
/// delta) x (1 - (R + (tau + delta) / 2) / M), clamped to [0, 1]. Exact for the mean when M >> tau + delta + R.
double expected_ettr(double interval_s, double write_s, double mtbf_s, double recovery_s);

}  // namespace clustersim
