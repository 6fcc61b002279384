#include "models/inference/length_distribution.hpp"

#include <algorithm>

namespace clustersim {

double sample_quantiles(const std::vector<double>& q, double u) {
  const double x = std::clamp(u, 0.0, 1.0) * (q.size() - 1);
  const size_t i = std::min(static_cast<size_t>(x), q.size() - 2);
  return q[i] + (x - i) * (q[i + 1] - q[i]);
}

double quantiles_mean(const std::vector<double>& q) {
  double sum = 0;
  for (size_t i = 0; i + 1 < q.size(); ++i) sum += 0.5 * (q[i] + q[i + 1]);
  return sum / (q.size() - 1);
}

}  // namespace clustersim
