#include "models/training/moe_traffic.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace clustersim {

double moe_copies_per_token(int active_experts, int max_nodes, int group_servers) {
  const int k = std::max(1, active_experts);
  if (max_nodes <= 0) return k;
  return std::min({k, max_nodes, std::max(1, group_servers)});
}

double moe_busiest_rank_factor(int experts, int ep, double zipf_s, double routed) {
  if (ep <= 1 || experts <= 0 || !(zipf_s > 0)) return 1.0;
  std::vector<double> rank_share(ep, 0.0);
  double total = 0;
  for (int e = 0; e < experts; ++e) {
    const double p = std::pow(e + 1.0, -zipf_s);
    rank_share[e % ep] += p;
    total += p;
  }
  const double busiest = *std::max_element(rank_share.begin(), rank_share.end()) / total;
  double factor = busiest * ep;
  if (routed > 0)
    factor += std::sqrt(2.0 * std::log(static_cast<double>(ep))) * std::sqrt(busiest * (1 - busiest) / routed) * ep;
  return std::max(1.0, factor);
}

}  // namespace clustersim
