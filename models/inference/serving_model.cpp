#include "models/inference/serving_model.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include "models/compute/roofline.hpp"
#include "models/inference/kv_cache.hpp"

namespace clustersim {

namespace {

double bytes_per_param(Precision p) { return precision_bytes_x2(p) / 2.0; }

/// The share of peak FLOP/s that serving GEMMs reach in `precision` (serving_model.hpp).
double serving_gemm_efficiency(const CalibrationSpec& c, Precision precision) {
  return precision == Precision::kBf16 ? c.matmul_efficiency : c.serving_matmul_efficiency;
}

/// Body (non-embedding) parameters whose weights an iteration of `tokens` tokens reads: all of a dense
/// model; for MoE the attention, the shared experts and the expected number of distinct routed experts
/// selected by `tokens` tokens, E x (1 - (1 - k/E)^tokens) per layer.
double body_params_read(const LlmSpec& m, double tokens) {
  const double body = m.params() - 2.0 * m.vocab * m.hidden;
  if (m.experts == 0) return body;
  const double routed_total = m.routed_expert_params();
  const double frac = 1.0 - std::pow(1.0 - static_cast<double>(m.active_experts) / m.experts, std::max(tokens, 1.0));
  return body - routed_total + routed_total * frac;
}

/// A rate that divides a duration: it must be finite and > 0.
bool usable_rate(double v) { return v > 0 && std::isfinite(v); }

/// Throws std::invalid_argument naming the inputs of `p` that make an iteration time infinite, NaN or negative.
void check_inputs(const ServingParams& p, const ServingModel& model) {
  const AcceleratorSpec& g = p.gpu;
  const CalibrationSpec& c = p.calibration;
  std::ostringstream bad;
  auto rate = [&](const char* name, double value, const char* unit) {
    if (!usable_rate(value)) bad << " " << name << " = " << value << " " << unit << ";";
  };
  rate("accelerator hbm_bandwidth x calibration serving_memory_efficiency",
       g.hbm_bandwidth_Bps * c.serving_memory_efficiency, "B/s");
  rate("accelerator peak FLOP/s in the serving precision x its GEMM efficiency",
       g.peak_flops(p.precision) * serving_gemm_efficiency(c, p.precision), "FLOP/s");
  rate("accelerator peak_bf16 x calibration serving_matmul_efficiency", g.peak_bf16_flops * c.serving_matmul_efficiency,
       "FLOP/s");
  if (p.tp > 1 || p.pp > 1 || p.ep > 1) rate("accelerator scaleup_bandwidth", g.scaleup_bandwidth_Bps, "B/s");
  for (const auto& [name, value] :
       {std::pair<const char*, double>{"engine collective_latency", p.engine.collective_latency_s},
        {"engine step_overhead", p.engine.step_overhead_s}})
    if (!(value >= 0 && std::isfinite(value))) bad << " " << name << " = " << value << " s;";
  if (bad.str().empty()) {
    // The largest prefill iteration the token budget allows, and one decode token: both must be finite.
    IterationWork w;
    w.prefill_tokens = p.max_batch_tokens;
    w.prefill_attention_ctx = 0.5 * w.prefill_tokens * w.prefill_tokens;
    w.prefill_completions = 1;
    IterationWork d;
    d.decode_tokens = 1;
    d.decode_context_tokens = p.max_batch_tokens;
    for (const IterationWork& work : {w, d}) {
      const double t = model.iteration_time_s(work);
      if (!(t >= 0 && std::isfinite(t)))
        bad << " an iteration of " << work.prefill_tokens + work.decode_tokens << " tokens takes " << t
            << " s (accelerator peak FLOP/s " << g.peak_flops(p.precision) << ", hbm_bandwidth " << g.hbm_bandwidth_Bps
            << " B/s; model " << p.model.name << ");";
    }
  }
  if (!bad.str().empty())
    throw std::invalid_argument("internal error: the serving model of " + p.model.name + " on " + g.name +
                                " cannot time an iteration (validation should have refused these inputs):" + bad.str());
}

}  // namespace

ServingModel::ServingModel(const ServingParams& p)
    : params_(p), power_(gpu_power_params(p.gpu, p.calibration, p.power_cap_w)) {
  capped_ = power_.cap_activity() < 1;
  const LlmSpec& m = p.model;
  body_active_ = m.active_params() - 2.0 * m.vocab * m.hidden;
  head_ = static_cast<double>(m.vocab) * m.hidden;
  dense_body_read_ = m.params() - 2.0 * m.vocab * m.hidden;  // body_params_read of a model without experts
  param_bytes_ = bytes_per_param(p.precision);
  matmul_flops_ = p.gpu.peak_flops(p.precision) * serving_gemm_efficiency(p.calibration, p.precision);
  attention_flops_ = p.gpu.peak_bf16_flops * p.calibration.serving_matmul_efficiency;
  memory_Bps_ = p.gpu.hbm_bandwidth_Bps * p.calibration.serving_memory_efficiency;
  // Weights held: the body and the output layer; the input embedding (a lookup) too; with attention_dp every
  // GPU of a stage holds all of its attention weights.
  if (p.attention_dp && p.tp > 1) attention_replicated_ = m.layers * m.attention_params_per_layer() * (p.tp - 1.0);
  weight_bytes_per_gpu_ = (m.params() + attention_replicated_) * bytes_per_param(p.precision) / p.gpus();
  // KV cache in the serving precision's activation type: FP8 KV with FP8/FP4 weights, else BF16.
  const double kv_element = p.precision == Precision::kBf16 ? 2.0 : 1.0;
  kv_bytes_per_token_ = m.kv_bytes_per_token(kv_element);
  if (!p.attention_dp && p.tp > 1) {
    if (m.mla())
      kv_copies_ = p.tp;
    else if (m.kv_heads < p.tp)
      kv_copies_ = static_cast<double>(p.tp) / m.kv_heads;
  }
  // Activation workspace of the largest iteration: the residual stream, QKV and the FFN intermediate of
  // max_batch_tokens tokens in BF16, one layer at a time (reused across layers).
  const double act = static_cast<double>(p.max_batch_tokens) * 2.0 *
                     (4.0 * m.hidden + 2.0 * m.ffn_hidden * std::max(1, m.active_experts) / p.tp);
  KvCapacityParams c;
  c.hbm_bytes_per_gpu = p.gpu.hbm_bytes;
  c.gpus = p.gpus();
  c.weight_bytes_per_gpu = weight_bytes_per_gpu_;
  c.activation_bytes_per_gpu = act;
  c.cache_fraction = p.kv_cache_fraction;
  kv_held_per_token_ = kv_bytes_per_token_ * kv_copies_;
  prefill_attention_flops_ = m.layers * m.attention_flops_per_pair();
  decode_attention_flops_ = m.layers * m.decode_attention_flops_per_context();
  c.kv_bytes_per_token = kv_held_per_token_;
  kv_capacity_tokens_ = clustersim::kv_capacity_tokens(c);
  check_inputs(p, *this);
}

namespace {
void add_demand(IterationTime& t, double time_s, const PowerDemand& d) {
  t.demand_s.scalable += time_s * d.scalable;
  t.demand_s.fixed += time_s * d.fixed;
}
}  // namespace

IterationTime ServingModel::stage(const IterationWork& w, double share, bool with_load) const {
  const LlmSpec& m = params_.model;
  const EngineSpec& engine = params_.engine;
  const AcceleratorSpec& g = params_.gpu;
  const double tp = params_.tp;
  const double tokens = w.prefill_tokens + w.decode_tokens;
  const double logits = w.decode_tokens + w.prefill_completions;
  const double bw = memory_Bps_;
  IterationTime t;
  if (tokens <= 0) return t;

  // Dense layers: body GEMMs for every token, the output layer for tokens that need logits.
  const double body_read = m.experts == 0 ? dense_body_read_ : body_params_read(m, tokens);
  const double flops = (2.0 * body_active_ * tokens + 2.0 * head_ * logits) * share;
  const double weight_bytes = (body_read + head_ + attention_replicated_) * share * param_bytes_ / tp;
  double compute_s = flops / tp / matmul_flops_;
  const double memory_s = weight_bytes / bw;
  // Smooth roofline: near the ridge neither limit is reached. sqrt of the sum of squares, not std::hypot, whose
  // overflow guard costs 5 % of a serving run's wall time (iteration times are far from overflowing).
  t.dense_s = std::sqrt(compute_s * compute_s + memory_s * memory_s);
  t.memory_bound = memory_s > compute_s;
  // The dense layers' load on the GPU over their current time (before and after a cap's slowdown).
  const auto dense_load = [&] {
    return GpuLoad{std::min(1.0, flops / tp / g.peak_flops(params_.precision) / t.dense_s),
                   std::min(1.0, weight_bytes / g.hbm_bandwidth_Bps / t.dense_s)};
  };

  // Attention: prefill compute (BF16 flash attention); decode reads the KV cache and computes on it (a roofline
  // like the dense layers': memory-bound for MHA/GQA, compute-bound for MLA's latent); KV writes of new tokens.
  const double attn_flops = prefill_attention_flops_ * w.prefill_attention_ctx * share;
  const double decode_attn_flops = decode_attention_flops_ * w.decode_context_tokens * share;
  const double kv_per_gpu = kv_held_per_token_ * share / tp;
  const double kv_read_bytes = w.decode_context_tokens * kv_per_gpu;
  const double kv_bytes = kv_read_bytes + tokens * kv_per_gpu;
  double attn_compute_s = attn_flops / tp / attention_flops_;
  double decode_attn_compute_s = decode_attn_flops / tp / attention_flops_;
  if (capped_ && t.dense_s > 0) {
    // The cap lowers the SM clock as the dense layers' load asks: their compute and the prefill attention slow.
    const double r = power_.clock_ratio(dense_load());
    compute_s /= r;
    attn_compute_s /= r;
    decode_attn_compute_s /= r;
    t.dense_s = std::sqrt(compute_s * compute_s + memory_s * memory_s);
  }
  // The decode kernel's roofline is proportional to the context read (both terms are), which keeps an iteration
  // linear in the decode context (repeated_time_s); the new tokens' KV writes add their own time.
  const double kv_read_s = kv_read_bytes / bw;
  t.attention_s = attn_compute_s + std::sqrt(decode_attn_compute_s * decode_attn_compute_s + kv_read_s * kv_read_s) +
                  (kv_bytes - kv_read_bytes) / bw;
  if (with_load) {
    // Each phase's demand (its own utilizations) times its time; the limit acts on the iteration's mean.
    if (t.dense_s > 0) add_demand(t, t.dense_s, power_.split_demand(dense_load()));
    if (t.attention_s > 0)
      add_demand(
          t, t.attention_s,
          power_.split_demand({std::min(1.0, (attn_flops + decode_attn_flops) / tp / g.peak_bf16_flops / t.attention_s),
                               std::min(1.0, kv_bytes / g.hbm_bandwidth_Bps / t.attention_s)}));
  }

  // Tensor parallelism: 2 all-reduces of the BF16 activations per layer; with EP the FFN's is replaced by
  // a dispatch and a combine all-to-all of the routed tokens.
  const double activation_bytes = tokens * m.hidden * 2.0;
  if (params_.ep > 1 && m.experts > 0) {
    const double ep = params_.ep;
    const double a2a_bytes = tokens / ep * m.active_experts * m.hidden * 2.0 * (ep - 1) / ep;
    const double a2a_s = engine.collective_latency_s + a2a_bytes / g.scaleup_bandwidth_Bps;
    // The attention's all-reduce in every layer, the FFN's in the dense layers, the all-to-alls in the MoE layers.
    const double allreduce_s =
        ring_allreduce_time_s(activation_bytes, params_.tp, g.scaleup_bandwidth_Bps, engine.collective_latency_s);
    t.communication_s = share * ((m.layers + m.dense_layers) * allreduce_s + m.moe_layers() * 2.0 * a2a_s);
  } else if (params_.tp > 1) {
    t.communication_s =
        2.0 * m.layers * share *
        ring_allreduce_time_s(activation_bytes, params_.tp, g.scaleup_bandwidth_Bps, engine.collective_latency_s);
  }
  return t;
}

IterationTime ServingModel::plain_iteration(const IterationWork& w, bool with_load) const {
  const int pp = params_.pp;
  IterationTime t;
  if (pp <= 1) {
    t = stage(w, 1.0, with_load);
  } else {
    // pp micro-batches of 1/pp of the work, each through pp stages of 1/pp of the layers: pp slots.
    IterationWork mb = w;
    for (double* f : {&mb.prefill_tokens, &mb.prefill_attention_ctx, &mb.decode_tokens, &mb.decode_context_tokens,
                      &mb.prefill_completions})
      *f /= pp;
    t = stage(mb, 1.0 / pp, with_load);
    const double send_s = params_.engine.collective_latency_s + (mb.prefill_tokens + mb.decode_tokens) *
                                                                    params_.model.hidden * 2.0 /
                                                                    params_.gpu.scaleup_bandwidth_Bps;
    t.dense_s *= pp;
    t.attention_s *= pp;
    t.communication_s = pp * (t.communication_s + send_s);
  }
  if (w.prefill_tokens + w.decode_tokens > 0) t.overhead_s = params_.engine.step_overhead_s;
  if (with_load) {
    if (pp > 1) t.demand_s = {t.demand_s.scalable * pp, t.demand_s.fixed * pp};
    add_demand(t, t.communication_s, power_.communication_demand());
    add_demand(t, t.overhead_s, power_.split_demand({}));
  }
  return t;
}

IterationTime ServingModel::iteration(const IterationWork& w, bool with_load) const {
  const SpeculativeParams& sp = params_.speculative;
  if (!sp.enabled() || w.decode_tokens <= 0) return plain_iteration(w, with_load);
  // One verification step: k + 1 tokens per decoding sequence, E x this iteration's prefill work (the
  // scheduler's iteration is 1/E of a step), and k draft passes; the step's time is shared by E iterations.
  const double e = expected_tokens_per_step(sp.draft_tokens, sp.acceptance);
  IterationWork step = w;
  step.prefill_tokens *= e;
  step.prefill_attention_ctx *= e;
  step.prefill_completions *= e;
  step.decode_tokens *= sp.draft_tokens + 1;
  IterationWork decode = w;
  decode.prefill_tokens = decode.prefill_attention_ctx = decode.prefill_completions = 0;
  IterationTime t = plain_iteration(step, with_load);
  const IterationTime draft = plain_iteration(decode, with_load);
  const double drafts = sp.draft_cost_fraction * sp.draft_tokens;
  t.dense_s = (t.dense_s + drafts * draft.total_s()) / e;
  t.demand_s = {(t.demand_s.scalable + drafts * draft.demand_s.scalable) / e,
                (t.demand_s.fixed + drafts * draft.demand_s.fixed) / e};
  t.attention_s /= e;
  t.communication_s /= e;
  t.overhead_s /= e;
  return t;
}

double ServingModel::activity(const IterationTime& t) const {
  const double total = t.total_s();
  if (total <= 0) return 0;
  return power_.demand_activity({t.demand_s.scalable / total, t.demand_s.fixed / total});
}

double ServingModel::repeated_time_s(const IterationWork& w, int k) const {
  if (k <= 1) return k == 1 ? iteration_time_s(w) : 0.0;
  // Iteration i reads decode_context + i x decode_tokens; the time is linear in it, so the sum of k
  // iterations is k times the iteration at the mean context.
  IterationWork mean = w;
  mean.decode_context_tokens += 0.5 * (k - 1) * w.decode_tokens;
  return k * iteration_time_s(mean);
}

int ServingModel::iterations_covering(const IterationWork& w, int k, double elapsed_s) const {
  int lo = 1, hi = std::max(1, k);
  while (lo < hi) {
    const int mid = lo + (hi - lo) / 2;
    if (repeated_time_s(w, mid) >= elapsed_s)
      hi = mid;
    else
      lo = mid + 1;
  }
  return lo;
}

}  // namespace clustersim
