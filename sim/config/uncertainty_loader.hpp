#pragma once
/// @file
/// data/validation/bands.yaml -> UncertaintyBands (spec/uncertainty.hpp). The file is written by
/// `clustersim validate-models --cross-validate --write-bands`; a missing file means no bands (runs then print none).

#include <string>

#include "common/diagnostics.hpp"
#include "spec/uncertainty.hpp"

namespace clustersim {

/// Reads `path` (bands: [{group, quantity, gpu, precision, engine, relative, anchors}]); problems go to `diags`
/// with file:line:column. A file that does not exist gives no bands and no diagnostic.
UncertaintyBands load_uncertainty_bands(const std::string& path, Diagnostics& diags);

/// The shipped bands: data_dir()/validation/bands.yaml.
std::string shipped_bands_path();

}  // namespace clustersim
