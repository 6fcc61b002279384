#include "sim/config/batch_rule.hpp"

#include <cmath>

namespace clustersim {

long long sequences_from_tokens(double tokens, int seq_len, long long per_step) {
  if (seq_len <= 0 || per_step <= 0 || !(tokens >= 0)) return 0;
  const double round_tokens = static_cast<double>(per_step) * seq_len;
  if (tokens < round_tokens) return 0;
  const double rounds = std::round(tokens / round_tokens);
  const double sequences = rounds * static_cast<double>(per_step);
  if (!std::isfinite(sequences) || sequences > kMaxGlobalBatch) return -1;
  return static_cast<long long>(sequences);
}

}  // namespace clustersim
