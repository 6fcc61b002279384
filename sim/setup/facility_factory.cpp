#include "sim/setup/facility_factory.hpp"

#include <stdexcept>
#include <string>

#include "models/power/constant_pue.hpp"

namespace clustersim {

std::unique_ptr<const FacilityModel> make_facility_model(const FacilitySpec& facility) {
  switch (facility.model) {
    case FacilityModelKind::kConstantPue: {
      ConstantPueParams params;
      params.pue = facility.pue;
      return std::make_unique<ConstantPue>(params);
    }
  }
  throw std::logic_error("make_facility_model: facility model " + std::string(kind_name(facility.model)) +
                         " has no factory");
}

}  // namespace clustersim
