#include "sim/setup/facility_factory.hpp"

#include "models/power/constant_pue.hpp"

namespace clustersim {

std::unique_ptr<const FacilityModel> make_facility_model(const FacilitySpec& facility) {
  ConstantPueParams params;
  params.pue = facility.pue;
  return std::make_unique<ConstantPue>(params);
}

}  // namespace clustersim
