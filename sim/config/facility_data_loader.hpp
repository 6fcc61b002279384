#pragma once
/// @file
/// data/facility/*.yaml -> FacilityData (spec/facility_data.hpp), the way the catalog is loaded: every key
/// declared once (facility_data_schema), errors located file:line:col. A file may hold any of the sections
/// `sites` (climate normals), `regions` (grid carbon), `constants` (cooling model constants, each {value,
/// source}) and `references` (published PUE/WUE points); files are read in sorted order, a later entry of the
/// same name replacing an earlier one. Read only when an experiment asks for facility.model: cooling.

#include <string>

#include "sim/config/schema.hpp"
#include "spec/experiment_spec.hpp"
#include "spec/facility_data.hpp"

namespace clustersim {

/// The schema of one facility data file.
const Schema& facility_data_schema();

/// Reads one facility data file into `out` (problems go to `diags`).
void add_facility_data_file(const std::string& path, FacilityData& out, Diagnostics& diags);

/// Reads data_dir()/facility/*.yaml (a missing folder is a diagnostic).
FacilityData load_facility_data(Diagnostics& diags);

/// The constants the cooling model needs (sim/setup/facility_factory.cpp reads each of them).
const std::vector<std::string>& required_facility_constants();

/// Checks an experiment's facility section against the data: the site and carbon region exist (did you mean),
/// the start date parses, the constants are all there. Locations come from `resolved`.
void check_facility(const FacilitySpec& facility, const ResolvedConfig& resolved, const FacilityData& data,
                    Diagnostics& diags);

}  // namespace clustersim
