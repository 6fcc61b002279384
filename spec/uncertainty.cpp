#include "spec/uncertainty.hpp"

namespace clustersim {

BandLookup find_band(const UncertaintyBands& bands, const std::string& quantity, const std::string& gpu,
                     const std::string& precision, const std::string& engine) {
  const auto fits = [](const std::string& band, const std::string& value) { return band.empty() || band == value; };
  BandLookup widest;
  for (const UncertaintyBand& b : bands.bands) {
    if (b.quantity != quantity) continue;
    if (fits(b.gpu, gpu) && fits(b.precision, precision) && fits(b.engine, engine)) return {b.relative, b.group};
    if (std::isnan(widest.relative) || b.relative > widest.relative) widest = {b.relative, b.group, true};
  }
  return widest;
}

}  // namespace clustersim
