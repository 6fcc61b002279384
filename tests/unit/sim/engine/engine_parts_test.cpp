#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <vector>

#include "common/diagnostics.hpp"
#include "common/statistics.hpp"
#include "models/inference/arrivals.hpp"
#include "sim/engine/power_tracker.hpp"
#include "sim/input/trace_reader.hpp"
#include "sim/sweep/sweep_plan.hpp"

using namespace clustersim;

TEST(PowerTracker, IntegratesPiecewiseConstantActivity) {
  PowerTracker t;
  const int a = t.add_group(8);
  const int b = t.add_group(4);
  t.set_activity(a, 1.0, 0.0);  // 8 GPU-equivalents from t=0
  t.set_activity(b, 0.5, 2.0);  // +2 from t=2
  t.set_activity(a, 0.0, 4.0);  // -8 at t=4
  // 0..2: 8, 2..4: 10, 4..10: 2 -> 16 + 20 + 12 = 48 GPU x s.
  EXPECT_DOUBLE_EQ(t.integral(10.0), 48.0);
  EXPECT_DOUBLE_EQ(t.group_integral(a, 10.0), 32.0);
  EXPECT_DOUBLE_EQ(t.group_integral(b, 10.0), 16.0);
  EXPECT_DOUBLE_EQ(t.peak_activity_sum(), 10.0);
}

// Changes announced ahead of time (set_activity_at) give, bit for bit, what the same changes made at their
// times give, interleaved with changes made at the tracker's clock and with integrals read in between; the
// peak counts announced changes that a later read has not reached yet.
TEST(PowerTracker, AnnouncedChangesEqualChangesAtTheirTime) {
  PowerTracker now, ahead;
  for (PowerTracker* t : {&now, &ahead}) {
    t->add_group(8);
    t->add_group(3);
  }
  const double times[] = {0.1, 0.7, 1.3, 2.9, 3.3, 4.41, 6.02};  // 0.25 s apart at least
  const double acts[] = {0.3, 0.9, 0.11, 0.0, 0.77, 0.5, 0.2};
  const int line = ahead.add_timeline();
  for (int k = 0; k < 7; ++k) ahead.set_activity_at(line, 0, acts[k], times[k]);  // group 0 announced up front
  std::vector<double> a, b;
  for (int k = 0; k < 7; ++k) {
    now.set_activity(0, acts[k], times[k]);
    const double other = 0.05 * k, at = times[k] + 0.2;  // group 1 at the clock, between group 0's changes
    now.set_activity(1, other, at);
    ahead.set_activity(1, other, at);
    a.push_back(now.integral(at + 0.05));
    b.push_back(ahead.integral(at + 0.05));
  }
  EXPECT_EQ(a, b);
  EXPECT_EQ(now.group_integral(0, 9.0), ahead.group_integral(0, 9.0));
  EXPECT_EQ(now.peak_activity_sum(), ahead.peak_activity_sum());
  PowerTracker late;
  late.add_group(10);
  late.set_activity_at(late.add_timeline(), 0, 1.0, 5.0);
  EXPECT_EQ(late.integral(4.0), 0.0);         // not yet
  EXPECT_EQ(late.peak_activity_sum(), 10.0);  // the peak sees it
}

TEST(Statistics, QuantileInterpolates) {
  EXPECT_DOUBLE_EQ(quantile({4, 1, 3, 2}, 0.5), 2.5);  // numpy.quantile([1,2,3,4], .5)
  EXPECT_DOUBLE_EQ(quantile({1, 2, 3, 4, 5}, 0.99), 4.96);
  EXPECT_TRUE(std::isnan(quantile({}, 0.5)));
}

TEST(Arrivals, PoissonRateAndDeterminism) {
  PoissonArrivalParams p;
  p.rate_per_s = 50;
  p.end_s = 200;
  const auto a = poisson_arrivals(p);
  const auto b = poisson_arrivals(p);
  ASSERT_EQ(a.size(), b.size());
  EXPECT_EQ(a[17].time_s, b[17].time_s);
  // 10,000 expected arrivals; the Poisson standard deviation is 100, so 4 sigma = 400.
  EXPECT_NEAR(static_cast<double>(a.size()), 10000.0, 400.0);
  double in = 0;
  for (const auto& r : a) in += r.input_tokens;
  EXPECT_NEAR(in / a.size(), 1024.0, 1024.0 * 4 / std::sqrt(a.size()));
  p.seed = 43;
  EXPECT_NE(poisson_arrivals(p)[0].time_s, a[0].time_s);
}

TEST(Arrivals, TraceReplayScalesAndRepeats) {
  std::vector<RequestArrival> trace = {{0, 10, 1}, {1, 20, 2}, {3, 30, 3}};
  // Span 3 s, mean gap 1.5 s -> period 4.5 s; at scale 2 the period is 2.25 s.
  const auto r = replay_trace(trace, 2.0, 10.0, 14.0);
  ASSERT_EQ(r.size(), 6u);  // 10, 10.5, 11.5, then the repeat 12.25, 12.75, 13.75 (< 14)
  EXPECT_DOUBLE_EQ(r[1].time_s, 10.5);
  EXPECT_DOUBLE_EQ(r[3].time_s, 12.25);
  EXPECT_EQ(r[4].input_tokens, 20);
  EXPECT_DOUBLE_EQ(r[5].time_s, 13.75);
}

TEST(TraceReader, ReadsAzureFormatAndReportsBadRows) {
  const std::string good = testing::TempDir() + "/trace.csv";
  std::ofstream(good) << "TIMESTAMP,ContextTokens,GeneratedTokens\n"
                         "2023-11-16 23:59:59.5000000,100,10\n"
                         "2023-11-17 00:00:01.0000000,200,20\n";
  const auto t = read_azure_trace(good);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_NEAR(t[1].time_s, 1.5, 1e-9);  // across midnight
  EXPECT_EQ(t[1].input_tokens, 200);
  const std::string bad = testing::TempDir() + "/bad.csv";
  std::ofstream(bad) << "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 10:00:00,abc,3\n";
  try {
    read_azure_trace(bad);
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    ASSERT_EQ(e.diagnostics().size(), 1u);
    EXPECT_EQ(e.diagnostics().items()[0].location.line, 2);
  }
}

TEST(SweepPlan, CartesianLastAxisFastestAndShards) {
  SweepSpec s;
  s.grid = {{"fabric.link", {"400Gbps", "800Gbps"}}, {"facility.pue", {"1.1", "1.2", "1.3"}}};
  const auto pts = plan_sweep(s);
  ASSERT_EQ(pts.size(), 6u);
  EXPECT_EQ(pts[1].overrides[0].value, "400Gbps");
  EXPECT_EQ(pts[1].overrides[1].value, "1.2");
  EXPECT_EQ(pts[3].overrides[0].value, "800Gbps");
  EXPECT_EQ(run_file_name(7), "runs/run-000007.h5");
  Shard sh;
  std::string err;
  ASSERT_TRUE(parse_shard("1/4", sh, err));
  EXPECT_TRUE(sh.owns(5));
  EXPECT_FALSE(sh.owns(4));
  EXPECT_FALSE(parse_shard("4/4", sh, err));
  EXPECT_FALSE(parse_shard("x", sh, err));
}
