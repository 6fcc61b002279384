#include "models/training/schedule.hpp"

#include <algorithm>

namespace clustersim {

double pipeline_bubble_fraction(int pp, int microbatches, int virtual_stages) {
  if (pp <= 1 || microbatches <= 0) return 0;
  return (pp - 1.0) / (std::max(1, virtual_stages) * static_cast<double>(microbatches));
}

double pipeline_inflight_microbatches(int pp, int microbatches, int virtual_stages) {
  const double base = std::min(pp, std::max(1, microbatches));
  if (pp <= 1 || virtual_stages <= 1) return base;
  return base * (1.0 + (pp - 1.0) / (static_cast<double>(pp) * virtual_stages));
}

}  // namespace clustersim
