#include "models/inference/speculative.hpp"

#include <cmath>

namespace clustersim {

double expected_tokens_per_step(int draft_tokens, double acceptance) {
  if (draft_tokens <= 0) return 1.0;
  if (acceptance >= 1) return draft_tokens + 1.0;
  return (1.0 - std::pow(acceptance, draft_tokens + 1)) / (1.0 - acceptance);
}

}  // namespace clustersim
