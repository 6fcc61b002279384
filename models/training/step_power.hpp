#pragma once
/// @file
/// GPU power through a training step, phase by phase (models/power/gpu_power.hpp turns each phase's
/// utilization into an activity):
///   GEMMs       u_c = the GEMM efficiency (achieved / peak at the job's precision)
///   attention   u_c = the attention efficiency
///   element-wise and optimizer: u_m = the memory efficiency (memory-bound)
///   TP/CP/PP/DP collectives inside the scale-up domain, the pipeline bubble and exposed fabric
///   communication: the communication activity (NCCL kernels running or waiting)
/// The step's waveform, synchronous on every GPU of the job: the pipeline fill (a ramp), the compute of the
/// micro-batches, the drain (a ramp), the exposed fabric communication, the optimizer (StepPower::waveform).
/// Its mean is the job's activity in steady state.

#include "models/power/power_waveform.hpp"
#include "models/training/step_model.hpp"

namespace clustersim {

struct StepPower {
  double compute_activity = 0;        ///< mean over the micro-batch compute (GEMM, attention, element-wise)
  double scaleup_activity = 0;        ///< exposed collectives inside the scale-up domain
  double optimizer_activity = 0;      ///< the optimizer step (memory-bound)
  double communication_activity = 0;  ///< bubble and exposed fabric communication
  double compute_s = 0, scaleup_s = 0, bubble_s = 0, optimizer_s = 0;  ///< per step, from the estimate
  /// Mean activity over the local part (everything but the exposed fabric communication).
  double local_activity() const;
  /// One step of `step_time_s` (>= the local part; the rest is exposed fabric communication):
  ///   [fill: ramp communication -> compute over the bubble] [compute, the scale-up collectives' share mixed in]
  ///   [drain: ramp compute -> communication over the bubble] [exposed fabric communication] [optimizer]
  /// Each GPU idles half the bubble in the fill and half in the drain, so the job's mean activity ramps over a
  /// whole bubble each time; the integral equals local_activity() x local + communication x exposed.
  PowerWaveform waveform(double step_time_s) const;
};

/// The phases of `estimate`'s step for `layout` (its GPU, calibration and power cap).
StepPower training_step_power(const TrainingLayout& layout, const TrainingStepEstimate& estimate);

}  // namespace clustersim
