// GPU power from utilization, the power cap's clock ratio (by hand from the DVFS curve), the step waveform of a
// training job and its swing, and battery smoothing.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "models/power/gpu_power.hpp"
#include "models/power/power_swings.hpp"
#include "models/power/power_waveform.hpp"
#include "models/training/step_power.hpp"

namespace clustersim {
namespace {

GpuPowerParams params(double cap_w = 0) {
  GpuPowerParams p;
  p.idle_w = 100;
  p.tdp_w = 700;
  p.cap_w = cap_w;
  p.busy_activity = 0.1;
  p.compute_activity = 1.4;
  p.memory_activity = 0.4;
  p.communication_activity = 0.25;
  p.dvfs_exponent = 2.0;
  p.min_clock_ratio = 0.3;
  return p;
}

TEST(GpuPower, ActivityIsLinearInUtilizationUpToTheBoardLimit) {
  const GpuPowerModel m(params());
  EXPECT_DOUBLE_EQ(m.demand({0, 0}), 0.1);
  EXPECT_DOUBLE_EQ(m.activity({0, 0.5}), 0.1 + 0.4 * 0.5);       // decode: memory-bound
  EXPECT_DOUBLE_EQ(m.activity({0.25, 0.1}), 0.1 + 0.35 + 0.04);  // a light GEMM
  EXPECT_DOUBLE_EQ(m.activity({0.7, 0}), 1.0);                   // demand 1.08: at the board limit
  EXPECT_DOUBLE_EQ(m.clock_ratio({0.7, 0}), 1.0);                // the calibrated state: nothing slows
  EXPECT_DOUBLE_EQ(m.power_w(m.activity({0, 0.5})), 100 + 600 * 0.3);
}

TEST(GpuPower, ACapSlowsComputeBoundPhasesOnly) {
  // Cap 400 W: activity (400-100)/600 = 0.5.
  const GpuPowerModel m(params(400));
  EXPECT_DOUBLE_EQ(m.cap_activity(), 0.5);
  // A GEMM at u_c 0.7: S = 0.1 + 1.4 x 0.7 = 1.08 > 1, the board already runs it at 1/1.08 of its clock
  // scale; the cap asks (0.5 / (1.08 x 1/1.08))^(1/2) = sqrt(0.5) more.
  EXPECT_NEAR(m.clock_ratio({0.7, 0}), std::sqrt(0.5), 1e-12);
  EXPECT_DOUBLE_EQ(m.activity({0.7, 0}), 0.5);
  // Decode at u_m 0.8, u_c 0.05: demand 0.1 + 0.07 + 0.32 = 0.49 < 0.5: unchanged.
  EXPECT_DOUBLE_EQ(m.clock_ratio({0.05, 0.8}), 1.0);
  EXPECT_NEAR(m.activity({0.05, 0.8}), 0.49, 1e-12);
  // A mixed phase: S = 0.1 + 1.4 x 0.3 = 0.52, M = 0.4 x 0.5 = 0.2, demand 0.72: r = ((0.5 - 0.2) / 0.52)^(1/2).
  EXPECT_NEAR(m.clock_ratio({0.3, 0.5}), std::sqrt(0.3 / 0.52), 1e-12);
  // Communication is capped too.
  EXPECT_DOUBLE_EQ(m.communication_activity(), 0.25);
  EXPECT_DOUBLE_EQ(GpuPowerModel(params(200)).communication_activity(), 1.0 / 6);
}

// A mix of phases shorter than the board's power controller can follow (a serving iteration's layers): the demand
// is averaged over the mix, then limited, so a GEMM above the limit and a collective below it average below the limit
// when the collective is long enough. Limiting each phase first would give less.
TEST(GpuPower, AMixOfPhasesIsLimitedOnItsMean) {
  const GpuPowerModel m(params());
  const PowerDemand gemm = m.split_demand({0.8, 0.1});      // 0.1 + 1.12 scalable, 0.04 fixed: 1.26
  const PowerDemand collective = m.communication_demand();  // 0.25
  auto mix = [&](double gemm_s, double collective_s) {
    const double total = gemm_s + collective_s;
    return PowerDemand{(gemm_s * gemm.scalable + collective_s * collective.scalable) / total,
                       (gemm_s * gemm.fixed + collective_s * collective.fixed) / total};
  };
  EXPECT_DOUBLE_EQ(m.demand_activity(mix(3, 1)), 1.0);  // mean (3 x 1.26 + 0.25) / 4 = 1.0075: at the limit
  EXPECT_NEAR(m.demand_activity(mix(3, 2)), (3 * 1.26 + 2 * 0.25) / 5, 1e-12);  // 0.856; per phase: 0.7
  // The same demand written as a load gives the same activity and clock under a cap.
  const GpuPowerModel capped(params(400));
  EXPECT_DOUBLE_EQ(capped.demand_activity(m.split_demand({0.3, 0.5})), capped.activity({0.3, 0.5}));
  EXPECT_DOUBLE_EQ(capped.demand_clock_ratio(m.split_demand({0.3, 0.5})), capped.clock_ratio({0.3, 0.5}));
}

TEST(GpuPower, TheClockStopsAtItsMinimum) {
  const GpuPowerModel m(params(130));  // activity 0.05: below what any kernel needs
  EXPECT_DOUBLE_EQ(m.clock_ratio({0.7, 0}), 0.3);
  // At r = 0.3 the GEMM draws 1.08 x (1/1.08) x 0.09 = 0.09 > the cap's 0.05.
  EXPECT_NEAR(m.activity({0.7, 0}), 0.09, 1e-12);
}

TEST(GpuPower, RejectsNonsense) {
  EXPECT_THROW(GpuPowerModel(params(50)), std::invalid_argument);  // cap below idle
  GpuPowerParams p = params();
  p.dvfs_exponent = 0.5;
  EXPECT_THROW(GpuPowerModel{p}, std::invalid_argument);
  p = params();
  p.tdp_w = 90;
  EXPECT_THROW(GpuPowerModel{p}, std::invalid_argument);
}

TEST(PowerWaveform, IntegratesRampsAndRepeats) {
  const PowerWaveform w({{1, 0, 1}, {2, 1, 1}, {1, 0.2, 0.2}});
  EXPECT_DOUBLE_EQ(w.period_s(), 4);
  EXPECT_DOUBLE_EQ(w.mean_activity(), (0.5 + 2 + 0.2) / 4);
  EXPECT_DOUBLE_EQ(w.max_activity(), 1);
  EXPECT_DOUBLE_EQ(w.min_activity(), 0);
  EXPECT_DOUBLE_EQ(w.integral_to(0.5), 0.125);
  EXPECT_DOUBLE_EQ(w.integral_to(4 + 0.5), 2.7 + 0.125);
  EXPECT_DOUBLE_EQ(w.integral_to(10), 2 * 2.7 + 0.5 + 1.0);
}

TEST(PowerWaveform, AFloorRaisesTheLowPhasesAndCostsEnergy) {
  const PowerWaveform w({{1, 0, 1}, {1, 0.2, 0.2}});
  const PowerWaveform f = w.floored(0.5);
  EXPECT_DOUBLE_EQ(f.min_activity(), 0.5);
  EXPECT_DOUBLE_EQ(f.period_s(), 2);
  // Ramp: 0.5 flat for 0.5 s, then 0.5 -> 1 over 0.5 s; then 0.5 for 1 s.
  EXPECT_DOUBLE_EQ(f.integral_to(2), 0.25 + 0.375 + 0.5);
  EXPECT_GT(f.mean_activity(), w.mean_activity());
}

TEST(TrainingStepPower, TheWaveformHoldsTheStepsEnergy) {
  StepPower p;
  p.compute_activity = 0.95;
  p.scaleup_activity = 0.3;
  p.communication_activity = 0.3;
  p.optimizer_activity = 0.4;
  p.compute_s = 4;
  p.scaleup_s = 0.5;
  p.bubble_s = 1;
  p.optimizer_s = 0.2;
  const double step = 7;  // 1.3 s of exposed fabric communication
  const PowerWaveform w = p.waveform(step);
  EXPECT_DOUBLE_EQ(w.period_s(), step);
  const double local = 4 + 0.5 + 1 + 0.2;
  EXPECT_NEAR(w.mean_activity() * step, p.local_activity() * local + 0.3 * (step - local), 1e-12);
  EXPECT_NEAR(w.max_activity(), (4 * 0.95 + 0.5 * 0.3) / 4.5, 1e-12);
  EXPECT_DOUBLE_EQ(w.min_activity(), 0.3);
}

TEST(PowerSwings, TheSwingOfASynchronousJobIsItsPhasePowersTimesItsGpus) {
  // 10,000 GPUs of 100 W idle, 700 W limit: 2 s at activity 0.9, 1 s at 0.3 (a 3 s step) on a 10 ms grid.
  const double gpus = 10000, dt = 0.01;
  const PowerWaveform w({{2, 0.9, 0.9}, {1, 0.3, 0.3}});
  std::vector<double> p;
  for (int i = 0; i < 3000; ++i)
    p.push_back(gpus * (100 + 600 * (w.integral_to((i + 1) * dt) - w.integral_to(i * dt)) / dt));
  const PowerSwingStats s = power_swing_stats(p, dt);
  EXPECT_NEAR(s.swing_w, gpus * 600 * (0.9 - 0.3), 1);  // 3.6 MW
  EXPECT_NEAR(s.peak_w, gpus * (100 + 600 * 0.9), 1);
  EXPECT_NEAR(s.max_ramp_w_per_s, 3.6e6 / dt, 1e3);  // the phases change at a bin edge
  EXPECT_NEAR(s.main_frequency_hz, 1.0 / 3, 0.01);
}

TEST(PowerSwings, MainFrequencyOfAWindowOfNonWholeSteps) {
  // 40 s of 5.46 s steps (7.3 periods) of a trapezoid (0.4 s ramps, 0.8 s dip): the unpadded spectrum splits the
  // fundamental over two bins and its second harmonic falls on one; the main frequency is still 1 / 5.46 s.
  const double dt = 0.01, step = 5.46;
  const PowerWaveform w({{0.4, 0.3, 0.9}, {4.26, 0.9, 0.9}, {0.4, 0.9, 0.3}, {0.4, 0.3, 0.3}});
  std::vector<double> p;
  for (int i = 0; i < 4000; ++i) {
    const double t = std::fmod(i * dt, step);
    p.push_back(100 + 600 * (w.integral_to(t + dt) - w.integral_to(t)) / dt);
  }
  EXPECT_NEAR(power_swing_stats(p, dt).main_frequency_hz, 1 / step, 0.005);
}

TEST(PowerSwings, StorageFlattensWhatTheGridSeesAndLosesEnergy) {
  std::vector<double> site;
  for (int i = 0; i < 6000; ++i) site.push_back((i / 100) % 2 == 0 ? 20e6 : 10e6);  // 1 s on, 1 s off
  StorageParams sp;
  sp.energy_j = 3.6e9;  // 1 MWh
  sp.power_w = 10e6;
  sp.efficiency = 0.81;
  sp.smoothing_s = 30;
  const StorageResult r = smooth_with_storage(site, 0.01, sp);
  const PowerSwingStats before = power_swing_stats(site, 0.01), after = power_swing_stats(r.grid_w, 0.01);
  EXPECT_NEAR(before.swing_w, 10e6, 1);
  EXPECT_LT(after.swing_w, 0.1 * before.swing_w);
  EXPECT_GT(r.loss_j, 0);
  // Energy: what the grid gave beyond the site's draw went into the battery's charge or was lost.
  double grid = 0, s = 0;
  for (size_t i = 0; i < site.size(); ++i) {
    grid += r.grid_w[i] * 0.01;
    s += site[i] * 0.01;
  }
  EXPECT_NEAR(grid - s, r.loss_j + (r.state_end - 0.5) * sp.energy_j, 1e-6 * s);
  // No storage: the grid sees the site.
  EXPECT_EQ(smooth_with_storage(site, 0.01, StorageParams{}).grid_w, site);
}

}  // namespace
}  // namespace clustersim
