// The sampled (keep_fraction < 1) arrival generators: the kept stream drawn directly must have the
// distribution of thinning the whole stream; the incremental diurnal inverse must be within 1e-9 s.

#include "models/inference/arrivals.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <stdexcept>
#include <vector>

namespace clustersim {
namespace {

struct GapStats {
  double count = 0, mean = 0, cv = 0;
};

GapStats gap_stats(const std::vector<RequestArrival>& a) {
  GapStats s;
  s.count = static_cast<double>(a.size());
  if (a.size() < 3) return s;
  double sum = 0, squares = 0;
  for (size_t i = 1; i < a.size(); ++i) {
    const double g = a[i].time_s - a[i - 1].time_s;
    sum += g, squares += g * g;
  }
  const double n = static_cast<double>(a.size() - 1);
  s.mean = sum / n;
  s.cv = std::sqrt(std::max(0.0, squares / n - s.mean * s.mean)) / s.mean;
  return s;
}

TEST(DiurnalUnwarp, WithinANanosecondOfTheInverseFromAnyPreviousTime) {
  PoissonArrivalParams p;
  p.diurnal_period_s = 86400;
  for (const double amplitude : {0.2, 0.5, 0.9, 0.99, 1.0}) {
    for (const double peak : {0.0, 14 * 3600.0, 80000.0}) {
      p.diurnal_amplitude = amplitude, p.diurnal_peak_s = peak;
      // Steps in warped time from 0.1 ms to 2000 s (cycling), over three days.
      double t = 0, u = diurnal_warp(p, 0);
      int n = 0;
      for (double step = 1e-4; u<diurnal_warp(p, 3 * 86400.0); step = step * 1.2> 2000 ? 1e-4 : step * 1.2) {
        u += step;
        const double next = diurnal_unwarp(p, u, t);
        ASSERT_GE(next, t - 1e-9);
        // The exact inverse lies within 1e-9 s of `next`; where the rate multiplier is near 0 (amplitude 1 at
        // the trough), within the rounding of diurnal_warp itself.
        const double rounding = 4 * std::numeric_limits<double>::epsilon() * (std::abs(u) + 86400 / (2 * M_PI));
        ASSERT_LE(diurnal_warp(p, next - 1e-9), u + rounding) << amplitude << " " << peak << " " << u;
        ASSERT_GE(diurnal_warp(p, next + 1e-9), u - rounding) << amplitude << " " << peak << " " << u;
        t = next, ++n;
      }
      EXPECT_GT(n, 1000);
    }
  }
  p.diurnal_amplitude = 0;
  EXPECT_EQ(diurnal_unwarp(p, 123.25, 7), 123.25);
}

/// The unsampled generator's inverse as it was: plain bisection, each step evaluating the warp.
double plain_bisection(const PoissonArrivalParams& p, double u, double hint) {
  double lo = std::max(0.0, hint), hi = std::max(lo, u) + p.diurnal_period_s;
  for (int i = 0; i < 1000 && diurnal_warp(p, hi) < u; ++i) hi += p.diurnal_period_s;
  for (int i = 0; i < 60 && hi - lo > 1e-9; ++i) {
    const double mid = 0.5 * (lo + hi);
    (diurnal_warp(p, mid) < u ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

TEST(DiurnalUnwarp, BisectionIsBitForBitThePlainOne) {
  PoissonArrivalParams p;
  std::mt19937_64 rng(17);
  std::exponential_distribution<double> gap(1.0);
  long long checked = 0;
  for (const double amplitude : {0.05, 0.5, 0.9, 0.99, 1.0}) {
    for (const double period : {86400.0, 3600.0, 7 * 86400.0}) {
      p.diurnal_amplitude = amplitude, p.diurnal_period_s = period, p.diurnal_peak_s = 0.37 * period;
      // Gaps as the generator draws them (mean 1 ms to 100 s, some far below the 1e-9 s bracket), over 30 days;
      // the hint is the previous time, as in the generator, or a point past the root.
      for (const double mean_gap : {1e-3, 1e-11, 100.0}) {
        double u = diurnal_warp(p, 0), t = 0;
        for (int i = 0; i < 3000; ++i, ++checked) {
          u += (i % 500 == 0 ? 86400 : mean_gap) * gap(rng);
          const double hint = i % 7 == 3 ? t + 1e-6 : t;
          const double fast = diurnal_unwarp_bisection(p, u, hint), plain = plain_bisection(p, u, hint);
          ASSERT_EQ(fast, plain) << amplitude << " " << period << " " << u << " " << hint;
          t = fast;
        }
      }
    }
  }
  EXPECT_EQ(checked, 5 * 3 * 3 * 3000);
}

TEST(SampledArrivals, PoissonKeepsRateTimesKeepFraction) {
  PoissonArrivalParams p;
  p.rate_per_s = 1e6, p.end_s = 100, p.keep_fraction = 1e-3, p.seed = 9;  // 1e8 fleet arrivals, 1e5 kept
  const GapStats s = gap_stats(poisson_arrivals(p));
  EXPECT_NEAR(s.count, 1e5, 5 * std::sqrt(1e5));
  EXPECT_NEAR(s.mean, 1e-3, 2e-5);
  EXPECT_NEAR(s.cv, 1, 0.02);
}

TEST(SampledArrivals, GammaGapsAreSumsOfAGeometricNumberOfGaps) {
  // Thinning a Gamma renewal process with CV c keeping p gives gaps of squared CV p c^2 + (1 - p): with
  // c = 2, p = 1/4: sqrt(1.75) = 1.32 (the unsampled CV 2 if the gap were only rescaled). Means: 4/rate.
  PoissonArrivalParams p;
  p.rate_per_s = 1000, p.cv = 2, p.end_s = 2000, p.keep_fraction = 0.25, p.seed = 4;  // 5e5 kept
  const GapStats s = gap_stats(poisson_arrivals(p));
  EXPECT_NEAR(s.count, 5e5, 5 * std::sqrt(5e5) * 1.32);
  EXPECT_NEAR(s.mean, 4e-3, 4e-5);
  EXPECT_NEAR(s.cv, std::sqrt(1.75), 0.03);
}

TEST(SampledArrivals, DiurnalSwingFollowsTheCosine) {
  PoissonArrivalParams p;  // as Arrivals.DiurnalSwingFollowsTheCosine, the 2/s kept of 2000/s
  p.rate_per_s = 2000, p.keep_fraction = 1e-3, p.end_s = 86400, p.diurnal_amplitude = 0.5;
  p.diurnal_peak_s = 14 * 3600.0, p.seed = 5;
  const auto a = poisson_arrivals(p);
  ASSERT_TRUE(std::is_sorted(a.begin(), a.end(),
                             [](const RequestArrival& x, const RequestArrival& y) { return x.time_s < y.time_s; }));
  auto count = [&](double from, double to) {
    return std::count_if(a.begin(), a.end(),
                         [&](const RequestArrival& r) { return r.time_s >= from && r.time_s < to; });
  };
  EXPECT_NEAR(static_cast<double>(a.size()), 2 * 86400.0, 4 * std::sqrt(2 * 86400.0));
  EXPECT_NEAR(count(13.5 * 3600, 14.5 * 3600) / 3600.0, 3, 3 * 0.05);
  EXPECT_NEAR(count(1.5 * 3600, 2.5 * 3600) / 3600.0, 1, 1 * 0.08);
}

TEST(SampledArrivals, CostAndBoundFollowTheKeptArrivals) {
  PoissonArrivalParams p;
  p.rate_per_s = 1e12, p.end_s = 10, p.keep_fraction = 1e-9, p.max_requests = 100'000;  // 1e13 fleet, 1e4 kept
  EXPECT_NEAR(static_cast<double>(poisson_arrivals(p).size()), 1e4, 500);
  p.keep_fraction = 1e-6;  // 1e7 kept: past the bound
  EXPECT_THROW(poisson_arrivals(p), std::length_error);
  p.keep_fraction = 0;
  EXPECT_TRUE(poisson_arrivals(p).empty());
}

TEST(SampledArrivals, ReplayKeepsRowsOfTheWholeReplay) {
  std::vector<RequestArrival> trace;
  for (int i = 0; i < 50; ++i) trace.push_back({100.0 + i * i * 0.01, 10 + i, 1 + i, {}});
  const auto whole = replay_trace(trace, 2.0, 5, 20000);  // period (24.01 + 0.49) / 2 s: ~81,600 rows
  double kept = 0;
  for (uint64_t seed = 0; seed < 20; ++seed) {
    const auto some = replay_trace(trace, 2.0, 5, 20000, 0.01, seed);
    kept += static_cast<double>(some.size());
    for (const auto& r : some) {  // the same row at the same time as in the whole replay
      const auto it = std::lower_bound(whole.begin(), whole.end(), r.time_s - 1e-6,
                                       [](const RequestArrival& x, double t) { return x.time_s < t; });
      ASSERT_NE(it, whole.end());
      EXPECT_NEAR(it->time_s, r.time_s, 1e-6);
      EXPECT_EQ(it->input_tokens, r.input_tokens);
      EXPECT_EQ(it->output_tokens, r.output_tokens);
    }
  }
  const double expected = 20 * 0.01 * static_cast<double>(whole.size());
  EXPECT_NEAR(kept, expected, 5 * std::sqrt(expected));
  // A period below the clock's resolution: the time no longer advances, the bound on kept rows ends the loop.
  EXPECT_THROW(replay_trace({{0, 1, 1, {}}, {1e-300, 1, 1, {}}}, 1, 1e6, 2e6, 0.5, 0, 1000), std::length_error);
  EXPECT_TRUE(replay_trace(trace, 2.0, 5, 20000, 0, 1).empty());
}

TEST(SampledArrivals, BatchKeepsABinomialCount) {
  double sum = 0, squares = 0;
  for (uint64_t seed = 0; seed < 400; ++seed) {
    const double n = static_cast<double>(batch_arrivals(1'000'000'000'000LL, 100.0, 10.0, 2.0, 1e-9, seed).size());
    sum += n, squares += n * n;
  }
  const double mean = sum / 400, sd = std::sqrt(squares / 400 - mean * mean);
  EXPECT_NEAR(mean, 1000, 5 * std::sqrt(1000.0 / 400));
  EXPECT_NEAR(sd, std::sqrt(1000.0), 0.15 * std::sqrt(1000.0));
  EXPECT_THROW(batch_arrivals(1'000'000'000LL, 10, 10, 0, 0.5, 0, 1000), std::length_error);
  const auto b = batch_arrivals(1000LL, 100.0, 10.0, 2.0, 0.5, 3);
  ASSERT_FALSE(b.empty());
  EXPECT_EQ(b.back().time_s, 2.0);
  EXPECT_EQ(b.back().input_tokens, 100);
}

}  // namespace
}  // namespace clustersim

namespace clustersim {
namespace {

// A replayed trace with a day shape (replay_trace_diurnal): the rate follows the cosine, the mean rate and the
// requests' lengths stay the trace's, and amplitude 0 is the plain replay.
TEST(DiurnalReplay, TheClockIsWarpedAndTheTraceKept) {
  std::vector<RequestArrival> trace;  // 3 requests per second, lengths cycling
  for (int i = 0; i < 3000; ++i) trace.push_back({i / 3.0, 100 + i % 7, 10 + i % 5, {}});
  PoissonArrivalParams shape;
  shape.diurnal_amplitude = 0.5, shape.diurnal_peak_s = 14 * 3600.0;
  const auto a = replay_trace_diurnal(trace, 1.0, 0, 86400, shape);
  ASSERT_TRUE(std::is_sorted(a.begin(), a.end(),
                             [](const RequestArrival& x, const RequestArrival& y) { return x.time_s < y.time_s; }));
  auto count = [&](double from, double to) {
    return std::count_if(a.begin(), a.end(),
                         [&](const RequestArrival& r) { return r.time_s >= from && r.time_s < to; });
  };
  // Over a whole day, the trace's 3/s; at the peak 4.5/s, at the trough 1.5/s (the cosine's mean over the hour).
  EXPECT_NEAR(static_cast<double>(a.size()), 3 * 86400.0, 3);
  const double hour_mean = std::sin(M_PI / 24) / (M_PI / 24);  // mean of cos over +/- half an hour
  EXPECT_NEAR(count(13.5 * 3600, 14.5 * 3600) / 3600.0, 3 * (1 + 0.5 * hour_mean), 0.01);
  EXPECT_NEAR(count(1.5 * 3600, 2.5 * 3600) / 3600.0, 3 * (1 - 0.5 * hour_mean), 0.01);
  // The k-th request keeps the lengths of the k-th replayed row.
  const auto plain = replay_trace(trace, 1.0, 0, 86400);
  ASSERT_EQ(plain.size(), a.size());
  for (size_t k = 0; k < a.size(); k += 997) {
    EXPECT_EQ(a[k].input_tokens, plain[k].input_tokens);
    EXPECT_EQ(a[k].output_tokens, plain[k].output_tokens);
  }
  shape.diurnal_amplitude = 0;
  const auto flat = replay_trace_diurnal(trace, 1.0, 0, 86400, shape);
  ASSERT_EQ(flat.size(), plain.size());
  for (size_t k = 0; k < flat.size(); ++k) ASSERT_EQ(flat[k].time_s, plain[k].time_s);
}

}  // namespace
}  // namespace clustersim
