#include "sim/engine/service_measures.hpp"

#include <algorithm>

namespace clustersim {

void ServiceMeasures::add(const ServingRequest& q, double w, double slo_ttft, double slo_tpot,
                          const std::vector<double>& samples, double end_s) {
  if (q.generated > 0 && q.first_token_s >= 0) {  // its tokens, at the midpoint of its decode
    const double mid = 0.5 * (q.first_token_s + (q.done_s >= 0 ? q.done_s : end_s));
    const auto it = std::lower_bound(samples.begin(), samples.end(), mid);
    if (it != samples.end()) {
      const size_t i = static_cast<size_t>(it - samples.begin());
      if (interval_tokens.size() < samples.size()) interval_tokens.resize(samples.size(), 0);
      interval_tokens[i] += w > 0 ? q.generated * w : q.generated;
    }
  }
  if (q.arrival.time_s >= end_s) return;
  ++arrived;
  if (first_arrival_s < 0 || q.arrival.time_s < first_arrival_s) first_arrival_s = q.arrival.time_s;
  input_tokens += std::min(q.prefilled, q.arrival.input_tokens);
  output_tokens += q.generated;
  fleet_arrived += w;
  fleet_input_tokens += w * std::min(q.prefilled, q.arrival.input_tokens);
  fleet_output_tokens += w * q.generated;
  if (q.first_token_s >= 0) ttft_s.add(q.first_token_s - q.arrival.time_s);
  if (q.done_s < 0) return;
  ++completed;
  completed_output_tokens += q.generated;
  fleet_completed += w;
  fleet_completed_output_tokens += w * q.generated;
  last_done_s = std::max(last_done_s, q.done_s);
  const double ttft = q.first_token_s - q.arrival.time_s;
  const double tpot = q.arrival.output_tokens > 1 ? (q.done_s - q.first_token_s) / (q.arrival.output_tokens - 1) : 0;
  e2e_s.add(q.done_s - q.arrival.time_s);
  if (q.arrival.output_tokens > 1) tpot_s.add(tpot);
  const bool ok = !(ttft > slo_ttft) && !(tpot > slo_tpot);  // NaN targets never fail
  if (ok) {
    ++good;
    good_output_tokens += q.generated;
    fleet_good += w;
    fleet_good_output_tokens += w * q.generated;
  }
}

void ServiceMeasures::finish_constant(double scale) {
  fleet_arrived = arrived * scale;
  fleet_completed = completed * scale;
  fleet_good = good * scale;
  fleet_input_tokens = input_tokens * scale;
  fleet_output_tokens = output_tokens * scale;
  fleet_good_output_tokens = good_output_tokens * scale;
  fleet_completed_output_tokens = completed_output_tokens * scale;
}

}  // namespace clustersim
