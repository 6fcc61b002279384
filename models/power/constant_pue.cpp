#include "models/power/constant_pue.hpp"

#include <cmath>
#include <stdexcept>

namespace clustersim {

ConstantPue::ConstantPue(const ConstantPueParams& params) : p_(params) {
  if (!std::isfinite(p_.pue) || p_.pue < 1.0)
    throw std::invalid_argument("constant PUE must be a finite number >= 1, got " + std::to_string(p_.pue));
}

}  // namespace clustersim
