// Serving model pieces: KV sizes and capacity, the batch scheduler (admission, chunked prefill, preemption,
// prefix caching), arrivals (Gamma CV, diurnal swing), trace reading, queueing behaviour and the exactness
// of decode stretches. No SimGrid engine.
#include <gtest/gtest.h>

#include "tests/unit/test_specs.hpp"

#include <cmath>
#include <fstream>
#include <numeric>

#include "models/inference/arrivals.hpp"
#include "models/inference/kv_cache.hpp"
#include "models/inference/replica_sim.hpp"
#include "models/inference/scheduler.hpp"
#include "sim/input/trace_reader.hpp"

using namespace clustersim;

namespace {

using test::h100;
LlmSpec llama8b() { return test::llama3_8b(); }

ServingModel model8b(Precision p = Precision::kFp8) { return ServingModel({llama8b(), h100(), {}, 1, p, 0.9, 8192}); }

std::vector<ServingRequest> requests(const std::vector<RequestArrival>& arrivals) {
  std::vector<ServingRequest> out(arrivals.size());
  for (size_t i = 0; i < arrivals.size(); ++i) out[i].arrival = arrivals[i];
  return out;
}

}  // namespace

TEST(KvCache, BytesPerTokenMhaGqaMla) {
  // MHA, GPT-3 175B: 2 (K and V) x 96 layers x 96 heads x 128 x 2 B = 4,718,592 B per token.
  EXPECT_DOUBLE_EQ((LlmSpec{"gpt3-175b", 96, 12288, 49152, 96, 96, 50257}.kv_bytes_per_token(2)), 4718592.0);
  // GQA, Llama 3 8B: 2 x 32 x 8 KV heads x 128 x 2 B = 131,072 B; FP8 halves it.
  EXPECT_DOUBLE_EQ(llama8b().kv_bytes_per_token(2), 131072.0);
  EXPECT_DOUBLE_EQ(llama8b().kv_bytes_per_token(1), 65536.0);
  // MLA, DeepSeek-V3: 61 layers x (512 latent + 64 RoPE) x 2 B = 70,272 B, whatever the 128 heads.
  EXPECT_DOUBLE_EQ(test::deepseek_v3().kv_bytes_per_token(2), 70272.0);
}

// Decode attention is a roofline of the KV read and the FLOPs on it. Llama 3 8B (GQA): 4 x 4096 FLOPs per cached
// token and layer against 2 x 8 x 128 x 1 B of FP8 KV, 8 FLOP per byte, far below the H100's ridge: the read
// sets the time. DeepSeek-V3 (MLA): 2 x 128 x 1088 FLOPs against 576 B, 484 FLOP per byte: the FLOPs set it.
TEST(ServingModel, DecodeAttentionIsARooflineOfTheKvReadAndItsFlops) {
  CalibrationSpec c;
  const double ctx = 1e6;  // cached tokens read by the iteration's decoded sequences
  auto attention_s = [&](const LlmSpec& m) {
    const ServingModel s({m, h100(), c, 1, Precision::kFp8, 0.9, 8192});
    const IterationTime with = s.iteration({0, 0, 1, ctx, 0});
    const IterationTime without = s.iteration({0, 0, 1, 0, 0});
    return with.attention_s - without.attention_s;  // the read's share; the new token's KV write cancels
  };
  const LlmSpec gqa = llama8b();
  const double read_gqa = ctx * 32 * 2 * 8 * 128 * 1.0 / (3.35e12 * c.serving_memory_efficiency);
  const double flops_gqa = ctx * 32 * 4.0 * 4096 / (989e12 * c.serving_matmul_efficiency);
  EXPECT_NEAR(attention_s(gqa), std::hypot(read_gqa, flops_gqa), 1e-12);
  EXPECT_LT(attention_s(gqa), read_gqa * 1.01);
  // DeepSeek-V3's weights do not fit one H100; the attention time per context does not depend on that.
  LlmSpec mla = test::deepseek_v3();
  mla.experts = 0;  // a dense stand-in with the same attention: one GPU holds it with a small FFN
  mla.dense_layers = 0;
  mla.layers = 8;
  mla.vocab = 1000;
  const double read_mla = ctx * 8 * 576 * 1.0 / (3.35e12 * c.serving_memory_efficiency);
  const double flops_mla = ctx * 8 * 2.0 * 128 * 1088 / (989e12 * c.serving_matmul_efficiency);
  EXPECT_NEAR(attention_s(mla), std::hypot(read_mla, flops_mla), 1e-12);
  EXPECT_GT(flops_mla, 2 * read_mla);
}

// The GPU's power over an iteration is the time-weighted mean of its phases' demands, limited on the mean: the
// dense layers and attention from their own utilizations, the tensor-parallel all-reduces at the communication
// activity, the engine's step overhead (GPUs waiting at full clock) at the busy activity. With the compute and memory
// activities at 0 every working phase asks for the busy activity alone, so the mean is known by hand from the split.
TEST(ServingModel, PowerIsTheTimeWeightedMeanOfItsPhases) {
  CalibrationSpec c;
  c.power_compute_activity = 0;
  c.power_memory_activity = 0;
  c.power_busy_activity = 0.2;
  c.activity_communication = 0.45;
  ServingParams p{llama8b(), h100(), c, 2, Precision::kBf16, 0.9, 8192};
  p.engine.step_overhead_s = 2e-3;
  p.engine.collective_latency_s = 20e-6;
  const ServingModel s(p);
  const IterationTime t = s.iteration({512, 512 * 256, 64, 64 * 1000.0, 1}, true);
  ASSERT_GT(t.communication_s, 0);
  const double working_s = t.dense_s + t.attention_s + t.overhead_s;
  EXPECT_NEAR(s.activity(t), (0.2 * working_s + 0.45 * t.communication_s) / t.total_s(), 1e-12);
  // The memory activity adds in proportion to the bytes each phase streams, whatever the phase's length.
  c.power_memory_activity = 0.5;
  p.calibration = c;
  const ServingModel with_memory(p);
  const IterationTime decode = with_memory.iteration({0, 0, 64, 64 * 1000.0, 0}, true);
  const double weight_bytes = with_memory.weight_bytes_per_gpu() - llama8b().vocab * 4096.0 * 2 / 2;  // no embedding
  const double kv_bytes = 64 * 1001.0 * with_memory.kv_bytes_per_token() / 2;
  EXPECT_NEAR(with_memory.activity(decode),
              (0.2 * (decode.total_s() - decode.communication_s) + 0.45 * decode.communication_s +
               0.5 * (weight_bytes + kv_bytes) / 3.35e12) /
                  decode.total_s(),
              1e-9);
}

// Attention split by heads over tp GPUs splits a GQA cache with its KV heads, but MLA's latent is shared by all
// heads: each of the tp GPUs holds and reads all of it. Attention data parallelism splits the sequences instead:
// the cache is split again and every GPU holds all attention weights. By hand for DeepSeek-V3 on 8 x B200-like
// GPUs (180 GB each), FP8: one copy of the cache is 61 x 576 B per token.
TEST(ServingModel, LatentCacheIsReplicatedUnderHeadSplitAndSplitUnderAttentionDp) {
  AcceleratorSpec g = h100();
  g.hbm_bytes = 180e9;
  g.hbm_bandwidth_Bps = 7.7e12;
  g.peak_fp8_flops = 4500e12;
  const LlmSpec m = test::deepseek_v3();
  ServingParams p{m, g, {}, 8, Precision::kFp8, 0.9, 4096};
  const ServingModel heads(p);
  p.attention_dp = true;
  const ServingModel dp(p);
  EXPECT_DOUBLE_EQ(heads.kv_bytes_per_token(), 61.0 * 576);
  EXPECT_DOUBLE_EQ(heads.kv_copies(), 8);
  EXPECT_DOUBLE_EQ(dp.kv_copies(), 1);
  // Attention data parallelism: each GPU also holds the 7/8 of the attention weights the head split spared it
  // (FP8: one byte per parameter).
  const double extra_w = 61 * m.attention_params_per_layer() * 7.0 / 8;
  EXPECT_NEAR(dp.weight_bytes_per_gpu() - heads.weight_bytes_per_gpu(), extra_w, 1e-6 * extra_w);
  // Capacity: (HBM - weights - activations) x 0.9 over the 8 GPUs, per copy-weighted token.
  auto free_bytes = [&](const ServingModel& s) {
    return s.kv_capacity_tokens() * s.kv_bytes_per_token() * s.kv_copies();
  };
  EXPECT_NEAR(free_bytes(dp), free_bytes(heads) - 8 * 0.9 * extra_w, 1e-6 * free_bytes(heads));
  // The decode read per GPU: the whole latent of every context token with heads split, 1/8 with attention DP.
  const IterationWork w{0, 0, 64, 64 * 4000.0, 0};
  const IterationWork none{0, 0, 64, 0, 0};
  const double read_dp = dp.iteration(w).attention_s - dp.iteration(none).attention_s;
  const double read_heads = heads.iteration(w).attention_s - heads.iteration(none).attention_s;
  const CalibrationSpec c;
  const double flops_s =
      64 * 4000.0 * 61 * m.decode_attention_flops_per_context() / 8 / (989e12 * c.serving_matmul_efficiency);
  const double bytes_s = 64 * 4000.0 * 61 * 576 / (7.7e12 * c.serving_memory_efficiency);
  EXPECT_NEAR(read_heads, std::hypot(flops_s, bytes_s), 1e-12);
  EXPECT_NEAR(read_dp, std::hypot(flops_s, bytes_s / 8), 1e-12);
  // GQA with fewer KV heads than GPUs: Llama 3 8B's 8 KV heads over 16 GPUs are held twice.
  ServingParams q{llama8b(), h100(), {}, 16, Precision::kFp8, 0.9, 8192};
  EXPECT_DOUBLE_EQ(ServingModel(q).kv_copies(), 2);
  q.tp = 8;
  EXPECT_DOUBLE_EQ(ServingModel(q).kv_copies(), 1);
}

TEST(KvCache, CapacityIsMemoryLeftAfterWeightsAndActivations) {
  KvCapacityParams p;
  p.hbm_bytes_per_gpu = 80e9, p.gpus = 2, p.weight_bytes_per_gpu = 35e9, p.activation_bytes_per_gpu = 1e9;
  p.cache_fraction = 0.9, p.kv_bytes_per_token = 163840;
  // (80 - 35 - 1) GB x 0.9 x 2 GPUs / 163,840 B = 483,398 tokens.
  EXPECT_NEAR(kv_capacity_tokens(p), 44e9 * 0.9 * 2 / 163840, 1e-6);
  p.weight_bytes_per_gpu = 80e9;  // weights alone fill the HBM: no cache
  EXPECT_EQ(kv_capacity_tokens(p), 0);
}

TEST(Scheduler, ReserveAdmissionWaitsForKvRoom) {
  SchedulerParams p;
  p.kv_capacity_tokens = 1000;  // each request reserves 300 + 100 = 400 tokens: two fit, not three
  ReplicaScheduler s(p);
  auto reqs = requests(batch_arrivals(3, 300, 100, 0));
  for (auto& r : reqs) s.enqueue(&r);
  IterationPlan plan = s.plan();
  EXPECT_EQ(s.running(), 2u);
  EXPECT_EQ(s.waiting(), 1u);
  EXPECT_DOUBLE_EQ(s.kv_used_tokens(), 800);
  EXPECT_EQ(plan.work.prefill_tokens, 600);  // both prompts in one 8192-token iteration
  // Finishing the first request frees room for the third.
  for (int i = 0; i < 101 && reqs[0].done_s < 0; ++i) s.complete(plan, 1, i + 1.0), plan = s.plan();
  EXPECT_GE(reqs[0].done_s, 0);
  EXPECT_EQ(s.waiting(), 0u);
}

TEST(Scheduler, ChunkedPrefillRespectsTokenBudget) {
  SchedulerParams p;
  p.max_batch_tokens = 100;
  ReplicaScheduler s(p);
  auto reqs = requests(batch_arrivals(2, 10, 50, 0));
  for (auto& r : reqs) s.enqueue(&r);
  IterationPlan plan = s.plan();
  s.complete(plan, 1, 1.0);  // both 10-token prompts done: both decode from now on
  auto big = requests(batch_arrivals(1, 500, 5, 1.0));
  s.enqueue(&big[0]);
  plan = s.plan();
  // 2 decode tokens + a 98-token chunk of the 500-token prompt = the budget of 100.
  EXPECT_EQ(plan.work.decode_tokens, 2);
  ASSERT_EQ(plan.chunks.size(), 1u);
  EXPECT_EQ(plan.chunks[0].second, 98);
  // Its attention context: tokens 1..98 attend to 1..98 keys, mean 49.5 -> 98 x 49.5.
  EXPECT_DOUBLE_EQ(plan.work.prefill_attention_ctx, 98 * 49.5);
  EXPECT_EQ(plan.repeat, 1);  // a prefill is running: no stretch
}

TEST(Scheduler, PagedKvPreemptsNewestAndRecomputes) {
  SchedulerParams p;
  p.policy = KvPolicy::kPaged;
  p.kv_capacity_tokens = 205;  // two 100-token prompts fit; decoding grows each by 1 per iteration
  ReplicaScheduler s(p);
  auto reqs = requests(batch_arrivals(2, 100, 50, 0));
  for (auto& r : reqs) s.enqueue(&r);
  IterationPlan plan = s.plan();
  s.complete(plan, 1, 1.0);  // prefill done: 1 token each, 202 KV tokens used
  EXPECT_DOUBLE_EQ(s.kv_used_tokens(), 200);
  int iters = 0;
  while (s.preemptions() == 0 && iters < 10) {
    plan = s.plan();
    s.complete(plan, 1, 2.0 + iters++);
  }
  // 200 + 2 per iteration: the third plan needs 206 > 205, so the newest (request 1) is evicted.
  EXPECT_EQ(s.preemptions(), 1);
  EXPECT_EQ(reqs[1].preemptions, 1);
  EXPECT_EQ(reqs[1].prefill_target, 100 + reqs[1].generated);  // prompt + generated tokens recomputed
  EXPECT_EQ(reqs[1].prefilled, 0);
  EXPECT_EQ(reqs[0].preemptions, 0);
}

TEST(Scheduler, PrefixCacheSkipsSharedBlocks) {
  SchedulerParams p;
  p.prefix_caching = true;
  ReplicaScheduler s(p);
  auto reqs = requests(batch_arrivals(2, 2000, 10, 0));
  reqs[0].arrival.prefix_blocks = {1, 2, 3, 4};
  reqs[1].arrival.prefix_blocks = {1, 2, 9, 10};  // shares the first 2 blocks = 1,024 tokens
  s.enqueue(&reqs[0]);
  s.complete(s.plan(), 1, 1.0);
  s.enqueue(&reqs[1]);
  const IterationPlan plan = s.plan();
  EXPECT_EQ(reqs[1].cached_tokens, 1024);
  EXPECT_EQ(plan.work.prefill_tokens, 2000 - 1024);  // only the uncached 976 tokens (beside 1 decode)
  EXPECT_EQ(plan.work.decode_tokens, 1);
  EXPECT_DOUBLE_EQ(s.cached_prompt_tokens(), 1024);
}

TEST(PrefixCache, LeastRecentlyUsedEviction) {
  PrefixCache c(512);
  c.insert({1, 2, 3}, 10);
  EXPECT_EQ(c.match({1, 2, 7}), 2);
  c.insert({4, 5}, 3);  // 5 blocks > 3: evict 3 then... the least recently used: 3 (1, 2 were touched)
  EXPECT_EQ(c.size(), 3);
  EXPECT_EQ(c.peek({3}), 0);
  EXPECT_EQ(c.peek({4, 5}), 2);
}

TEST(Arrivals, GammaHasRequestedCv) {
  PoissonArrivalParams p;
  p.rate_per_s = 100, p.cv = 2, p.end_s = 2000, p.seed = 3;
  const auto a = poisson_arrivals(p);
  std::vector<double> gaps;
  for (size_t i = 1; i < a.size(); ++i) gaps.push_back(a[i].time_s - a[i - 1].time_s);
  const double mean = std::accumulate(gaps.begin(), gaps.end(), 0.0) / gaps.size();
  double var = 0;
  for (double g : gaps) var += (g - mean) * (g - mean) / gaps.size();
  // Gamma with shape 1/cv^2 = 0.25 and mean 1/rate = 10 ms: CV 2. 200k gaps: the estimate is within ~2 %.
  EXPECT_NEAR(mean, 0.01, 0.0005);
  EXPECT_NEAR(std::sqrt(var) / mean, 2.0, 0.1);
}

TEST(Arrivals, DiurnalSwingFollowsTheCosine) {
  PoissonArrivalParams p;
  p.rate_per_s = 2, p.end_s = 86400, p.diurnal_amplitude = 0.5, p.diurnal_peak_s = 14 * 3600.0, p.seed = 5;
  const auto a = poisson_arrivals(p);
  auto count = [&](double from, double to) {
    return std::count_if(a.begin(), a.end(),
                         [&](const RequestArrival& r) { return r.time_s >= from && r.time_s < to; });
  };
  // Mean count over the day 2 x 86400 (the cosine integrates to 0 over a period); the rate at the peak hour
  // is ~2 x 1.5 = 3/s (10,800 +- 104 arrivals), at the trough (2 h) ~2 x 0.5 = 1/s (3,600 +- 60).
  EXPECT_NEAR(static_cast<double>(a.size()), 2 * 86400.0, 4 * std::sqrt(2 * 86400.0));
  const double peak = count(13.5 * 3600, 14.5 * 3600), trough = count(1.5 * 3600, 2.5 * 3600);
  EXPECT_NEAR(peak / 3600, 3, 3 * 0.05);
  EXPECT_NEAR(trough / 3600, 1, 1 * 0.08);
}

TEST(Arrivals, BatchAndThinning) {
  const auto b = batch_arrivals(1000, 128, 64, 5.0);
  ASSERT_EQ(b.size(), 1000u);
  EXPECT_EQ(b[999].time_s, 5.0);
  EXPECT_EQ(b[0].input_tokens, 128);
  // Keeping 1/4: 250 expected, binomial sd 13.7.
  EXPECT_NEAR(static_cast<double>(thin_arrivals(b, 0.25, 1).size()), 250, 55);
}

// A batch with a length distribution: the same count and time, lengths drawn around the means (exponential: the
// sample mean of 20,000 draws within 3 %, its sd is 0.7 %), the same draws for the same seed; with fixed lengths it
// is the fixed batch.
TEST(Arrivals, BatchWithALengthDistribution) {
  PoissonArrivalParams p;
  p.mean_input_tokens = 300;
  p.mean_output_tokens = 290;
  p.start_s = 2.0;
  p.seed = 7;
  const auto b = batch_arrivals(20000, p);
  ASSERT_EQ(b.size(), 20000u);
  double in = 0, out = 0;
  for (const auto& r : b) {
    EXPECT_EQ(r.time_s, 2.0);
    in += r.input_tokens;
    out += r.output_tokens;
  }
  EXPECT_NEAR(in / 20000, 300, 9);
  EXPECT_NEAR(out / 20000, 290, 9);
  EXPECT_NE(b[0].output_tokens, b[1].output_tokens);
  const auto again = batch_arrivals(20000, p);
  for (size_t i = 0; i < b.size(); ++i) ASSERT_EQ(b[i].output_tokens, again[i].output_tokens);
  p.exponential_lengths = false;
  const auto fixed = batch_arrivals(20000, p);
  ASSERT_EQ(fixed.size(), 20000u);
  EXPECT_EQ(fixed[123].input_tokens, 300);
  EXPECT_EQ(fixed[123].output_tokens, 290);
}

TEST(TraceReader, MooncakeJsonLines) {
  const std::string path = testing::TempDir() + "/mooncake.jsonl";
  std::ofstream(path) << "{\"timestamp\": 1000, \"input_length\": 700, \"output_length\": 5, \"hash_ids\": [0, 1]}\n"
                      << "{\"timestamp\": 3500, \"input_length\": 12, \"output_length\": 0, \"hash_ids\": [7]}\n";
  const auto t = read_trace(path);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_DOUBLE_EQ(t[1].time_s, 2.5);  // ms relative to the first request
  EXPECT_EQ(t[0].input_tokens, 700);
  EXPECT_EQ(t[1].output_tokens, 1);  // at least one token
  EXPECT_EQ(t[0].prefix_blocks, (std::vector<uint32_t>{0, 1}));
}

TEST(ServingModel, RepeatedTimeIsTheSumOfIterations) {
  const ServingModel m = model8b();
  IterationWork w{0, 0, 64, 64 * 1000.0, 0};
  double sum = 0;
  IterationWork step = w;
  for (int i = 0; i < 50; ++i, step.decode_context_tokens += 64) sum += m.iteration_time_s(step);
  EXPECT_NEAR(m.repeated_time_s(w, 50), sum, sum * 1e-12);
  // The 20th iteration of the stretch is in progress just after 19 iterations.
  EXPECT_EQ(m.iterations_covering(w, 50, m.repeated_time_s(w, 19) + 1e-9), 20);
}

TEST(Queueing, LightLoadAddsNoQueueingSaturationGrowsTheQueue) {
  const ServingModel m = model8b();
  SchedulerParams sp;
  sp.max_batch = 64;
  sp.kv_capacity_tokens = m.kv_capacity_tokens();
  // Capacity: a lone 1000/200 request takes one 1000-token prefill + 199 decodes; batched, the replica
  // serves about max_batch / (200 x decode iteration) requests per second. Measure it with a batch.
  auto bench = requests(batch_arrivals(2000, 1000, 200, 0));
  const double capacity = 2000 / run_replica(m, sp, bench).end_s;
  auto lone = requests(batch_arrivals(1, 1000, 200, 0));
  run_replica(m, sp, lone);
  const double isolated_ttft = lone[0].first_token_s;

  PoissonArrivalParams p;
  p.mean_input_tokens = 1000, p.mean_output_tokens = 200, p.exponential_lengths = false, p.end_s = 600;
  p.rate_per_s = 0.05 * capacity;  // 5 % load: an arrival almost always finds an idle or lightly used replica
  auto light = requests(poisson_arrivals(p));
  run_replica(m, sp, light);
  std::vector<double> ttft;
  for (const auto& r : light) ttft.push_back(r.first_token_s - r.arrival.time_s);
  std::sort(ttft.begin(), ttft.end());
  EXPECT_LT(ttft[ttft.size() / 2], 2.0 * isolated_ttft);  // median: the prefill plus at most one iteration

  p.rate_per_s = 1.5 * capacity;  // 150 % load: the queue grows without bound, so does the wait
  auto heavy = requests(poisson_arrivals(p));
  run_replica(m, sp, heavy);
  const size_t n = heavy.size();
  auto wait = [&](size_t i) { return heavy[i].first_token_s - heavy[i].arrival.time_s; };
  double early = 0, late = 0;
  for (size_t i = 0; i < n / 10; ++i) early += wait(i) / (n / 10);
  for (size_t i = n - n / 10; i < n; ++i) late += wait(i) / (n / 10);
  // Arrivals exceed service by 0.5 x capacity: after 600 s the backlog is ~300 s of work.
  EXPECT_GT(late, early + 100);
}

TEST(Queueing, DecodeStretchesMatchIterationByIteration) {
  const ServingModel m = model8b();
  SchedulerParams sp;
  sp.max_batch = 32;
  sp.kv_capacity_tokens = m.kv_capacity_tokens();
  PoissonArrivalParams p;
  p.rate_per_s = 5, p.mean_input_tokens = 500, p.mean_output_tokens = 300, p.end_s = 120, p.seed = 9;
  auto a = requests(poisson_arrivals(p)), b = a;
  const auto fast = run_replica(m, sp, a, true);
  const auto slow = run_replica(m, sp, b, false);
  EXPECT_EQ(fast.iterations, slow.iterations);
  EXPECT_LT(fast.steps * 3, slow.steps);  // far fewer simulated steps
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_NEAR(a[i].first_token_s, b[i].first_token_s, 1e-6);
    EXPECT_NEAR(a[i].done_s, b[i].done_s, 1e-6);
  }
}
