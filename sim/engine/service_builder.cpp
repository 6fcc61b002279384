#include "sim/engine/service_builder.hpp"

#include <algorithm>

#include "sim/config/experiment_loader.hpp"
#include "sim/engine/trace_reader.hpp"

namespace clustersim {

std::vector<RequestArrival> service_arrivals(const InferenceServiceSpec& svc, double end_s, uint64_t seed,
                                             double keep_fraction) {
  const auto& a = svc.arrivals;
  if (a.kind == "trace") return replay_trace(read_trace(a.trace), a.scale, svc.start_s, end_s, keep_fraction, seed);
  if (a.kind == "batch")
    return thin_arrivals(batch_arrivals(a.requests, static_cast<int>(a.input_tokens),
                                        static_cast<int>(a.output_tokens), svc.start_s),
                         keep_fraction, seed);
  PoissonArrivalParams p;
  p.rate_per_s = a.rate_per_s * a.scale;
  p.mean_input_tokens = a.input_tokens;
  p.mean_output_tokens = a.output_tokens;
  p.exponential_lengths = a.lengths == "exponential";
  LengthQuantiles empirical;
  if (a.lengths.rfind("servegen-", 0) == 0) {
    empirical = read_length_quantiles(data_dir() + "/traces/alibaba-servegen-2025/" + a.lengths.substr(9) +
                                      "-lengths.csv");
    p.lengths = &empirical;
  }
  p.cv = a.kind == "gamma" ? a.cv : 1.0;
  p.diurnal_amplitude = a.diurnal_amplitude;
  p.diurnal_period_s = a.diurnal_period_s;
  p.diurnal_peak_s = a.diurnal_peak_s;
  p.start_s = svc.start_s;
  p.end_s = end_s;
  p.seed = seed;
  p.keep_fraction = keep_fraction;
  return poisson_arrivals(p);
}

std::unique_ptr<InferenceServiceRuntime> build_inference_service(const InferenceServiceSpec& ss, const LlmSpec& llm,
                                                                 const AcceleratorSpec& gpu,
                                                                 const CalibrationSpec& calibration,
                                                                 const std::vector<ReplicaSlot>& slots,
                                                                 const std::vector<simgrid::s4u::Host*>& servers,
                                                                 PowerTracker& tracker, double end_s, uint64_t seed) {
  auto svc = std::make_unique<InferenceServiceRuntime>();
  svc->spec = ss;
  svc->calibration = calibration;
  ServingParams mp{llm, gpu, calibration, ss.tp, ss.precision, ss.kv_cache_fraction, ss.max_batch_tokens};
  mp.pp = ss.pp;
  mp.ep = ss.ep;
  mp.speculative = {ss.speculative_draft_tokens, ss.speculative_acceptance, ss.speculative_draft_cost_fraction};
  svc->model = std::make_unique<ServingModel>(mp);
  SchedulerParams& sp = svc->scheduler;
  sp.max_batch = ss.max_batch;
  sp.max_batch_tokens = ss.max_batch_tokens;
  sp.kv_capacity_tokens = svc->model->kv_capacity_tokens();
  sp.policy = ss.kv_policy == "paged" ? KvPolicy::kPaged : KvPolicy::kReserve;
  sp.prefix_caching = ss.prefix_caching;

  const int total = static_cast<int>(slots.size());
  const int detailed = ss.detailed_replicas > 0 ? std::min(ss.detailed_replicas, total) : total;
  svc->scale = static_cast<double>(total) / detailed;
  for (int i = 0; i < detailed; ++i) {
    ReplicaRuntime r;
    r.host = servers[slots[i].server];
    r.cores = ss.gpus();
    r.power_group = tracker.add_group(ss.gpus());
    svc->replicas.push_back(std::move(r));
  }
  if (detailed < total) svc->mirror_group = tracker.add_group((total - detailed) * ss.gpus());
  if (ss.disaggregated()) {
    svc->prefill_replicas = ss.prefill_replicas;
    svc->kv = std::make_unique<KvTransport>(
        KvTransportParams{ss.name, gpu.scaleup_bandwidth_Bps, ss.gpus(), calibration.network_alpha_s});
  }
  auto arrivals = service_arrivals(ss, end_s, seed, 1.0 / svc->scale);
  svc->requests.reserve(arrivals.size());
  for (auto& a : arrivals) {
    ServingRequest r;
    r.arrival = std::move(a);
    svc->requests.push_back(std::move(r));
  }
  return svc;
}

}  // namespace clustersim
