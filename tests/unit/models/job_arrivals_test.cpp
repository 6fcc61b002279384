// Synthetic training-job arrivals (draw_jobs: Poisson submissions, discrete GPU sizes, truncated log-normal run
// times, deterministic per seed) and the scaling of a job list (scale_jobs). Pure: no SimGrid.
#include "models/scheduling/job_arrivals.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>

using namespace clustersim;

namespace {

SyntheticJobParams base_params() {
  SyntheticJobParams p;
  p.rate_per_s = 0.5;
  p.start_s = 0;
  p.end_s = 1000;
  p.gpu_sizes = {1, 8, 64};
  p.gpu_weights = {6, 3, 1};
  p.run_median_s = 100;
  p.run_mean_s = 300;
  p.seed = 7;
  return p;
}

double median_of(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
}

std::vector<double> runs_of(const std::vector<JobArrival>& jobs) {
  std::vector<double> out;
  for (const auto& j : jobs) out.push_back(j.run_s);
  return out;
}

const double kInf = std::numeric_limits<double>::infinity();

}  // namespace

TEST(JobArrivals, SameSeedSameListOtherSeedOtherList) {
  const auto a = draw_jobs(base_params());
  const auto b = draw_jobs(base_params());
  ASSERT_GT(a.size(), 100u);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].submit_s, b[i].submit_s);
    EXPECT_EQ(a[i].gpus, b[i].gpus);
    EXPECT_EQ(a[i].run_s, b[i].run_s);
    EXPECT_EQ(a[i].source, "draw " + std::to_string(i));
    EXPECT_EQ(b[i].source, a[i].source);
  }
  SyntheticJobParams other = base_params();
  other.seed = 8;
  const auto c = draw_jobs(other);
  EXPECT_TRUE(c.size() != a.size() || c[0].submit_s != a[0].submit_s);
}

TEST(JobArrivals, CountIsRateTimesSpanWithinFourSigmaAndTimesAreSortedInTheWindow) {
  SyntheticJobParams p = base_params();
  p.start_s = 500;
  p.end_s = 500 + 20000;  // 10,000 expected, sigma 100
  const auto jobs = draw_jobs(p);
  EXPECT_NEAR(static_cast<double>(jobs.size()), 10000.0, 400.0);
  for (size_t i = 0; i < jobs.size(); ++i) {
    EXPECT_GE(jobs[i].submit_s, p.start_s);
    EXPECT_LT(jobs[i].submit_s, p.end_s);
    if (i > 0) {
      EXPECT_GE(jobs[i].submit_s, jobs[i - 1].submit_s);
    }
  }
}

TEST(JobArrivals, GpuSharesFollowTheWeightsAndZeroWeightsAreNeverDrawn) {
  SyntheticJobParams p = base_params();
  p.end_s = 20000;
  p.gpu_sizes = {1, 128, 8, 64};
  p.gpu_weights = {6, 0, 3, 1};  // sum 10, not 1
  const auto jobs = draw_jobs(p);
  std::map<int, double> share;
  for (const auto& j : jobs) share[j.gpus] += 1.0 / jobs.size();
  EXPECT_EQ(share.count(128), 0u);
  EXPECT_NEAR(share[1], 0.6, 0.02);  // 4 sigma of a share of 10,000 draws is at most 0.02
  EXPECT_NEAR(share[8], 0.3, 0.02);
  EXPECT_NEAR(share[64], 0.1, 0.012);
}

TEST(JobArrivals, LogNormalRunTimesMatchTheirMedianAndMean) {
  const auto [mu, sigma] = lognormal_from_median_mean(100, 300);
  EXPECT_DOUBLE_EQ(mu, std::log(100.0));
  EXPECT_DOUBLE_EQ(sigma, std::sqrt(2 * std::log(3.0)));
  EXPECT_EQ(lognormal_from_median_mean(50, 50).second, 0.0);

  SyntheticJobParams p = base_params();
  p.rate_per_s = 1;
  p.end_s = 50000;  // sigma 1.48: the mean's standard error is about 3.8 s, the median's about 1.3%
  const auto runs = runs_of(draw_jobs(p));
  double mean = 0;
  for (double r : runs) mean += r / runs.size();
  EXPECT_NEAR(median_of(runs), 100.0, 5.0);
  EXPECT_NEAR(mean, 300.0, 15.0);
}

TEST(JobArrivals, EqualMedianAndMeanGiveAConstantRunTime) {
  SyntheticJobParams p = base_params();
  p.run_median_s = p.run_mean_s = 3600;
  for (const auto& j : draw_jobs(p)) EXPECT_EQ(j.run_s, 3600.0);
  p.run_min_s = 7200;  // a constant outside the window is clamped
  p.run_max_s = 9000;
  for (const auto& j : draw_jobs(p)) EXPECT_EQ(j.run_s, 7200.0);
}

TEST(JobArrivals, TruncationRedrawsIntoTheWindowThenClamps) {
  SyntheticJobParams p = base_params();
  p.end_s = 4000;
  p.run_min_s = 50;
  p.run_max_s = 200;
  const auto runs = runs_of(draw_jobs(p));
  ASSERT_GT(runs.size(), 1000u);
  for (double r : runs) {
    EXPECT_GE(r, 50.0);
    EXPECT_LE(r, 200.0);
  }
  EXPECT_LT(*std::min_element(runs.begin(), runs.end()), 55.0);  // redrawn, not clamped: spread over the window
  EXPECT_GT(*std::max_element(runs.begin(), runs.end()), 190.0);
  EXPECT_EQ(std::count(runs.begin(), runs.end(), 50.0) + std::count(runs.begin(), runs.end(), 200.0), 0);

  p.run_mean_s = 101;  // sigma 0.14: a run time of 1e6 s is out of reach, every job is clamped after 1000 redraws
  p.run_min_s = 1e6;
  p.run_max_s = 2e6;
  p.end_s = 20;
  const auto clamped = draw_jobs(p);
  ASSERT_FALSE(clamped.empty());
  for (const auto& j : clamped) EXPECT_EQ(j.run_s, 1e6);
}

TEST(JobArrivals, MaxJobsCapsTheListWhichIsThePrefixOfTheUncappedOne) {
  const auto all = draw_jobs(base_params());
  SyntheticJobParams p = base_params();
  p.max_jobs = 7;
  const auto capped = draw_jobs(p);
  ASSERT_EQ(capped.size(), 7u);
  for (size_t i = 0; i < capped.size(); ++i) {
    EXPECT_EQ(capped[i].submit_s, all[i].submit_s);
    EXPECT_EQ(capped[i].run_s, all[i].run_s);
  }
  p.end_s = kInf;  // an open window needs the cap
  p.max_jobs = 5;
  EXPECT_EQ(draw_jobs(p).size(), 5u);
  p.max_jobs = 1000000;  // a cap above what the window holds does nothing
  p.end_s = 1000;
  EXPECT_EQ(draw_jobs(p).size(), all.size());
}

TEST(JobArrivals, InvalidParamsThrow) {
  auto throws = [](auto edit) {
    SyntheticJobParams p = base_params();
    edit(p);
    EXPECT_THROW(draw_jobs(p), std::invalid_argument);
  };
  throws([](SyntheticJobParams& p) { p.rate_per_s = 0; });
  throws([](SyntheticJobParams& p) { p.rate_per_s = -1; });
  throws([](SyntheticJobParams& p) { p.rate_per_s = kInf; });
  throws([](SyntheticJobParams& p) { p.start_s = std::nan(""); });
  throws([](SyntheticJobParams& p) { p.end_s = -1; });
  throws([](SyntheticJobParams& p) { p.end_s = std::nan(""); });
  throws([](SyntheticJobParams& p) { p.end_s = kInf; });  // without max_jobs
  throws([](SyntheticJobParams& p) { p.max_jobs = -1; });
  throws([](SyntheticJobParams& p) { p.max_jobs = kMaxDrawnJobs + 1; });
  throws([](SyntheticJobParams& p) { p.end_s = 1e12; });  // 5e11 jobs expected, no cap
  throws([](SyntheticJobParams& p) { p.gpu_sizes.clear(), p.gpu_weights.clear(); });
  throws([](SyntheticJobParams& p) { p.gpu_weights.pop_back(); });
  throws([](SyntheticJobParams& p) { p.gpu_sizes[1] = 0; });
  throws([](SyntheticJobParams& p) { p.gpu_weights[0] = -1; });
  throws([](SyntheticJobParams& p) { p.gpu_weights[0] = std::nan(""); });
  throws([](SyntheticJobParams& p) { p.gpu_weights = {0, 0, 0}; });
  throws([](SyntheticJobParams& p) { p.run_median_s = 0; });
  throws([](SyntheticJobParams& p) { p.run_mean_s = 50; });  // below the median
  throws([](SyntheticJobParams& p) { p.run_mean_s = kInf; });
  throws([](SyntheticJobParams& p) { p.run_min_s = -1; });
  throws([](SyntheticJobParams& p) { p.run_max_s = 10, p.run_min_s = 20; });
  EXPECT_THROW(lognormal_from_median_mean(-1, 1), std::invalid_argument);
  EXPECT_THROW(lognormal_from_median_mean(2, 1), std::invalid_argument);
  SyntheticJobParams empty = base_params();
  empty.end_s = empty.start_s;  // an empty window is valid: no jobs
  EXPECT_TRUE(draw_jobs(empty).empty());
}

namespace {

std::vector<JobArrival> three_jobs() { return {{10, 1, 100, "a"}, {20, 12, 200, "b"}, {30, 24, 300, "c"}}; }

}  // namespace

TEST(JobArrivals, ScaleTimeDividesSubmitTimes) {
  const auto jobs = scale_jobs(three_jobs(), 2, 1, 1, 1, kInf);
  ASSERT_EQ(jobs.size(), 3u);
  EXPECT_EQ(jobs[0].submit_s, 5);
  EXPECT_EQ(jobs[1].submit_s, 10);
  EXPECT_EQ(jobs[2].submit_s, 15);
  EXPECT_EQ(jobs[1].gpus, 12);
  EXPECT_EQ(jobs[1].run_s, 200);
  EXPECT_EQ(jobs[2].source, "c");
}

TEST(JobArrivals, ScaleGpusRoundsUpToTheMultiple) {
  auto gpus = [](double scale, int multiple) {
    std::vector<int> out;
    for (const auto& j : scale_jobs(three_jobs(), 1, scale, multiple, 1, kInf)) out.push_back(j.gpus);
    return out;
  };
  EXPECT_EQ(gpus(1, 8), (std::vector<int>{8, 16, 24}));      // 1 -> 8, 12 -> 16, 24 -> 24
  EXPECT_EQ(gpus(2, 8), (std::vector<int>{8, 24, 48}));      // 2 -> 8, 24, 48
  EXPECT_EQ(gpus(1.0 / 3, 8), (std::vector<int>{8, 8, 8}));  // 24 / 3 is 8, not 16 for a rounding error
  EXPECT_EQ(gpus(1.5, 1), (std::vector<int>{2, 18, 36}));    // 1.5 -> 2
  EXPECT_EQ(gpus(0.01, 1), (std::vector<int>{1, 1, 1}));     // at least one multiple
}

TEST(JobArrivals, ScaleRunMultipliesRunTimes) {
  const auto jobs = scale_jobs(three_jobs(), 1, 1, 1, 0.5, kInf);
  ASSERT_EQ(jobs.size(), 3u);
  EXPECT_EQ(jobs[0].run_s, 50);
  EXPECT_EQ(jobs[1].run_s, 100);
  EXPECT_EQ(jobs[2].run_s, 150);
  EXPECT_EQ(jobs[0].submit_s, 10);
}

TEST(JobArrivals, ScaleDropsJobsSubmittedAtOrAfterUntil) {
  auto sources = [](const std::vector<JobArrival>& jobs) {
    std::string out;
    for (const auto& j : jobs) out += j.source;
    return out;
  };
  EXPECT_EQ(sources(scale_jobs(three_jobs(), 1, 1, 1, 1, 20)), "a");  // 20 >= 20 is dropped
  EXPECT_EQ(sources(scale_jobs(three_jobs(), 1, 1, 1, 1, 20.5)), "ab");
  EXPECT_EQ(sources(scale_jobs(three_jobs(), 2, 1, 1, 1, 15)), "ab");  // scaled: 5, 10, 15
  EXPECT_EQ(sources(scale_jobs(three_jobs(), 1, 1, 1, 1, 0)), "");
  const auto all = scale_jobs(three_jobs(), 4, 2, 8, 3, 100);  // everything at once, order kept
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[2].submit_s, 7.5);
  EXPECT_EQ(all[2].gpus, 48);
  EXPECT_EQ(all[2].run_s, 900);
  EXPECT_EQ(sources(all), "abc");
}

TEST(JobArrivals, ScaleRefusesBadScales) {
  EXPECT_THROW(scale_jobs(three_jobs(), 0, 1, 1, 1, kInf), std::invalid_argument);
  EXPECT_THROW(scale_jobs(three_jobs(), 1, -1, 1, 1, kInf), std::invalid_argument);
  EXPECT_THROW(scale_jobs(three_jobs(), 1, 1, 0, 1, kInf), std::invalid_argument);
  EXPECT_THROW(scale_jobs(three_jobs(), 1, 1, 1, kInf, kInf), std::invalid_argument);
  EXPECT_THROW(scale_jobs(three_jobs(), 1, 1, 1, 1, std::nan("")), std::invalid_argument);
  EXPECT_THROW(scale_jobs(three_jobs(), 1, 1e9, 1, 1, kInf), std::invalid_argument);  // 24e9 GPUs
}
