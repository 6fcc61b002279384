#pragma once
/// @file
/// Builds the facility model of an experiment from its `facility` section. Today the only model is a
/// constant PUE; a cooling/climate model (issue 12) is one more branch here, chosen by a key of FacilitySpec,
/// plus its params struct filled from the spec. See models/power/facility_model.hpp for what else it touches.

#include <memory>

#include "models/power/facility_model.hpp"
#include "spec/experiment_spec.hpp"

namespace clustersim {

/// The facility model `facility` asks for (ConstantPue with facility.pue today).
std::unique_ptr<const FacilityModel> make_facility_model(const FacilitySpec& facility);

}  // namespace clustersim
