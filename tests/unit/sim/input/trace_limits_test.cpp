// Traces read strictly (sorted, finite, token counts in range, not empty, a positive span), arrival
// generators that always end, saturating conversions in the scheduler, a serving model that refuses inputs
// giving non-finite times, and the run budget's estimate (issues 8 and 17). No SimGrid engine.
#include <gtest/gtest.h>

#include <fstream>
#include <limits>
#include <stdexcept>

#include "common/diagnostics.hpp"
#include "models/inference/arrivals.hpp"
#include "models/inference/scheduler.hpp"
#include "models/inference/serving_model.hpp"
#include "sim/input/trace_reader.hpp"
#include "sim/setup/run_budget.hpp"
#include "tests/unit/test_specs.hpp"

using namespace clustersim;

namespace {

std::string write_trace(const std::string& name, const std::string& text) {
  const std::string path = testing::TempDir() + "/" + name;
  std::ofstream(path) << text;
  return path;
}

const char* const kHeader = "TIMESTAMP,ContextTokens,GeneratedTokens\n";

/// The diagnostics read_trace throws for `text` (empty when it reads).
std::vector<Diagnostic> trace_errors(const std::string& name, const std::string& text) {
  try {
    read_trace(write_trace(name, text));
  } catch (const ConfigError& e) {
    return e.diagnostics().items();
  }
  return {};
}

std::vector<RequestArrival> arrivals_at(std::vector<double> times) {
  std::vector<RequestArrival> out;
  for (double t : times) out.push_back({t, 100, 10, {}});
  return out;
}

ServingParams params_8b() { return {test::llama3_8b(), test::h100(), {}, 1, Precision::kFp8, 0.9, 8192}; }

}  // namespace

TEST(TraceLimits, TokenCountsThatOverflowAreErrorsAtTheirLine) {
  const auto d = trace_errors("overflow.csv", std::string(kHeader) + "2023-11-16 18:15:46.0,1e300,44\n" +
                                                  "2023-11-16 18:15:47.0,10,100000000000000000\n" +
                                                  "2023-11-16 18:15:48.0,-5,4\n2023-11-16 18:15:49.0,7.5,4\n");
  ASSERT_EQ(d.size(), 4u);  // before: 1e300 read as 1, 1e17 as an overflowed int, -5 as 1, 7.5 as 7
  for (size_t i = 0; i < d.size(); ++i) {
    EXPECT_EQ(d[i].location.line, static_cast<int>(i) + 2);
    EXPECT_NE(d[i].message.find("not a whole number of tokens"), std::string::npos) << d[i].message;
  }
}

TEST(TraceLimits, NonFiniteAndNegativeTimestampsAreErrors) {
  const auto d = trace_errors("nan.jsonl",
                              "{\"timestamp\": nan, \"input_length\": 1, \"output_length\": 1}\n"
                              "{\"timestamp\": -4, \"input_length\": 1, \"output_length\": 1}\n"
                              "{\"timestamp\": inf, \"input_length\": 1, \"output_length\": 1}\n"
                              "{\"timestamp\": 5, \"input_length\": 1, \"output_length\": 1e300}\n");
  ASSERT_EQ(d.size(), 4u);
  EXPECT_EQ(d[0].location.line, 1);
  EXPECT_NE(d[0].message.find("timestamp nan"), std::string::npos) << d[0].message;
  EXPECT_EQ(d[3].location.line, 4);
}

TEST(TraceLimits, UnsortedRowsAreErrorsAtTheirLine) {
  const auto d = trace_errors("unsorted.csv", std::string(kHeader) + "2023-11-16 18:15:46.0,1,1\n" +
                                                  "2023-11-16 18:15:45.0,1,1\n2023-11-16 18:15:47.0,1,1\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].location.line, 3);
  EXPECT_NE(d[0].message.find("out of order"), std::string::npos);
}

TEST(TraceLimits, EmptyHeaderOnlyAndZeroSpanTracesAreErrors) {
  EXPECT_EQ(trace_errors("empty.csv", "").size(), 1u);
  const auto header = trace_errors("header.csv", kHeader);
  ASSERT_EQ(header.size(), 1u);
  EXPECT_NE(header[0].message.find("no requests"), std::string::npos);
  const auto equal =
      trace_errors("equal.csv", std::string(kHeader) + "2023-11-16 18:15:46.0,1,1\n" + "2023-11-16 18:15:46.0,2,2\n");
  ASSERT_EQ(equal.size(), 1u);
  EXPECT_NE(equal[0].message.find("span 0 s"), std::string::npos) << equal[0].message;
  // One request alone is fine (it replays once per mean gap of 1 s).
  EXPECT_TRUE(trace_errors("one.csv", std::string(kHeader) + "2023-11-16 18:15:46.0,1,1\n").empty());
}

TEST(TraceLimits, ManyBadRowsShowTheFirstFewThenACount) {
  std::string text = kHeader;
  for (int i = 10; i < 40; ++i) text += "2023-11-16 18:15:" + std::to_string(i) + ".0,x,1\n";
  const auto d = trace_errors("many.csv", text);
  ASSERT_EQ(d.size(), static_cast<size_t>(kShownBadRows) + 1);
  EXPECT_NE(d.back().message.find("and 25 more bad rows (30 in all)"), std::string::npos) << d.back().message;
}

TEST(TraceLimits, ReplayOfAZeroPeriodTraceThrowsInsteadOfLooping) {
  // Before: period 0, the replay loop never ended and grew memory without bound.
  EXPECT_THROW(replay_trace(arrivals_at({0, 0, 0}), 1, 0, 10), std::invalid_argument);
  EXPECT_THROW(replay_trace(arrivals_at({0, -1}), 1, 0, 10), std::invalid_argument);
  EXPECT_THROW(replay_trace(arrivals_at({0, 1}), 0, 0, 10), std::invalid_argument);
  EXPECT_EQ(replay_trace(arrivals_at({0, 1}), 1, 0, 10).size(), 10u);  // period 2 s, 2 requests each
}

TEST(TraceLimits, GeneratorsStopAtTheirBound) {
  // A period below the clock's resolution at t = 1e6 s: the loop no longer advances; the bound ends it.
  EXPECT_THROW(replay_trace(arrivals_at({0, 1e-300}), 1, 1e6, 2e6, 1, 0, 1000), std::length_error);
  PoissonArrivalParams p;
  p.rate_per_s = 1e6, p.end_s = 10, p.max_requests = 1000;
  EXPECT_THROW(poisson_arrivals(p), std::length_error);
  p.keep_fraction = 1e-6;  // about 10 kept of 1e7: drawn directly, the bound is on what is kept
  EXPECT_LT(poisson_arrivals(p).size(), 100u);
  p.rate_per_s = 1e9;  // 1e4 kept: past the bound
  EXPECT_THROW(poisson_arrivals(p), std::length_error);
  EXPECT_THROW(batch_arrivals(1'000'000'000LL, 10, 10, 0, 1, 0, 1000), std::length_error);
}

TEST(TraceLimits, ThinnedBatchHasTheSizeOfThinningTheWholeBatch) {
  // Binomial(5000, 0.3): mean 1500, sd 32.4; the means of 200 seeds within 5 sd of their difference (3.2).
  double whole = 0, direct = 0;
  for (uint64_t seed = 0; seed < 200; ++seed) {
    whole += static_cast<double>(thin_arrivals(batch_arrivals(5000, 100, 20, 3.0), 0.3, seed).size()) / 200;
    direct += static_cast<double>(batch_arrivals(5000, 100.0, 20.0, 3.0, 0.3, seed).size()) / 200;
  }
  EXPECT_NEAR(direct, 1500, 12);
  EXPECT_NEAR(direct, whole, 16);
}

TEST(TraceLimits, TokenCountsSaturate) {
  EXPECT_EQ(token_count(1e300), static_cast<int>(kMaxRequestTokens));  // before: static_cast<int>(1e300), UB
  EXPECT_EQ(token_count(std::numeric_limits<double>::quiet_NaN()), 1);
  EXPECT_EQ(token_count(-3), 1);
  EXPECT_EQ(token_count(99.6), 100);
  PoissonArrivalParams p;
  p.rate_per_s = 10, p.end_s = 10, p.mean_input_tokens = 1e300, p.exponential_lengths = false;
  const auto a = poisson_arrivals(p);
  ASSERT_FALSE(a.empty());
  EXPECT_EQ(a[0].input_tokens, static_cast<int>(kMaxRequestTokens));  // before: 1e300 became 1 token (UB)
}

TEST(TraceLimits, PagedStretchWithAHugeCacheIsNotCutToOneIteration) {
  // room / decodes beyond INT_MAX: before, static_cast<int> of it (UB; INT_MIN on x86) made every stretch 1
  // long.
  SchedulerParams sp;
  sp.policy = KvPolicy::kPaged;
  sp.kv_capacity_tokens = 1e30;
  ReplicaScheduler sched(sp);
  ServingRequest r;
  r.arrival = {0, 100, 50, {}};
  sched.enqueue(&r);
  const IterationPlan first = sched.plan();
  sched.complete(first, 1, 1.0);  // prefill done, one token generated
  const IterationPlan next = sched.plan();
  EXPECT_EQ(next.repeat, 49);
}

TEST(TraceLimits, ServingModelNamesTheInputThatMakesTimesInfinite) {
  ServingParams p = params_8b();
  p.gpu.hbm_bandwidth_Bps = 0;  // before: accepted; the iteration time was inf and SimGrid aborted
  try {
    ServingModel m(p);
    FAIL() << "no error for hbm_bandwidth 0";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("hbm_bandwidth"), std::string::npos) << e.what();
  }
  p = params_8b();
  p.gpu.peak_fp8_flops = 1e-300;  // finite but the time overflows to inf
  EXPECT_THROW(ServingModel{p}, std::invalid_argument);
  EXPECT_NO_THROW(ServingModel{params_8b()});
}

TEST(TraceLimits, BudgetEstimateGrowsWithTheKeysThatSizeARun) {
  ExperimentSpec spec;
  spec.duration_s = 3600;
  spec.cluster.servers = 1000;
  spec.output.sample_interval_s = 1;
  InferenceServiceSpec s;
  s.name = "chat";
  s.replicas = 100;
  s.detailed_replicas = 10;
  s.arrivals.rate_per_s = 1000;
  spec.inference.push_back(s);
  auto total = [](const std::vector<BudgetItem>& items, bool memory) {
    double t = 0;
    for (const auto& i : items) t += memory ? i.bytes : i.seconds;
    return t;
  };
  const double base = total(estimate_run(spec, {0}), true);
  EXPECT_LT(base, kDefaultMaxMemoryBytes);
  spec.inference[0].arrivals.rate_per_s = 1e9;  // 3.6e12 requests, 1/10 of them detailed
  const auto items = estimate_run(spec, {0});
  EXPECT_GT(total(items, true), 1e13);
  spec.inference[0].arrivals.rate_per_s = 1000;
  spec.output.sample_interval_s = 1e-9;
  EXPECT_GT(total(estimate_run(spec, {0}), true), 1e15);
  spec.output.sample_interval_s = 1;
  spec.cluster.servers = 1'000'000;
  EXPECT_GT(total(estimate_run(spec, {0}), false), kDefaultMaxWorkSeconds);
}

TEST(TraceLimits, BudgetLimitsParseAndApply) {
  double v = 0;
  std::string error;
  EXPECT_TRUE(parse_memory_size("16GB", v, error));
  EXPECT_DOUBLE_EQ(v, 16e9);
  EXPECT_FALSE(parse_memory_size("16", v, error));
  EXPECT_FALSE(parse_memory_size("0GB", v, error));
  EXPECT_TRUE(apply_budget_flags("32GB", "12h", error)) << error;
  EXPECT_DOUBLE_EQ(max_memory_bytes(), 32e9);
  EXPECT_DOUBLE_EQ(max_work_seconds(), 12 * 3600.0);
  EXPECT_FALSE(apply_budget_flags("lots", "", error));
  EXPECT_NE(error.find("--max-memory lots"), std::string::npos);
}
