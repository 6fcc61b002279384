#include "models/reliability/checkpoint.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace clustersim {

namespace {
constexpr double kWeightBytes = 2;      // BF16 weights
constexpr double kOptimizerBytes = 12;  // FP32 master weights + Adam first and second moments
}  // namespace

double checkpoint_bytes(const LlmSpec& model) { return model.params() * (kWeightBytes + kOptimizerBytes); }

double checkpoint_transfer_s(double bytes, int servers, double bandwidth_Bps, const CheckpointStore& store) {
  double bw = bandwidth_Bps;
  if (store.per_server_bandwidth_Bps > 0) bw = std::min(bw, std::max(1, servers) * store.per_server_bandwidth_Bps);
  return store.latency_s + (bw > 0 ? bytes / bw : 0);
}

double young_interval_s(double write_s, double mtbf_s) {
  if (!std::isfinite(mtbf_s)) return std::numeric_limits<double>::infinity();
  return std::sqrt(2 * write_s * mtbf_s);
}

double daly_interval_s(double write_s, double mtbf_s) {
  if (!std::isfinite(mtbf_s)) return std::numeric_limits<double>::infinity();
  if (write_s >= 2 * mtbf_s) return mtbf_s;
  const double r = write_s / (2 * mtbf_s);
  return std::sqrt(2 * write_s * mtbf_s) * (1 + std::sqrt(r) / 3 + r / 9) - write_s;
}

double expected_ettr(double interval_s, double write_s, double mtbf_s, double recovery_s) {
  const double period = interval_s + write_s;
  if (!(period > 0)) return 0;
  const double useful = std::isfinite(interval_s) ? interval_s / period : 1.0;
  const double lost = std::isfinite(mtbf_s) ? (recovery_s + (std::isfinite(period) ? period : 0) / 2) / mtbf_s : 0;
  if (!std::isfinite(period) && std::isfinite(mtbf_s)) return 0;  // no checkpoint: every failure loses everything
  return std::clamp(useful * (1 - lost), 0.0, 1.0);
}

}  // namespace clustersim
