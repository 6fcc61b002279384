#include "sim/engine/service_builder.hpp"

#include <xbt/log.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <random>

#include "sim/config/experiment_loader.hpp"
#include "sim/input/trace_reader.hpp"
#include "sim/setup/run_budget.hpp"

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(cs_service_builder, clustersim, "inference services: arrivals and replicas");

namespace clustersim {

namespace {

/// `v` as an int, saturated to [lo, INT_MAX] (NaN gives lo): spec values may be 64-bit or huge doubles.
int saturated_int(double v, int lo) {
  if (!(v >= lo)) return lo;
  return v >= static_cast<double>(INT_MAX) ? INT_MAX : static_cast<int>(v);
}

/// The most requests a generator may return: what the run budget allows (about 256 B each), at least the
/// generators' default. Validation (check_run_budget) refuses larger inputs first; this bounds the loops.
size_t max_requests() {
  return static_cast<size_t>(std::max(static_cast<double>(kDefaultMaxArrivals), max_memory_bytes() / 256));
}

}  // namespace

namespace {

/// Arrival windows: one for a run of a day or less (the whole run, drawn with `seed`), else one per day, window i
/// drawn with its own seed (window 0 with `seed`).
constexpr double kArrivalWindowS = 86400;

std::vector<double> window_starts(double start_s, double end_s) {
  std::vector<double> out{start_s};
  if (end_s - start_s > kArrivalWindowS)
    for (double t = start_s + kArrivalWindowS; t < end_s; t += kArrivalWindowS) out.push_back(t);
  return out;
}

uint64_t window_seed(uint64_t seed, size_t i) {
  return i == 0 ? seed : seed * 6364136223846793005ULL + i * 1442695040888963407ULL;
}

}  // namespace

std::vector<RequestArrival> autoscaled_arrivals(InferenceServiceRuntime& svc, const std::vector<ReplicaSlot>& slots,
                                                double end_s, uint64_t seed) {
  const InferenceServiceSpec& ss = svc.spec;
  const int detailed = static_cast<int>(svc.replicas.size());
  // The sample the detailed replicas would get with the fewest replicas, from which the plan is made and which
  // is thinned to detailed / active(t) at each arrival.
  const double keep0 = static_cast<double>(detailed) / ss.autoscale_min_replicas;
  AutoscalerParams p;
  p.min_replicas = ss.autoscale_min_replicas;
  p.max_replicas = ss.replicas;
  p.replicas_per_server = replicas_per_server(slots);
  p.target_rate_per_replica = ss.autoscale_target_rate;
  p.interval_s = ss.autoscale_interval_s;
  p.startup_s = ss.autoscale_startup_s;
  p.start_s = ss.start_s;
  p.end_s = end_s;
  const std::vector<double> starts = window_starts(ss.start_s, end_s);
  auto draw = [&svc, starts, end_s, seed, keep0](size_t w) {
    return service_arrivals(svc.spec, w + 1 < starts.size() ? starts[w + 1] : end_s, window_seed(seed, w), keep0,
                            starts[w]);
  };
  // The plan, from every window's arrivals (drawn once more when the run reaches the window: memory stays that
  // of a window).
  std::vector<double> counts;
  std::vector<RequestArrival> first;
  for (size_t w = 0; w < starts.size(); ++w) {
    std::vector<RequestArrival> drawn = draw(w);
    std::vector<double> times;
    times.reserve(drawn.size());
    for (const auto& a : drawn) times.push_back(a.time_s);
    count_requests(p, times, 1.0 / keep0, counts);
    if (w == 0) first = std::move(drawn);
  }
  svc.plan = plan_from_counts(p, counts);
  svc.mirror_factor = mirror_factor_at(svc, ss.start_s);
  auto thin = [&svc, seed](std::vector<RequestArrival> drawn, size_t w) {
    std::mt19937_64 rng((seed ^ 0x7a5ca1e5ULL) + w);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::vector<RequestArrival> kept;
    for (auto& a : drawn)  // keep with probability (detailed / active) / keep0 = min_replicas / active
      if (u(rng) * svc.plan.active_at(a.time_s) < svc.spec.autoscale_min_replicas) kept.push_back(std::move(a));
    return kept;
  };
  svc.windows = starts.size();
  svc.draw_window = [draw, thin](size_t w) { return thin(draw(w), w); };
  return thin(std::move(first), 0);
}

std::vector<RequestArrival> service_arrivals(const InferenceServiceSpec& svc, double end_s, uint64_t seed,
                                             double keep_fraction, double from_s) {
  const auto& a = svc.arrivals;
  const double start_s = from_s < 0 ? svc.start_s : from_s;
  if (a.kind == ArrivalKind::kTrace) {  // a day shape, when asked, warps the replay's clock
    PoissonArrivalParams shape;
    shape.diurnal_amplitude = a.diurnal_amplitude;
    shape.diurnal_period_s = a.diurnal_period_s;
    shape.diurnal_peak_s = a.diurnal_peak_s;
    return replay_trace_diurnal(read_trace(a.trace), a.scale, start_s, end_s, shape, keep_fraction, seed,
                                max_requests());
  }
  if (a.kind == ArrivalKind::kBatch && start_s > svc.start_s) return {};  // a batch arrives in the first window
  PoissonArrivalParams p;
  p.rate_per_s = a.rate_per_s * a.scale;
  p.mean_input_tokens = a.input_tokens;
  p.mean_output_tokens = a.output_tokens;
  p.exponential_lengths = a.lengths == LengthDistribution::kExponential;
  if (!a.empirical_lengths.input_tokens.empty()) p.lengths = &a.empirical_lengths;  // scaled by the loader
  p.cv = a.kind == ArrivalKind::kGamma ? a.cv : 1.0;
  p.diurnal_amplitude = a.diurnal_amplitude;
  p.diurnal_period_s = a.diurnal_period_s;
  p.diurnal_peak_s = a.diurnal_peak_s;
  p.start_s = start_s;
  p.end_s = end_s;
  p.seed = seed;
  p.keep_fraction = keep_fraction;
  p.max_requests = max_requests();
  if (a.kind == ArrivalKind::kBatch) {  // fixed lengths: token counts truncated, as a fixed-length batch always was
    p.start_s = svc.start_s;
    return batch_arrivals(static_cast<long long>(a.requests), p);
  }
  return poisson_arrivals(p);
}

std::unique_ptr<InferenceServiceRuntime> build_inference_service(
    const InferenceServiceSpec& ss, const LlmSpec& llm, const AcceleratorSpec& gpu, const CalibrationSpec& calibration,
    const EngineSpec& engine, const std::vector<ReplicaSlot>& slots, const std::vector<simgrid::s4u::Host*>& servers,
    PowerTracker& tracker, double end_s, uint64_t seed, int pool, double power_cap_w) {
  auto svc = std::make_unique<InferenceServiceRuntime>();
  svc->spec = ss;
  svc->pool = pool;
  svc->calibration = calibration;
  ServingParams mp{llm,
                   gpu,
                   calibration,
                   ss.tp,
                   ss.precision,
                   ss.kv_cache_fraction,
                   saturated_int(static_cast<double>(ss.max_batch_tokens), 1)};
  mp.pp = ss.pp;
  mp.ep = ss.ep;
  mp.attention_dp = ss.attention_dp;
  mp.speculative = {ss.speculative_draft_tokens, ss.speculative_acceptance, ss.speculative_draft_cost_fraction};
  mp.power_cap_w = power_cap_w;
  mp.engine = engine;
  svc->model = std::make_unique<ServingModel>(mp);
  SchedulerParams& sp = svc->scheduler;
  sp.max_batch = saturated_int(static_cast<double>(ss.max_batch), 1);
  sp.max_batch_tokens = saturated_int(static_cast<double>(ss.max_batch_tokens), 1);
  sp.kv_capacity_tokens = svc->model->kv_capacity_tokens();
  sp.policy = ss.kv_policy;
  sp.prefix_caching = ss.prefix_caching;

  const int total = static_cast<int>(slots.size());
  const int detailed = ss.detailed_replicas > 0 ? std::min(ss.detailed_replicas, total) : total;
  svc->scale = static_cast<double>(total) / detailed;
  for (int i = 0; i < detailed; ++i) {
    ReplicaRuntime r;
    r.host = servers[slots[i].server];
    r.power_group = tracker.add_group(ss.gpus(), pool);
    svc->replicas.push_back(std::move(r));
  }
  if (detailed < total) svc->mirror_group = tracker.add_group((total - detailed) * ss.gpus(), pool);
  if (ss.disaggregated()) {
    svc->prefill_replicas = ss.prefill_replicas;
    svc->kv = std::make_unique<KvTransport>(
        KvTransportParams{ss.name, gpu.scaleup_bandwidth_Bps, ss.gpus(), calibration.network_alpha_s});
  }
  std::vector<RequestArrival> arrivals;
  if (ss.autoscaled()) {
    arrivals = autoscaled_arrivals(*svc, slots, end_s, seed);
  } else {
    const std::vector<double> starts = window_starts(ss.start_s, end_s);
    const double keep = 1.0 / svc->scale;
    auto draw = [&ss = svc->spec, starts, end_s, seed, keep](size_t w) {
      return service_arrivals(ss, w + 1 < starts.size() ? starts[w + 1] : end_s, window_seed(seed, w), keep, starts[w]);
    };
    svc->windows = starts.size();
    svc->draw_window = draw;
    arrivals = draw(0);
  }
  XBT_VERB("service '%s': %zu arrivals for %d detailed of %d replicas (%zu power groups), seed %llu", ss.name.c_str(),
           arrivals.size(), detailed, total, svc->replicas.size() + (detailed < total ? 1 : 0),
           static_cast<unsigned long long>(seed));
  for (auto& a : arrivals) {
    ServingRequest r;
    r.arrival = std::move(a);
    svc->requests.push_back(std::move(r));
  }
  return svc;
}

}  // namespace clustersim
