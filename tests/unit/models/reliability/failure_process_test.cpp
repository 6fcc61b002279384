#include "models/reliability/failure_process.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "models/reliability/checkpoint.hpp"

namespace clustersim {
namespace {

TEST(FailureProcess, SameSeedSameFailuresOtherSeedOthers) {
  const std::vector<FailureClassParams> classes = {{"gpu", 1000, 1e-6, 1}, {"host", 100, 2e-6, 0.7}};
  const auto a = draw_failures(classes, 30 * 86400.0, 7);
  const auto b = draw_failures(classes, 30 * 86400.0, 7);
  const auto c = draw_failures(classes, 30 * 86400.0, 8);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].time_s, b[i].time_s);
    EXPECT_EQ(a[i].component, b[i].component);
    EXPECT_EQ(a[i].failure_class, b[i].failure_class);
  }
  ASSERT_FALSE(a.empty());
  EXPECT_TRUE(c.size() != a.size() || c.front().time_s != a.front().time_s);
  for (size_t i = 1; i < a.size(); ++i) EXPECT_LE(a[i - 1].time_s, a[i].time_s);
}

// Exponential: the count matches components x rate x span within 4 standard deviations (Poisson). Weibull of
// shape k (components new at t = 0): the components that failed at least once by t match n x F(t), F(t) = 1 -
// exp(-(t / scale)^k), scale = mean / Gamma(1 + 1/k), within 4 binomial standard deviations.
TEST(FailureProcess, CountsMatchTheDistribution) {
  const int n = 2000;
  const double rate = 1e-5 / 3600, span = 2e4 * 3600;  // mean gap 1e5 h, span 2e4 h
  for (double shape : {1.0, 0.7, 1.5}) {
    const auto f = draw_failures({{"x", n, rate, shape}}, span, 11);
    for (const auto& x : f) {
      EXPECT_GE(x.component, 0);
      EXPECT_LT(x.component, n);
      EXPECT_LT(x.time_s, span);
    }
    if (shape == 1) {
      const double expected = n * rate * span;  // 400
      EXPECT_NEAR(static_cast<double>(f.size()), expected, 4 * std::sqrt(expected));
      continue;
    }
    std::vector<char> failed(n, 0);
    for (const auto& x : f) failed[x.component] = 1;
    double once = 0;
    for (char c : failed) once += c;
    const double scale = 1 / (rate * std::tgamma(1 + 1 / shape));
    const double p = 1 - std::exp(-std::pow(span / scale, shape));  // 0.074 (k 1.5), 0.318 (k 0.7)
    EXPECT_NEAR(once, n * p, 4 * std::sqrt(n * p * (1 - p))) << "shape " << shape;
  }
}

TEST(FailureProcess, AddingAClassLeavesTheOthersDraws) {
  const auto one = draw_failures({{"gpu", 500, 1e-6, 1}}, 86400.0 * 90, 3);
  // A class added before it (the catalog's classes come in name order): gpu's stream follows its name, not its index.
  const auto two = draw_failures({{"cpu", 500, 1e-6, 1}, {"gpu", 500, 1e-6, 1}}, 86400.0 * 90, 3);
  std::vector<ComponentFailure> gpu_only;
  for (const auto& f : two)
    if (f.failure_class == 1) gpu_only.push_back(f);
  ASSERT_EQ(one.size(), gpu_only.size());
  for (size_t i = 0; i < one.size(); ++i) EXPECT_EQ(one[i].time_s, gpu_only[i].time_s);
}

TEST(FailureProcess, RefusesBadParamsAndRunaways) {
  EXPECT_THROW(draw_failures({{"x", 10, -1, 1}}, 100, 1), std::invalid_argument);
  EXPECT_THROW(draw_failures({{"x", 10, 1e-3, 0}}, 100, 1), std::invalid_argument);
  EXPECT_THROW(draw_failures({{"x", 1000, 1, 1}}, 1e6, 1, 1000), std::invalid_argument);
  EXPECT_TRUE(draw_failures({{"x", 10, 0, 1}}, 100, 1).empty());
}

TEST(FailureProcess, MeanTimeBetweenFailuresAddsRates) {
  const std::vector<FailureClassParams> classes = {{"gpu", 0, 1e-6, 1}, {"host", 0, 4e-6, 1}};
  EXPECT_DOUBLE_EQ(mean_time_between_failures_s(classes, {8, 1}), 1 / (8e-6 + 4e-6));
  EXPECT_TRUE(std::isinf(mean_time_between_failures_s(classes, {0, 0})));
}

TEST(Checkpoint, YoungAndDalyFormulas) {
  // Young: sqrt(2 delta M). Daly eq. 37 with delta = 60 s, M = 3 h.
  const double d = 60, m = 3 * 3600.0;
  EXPECT_DOUBLE_EQ(young_interval_s(d, m), std::sqrt(2 * d * m));
  const double r = d / (2 * m);
  EXPECT_DOUBLE_EQ(daly_interval_s(d, m), std::sqrt(2 * d * m) * (1 + std::sqrt(r) / 3 + r / 9) - d);
  EXPECT_NEAR(daly_interval_s(d, m), 1098.77, 0.01);  // by hand: 1138.42 x (1 + 0.0176 + 0.0003) - 60
  EXPECT_DOUBLE_EQ(daly_interval_s(100, 40), 40);     // delta >= 2M: M
  EXPECT_TRUE(std::isinf(daly_interval_s(60, INFINITY)));
}

TEST(Checkpoint, SizeAndTransferTime) {
  LlmSpec m;
  m.layers = 2;
  m.hidden = 1024;
  m.ffn_hidden = 4096;
  m.heads = 8;
  m.kv_heads = 8;
  m.vocab = 1000;
  EXPECT_DOUBLE_EQ(checkpoint_bytes(m), m.params() * 14);
  CheckpointStore store{1e11, 1e11, 1e9, 5};
  // 16 servers at 1 GB/s each = 16 GB/s bind before the 100 GB/s store.
  EXPECT_DOUBLE_EQ(checkpoint_transfer_s(1.6e12, 16, store.write_bandwidth_Bps, store), 5 + 100);
  store.per_server_bandwidth_Bps = 0;
  EXPECT_DOUBLE_EQ(checkpoint_transfer_s(1.6e12, 16, store.write_bandwidth_Bps, store), 5 + 16);
}

TEST(Checkpoint, ExpectedEttr) {
  // tau 1 h, delta 1 min, M 10 h, recovery 15 min: 60/61 x (1 - (0.25 + 61/120) / 10).
  EXPECT_NEAR(expected_ettr(3600, 60, 36000, 900), 60.0 / 61 * (1 - (0.25 + 61.0 / 120) / 10), 1e-12);
  EXPECT_DOUBLE_EQ(expected_ettr(INFINITY, 60, INFINITY, 900), 1.0);
  EXPECT_DOUBLE_EQ(expected_ettr(INFINITY, 60, 3600, 900), 0.0);
}

}  // namespace
}  // namespace clustersim
