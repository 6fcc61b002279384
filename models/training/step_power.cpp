#include "models/training/step_power.hpp"

#include <algorithm>

#include "models/power/gpu_power.hpp"

namespace clustersim {

double StepPower::local_activity() const {
  const double total = compute_s + scaleup_s + bubble_s + optimizer_s;
  if (total <= 0) return 0;
  return (compute_s * compute_activity + scaleup_s * scaleup_activity + bubble_s * communication_activity +
          optimizer_s * optimizer_activity) /
         total;
}

PowerWaveform StepPower::waveform(double step_time_s) const {
  const double local = compute_s + scaleup_s + bubble_s + optimizer_s;
  const double busy = compute_s + scaleup_s;
  const double busy_activity =
      busy > 0 ? (compute_s * compute_activity + scaleup_s * scaleup_activity) / busy : communication_activity;
  const double exposed = std::max(0.0, step_time_s - local);
  // Fill and drain each last one bubble of wall time at a mean of (busy + communication) / 2 per GPU; the
  // steady part is what is left of the busy time. A bubble longer than the busy time ramps over the busy time
  // and waits the rest.
  const double ramp = std::min(bubble_s, busy);
  const double wait = bubble_s - ramp;
  const double steady = busy - ramp;
  return PowerWaveform({{ramp, communication_activity, busy_activity},
                        {steady, busy_activity, busy_activity},
                        {ramp, busy_activity, communication_activity},
                        {wait + exposed, communication_activity, communication_activity},
                        {optimizer_s, optimizer_activity, optimizer_activity}});
}

StepPower training_step_power(const TrainingLayout& l, const TrainingStepEstimate& e) {
  const GpuPowerModel power(gpu_power_params(l.gpu, l.calibration, l.power_cap_w));
  const CalibrationSpec& c = l.calibration;
  const double gemm_u = l.precision == Precision::kFp8 ? c.fp8_matmul_efficiency : c.matmul_efficiency;
  // Flash attention draws the power of its kernels' tensor-core utilization (attention_power_utilization), not of
  // the effective efficiency its time is priced at; unfused attention runs as GEMMs.
  const double attention_u = l.flash_attention ? c.attention_power_utilization : c.matmul_efficiency;
  StepPower p;
  p.compute_s = e.compute_time_s;
  p.scaleup_s = e.tp_comm_time_s + e.cp_comm_time_s + e.pp_local_time_s + e.dp_local_time_s;
  p.bubble_s = e.bubble_time_s;
  p.optimizer_s = e.optimizer_time_s;
  const double memory_activity = power.activity({0, c.memory_efficiency});
  const double gemm = power.activity({gemm_u, 0}), attention = power.activity({attention_u, 0});
  p.compute_activity =
      e.compute_time_s > 0
          ? (e.gemm_time_s * gemm + e.attention_time_s * attention + e.memory_bound_time_s * memory_activity) /
                e.compute_time_s
          : 0;
  p.communication_activity = power.communication_activity();
  p.scaleup_activity = p.communication_activity;
  p.optimizer_activity = memory_activity;
  return p;
}

}  // namespace clustersim
