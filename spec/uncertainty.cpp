#include "spec/uncertainty.hpp"

namespace clustersim {

BandLookup find_band(const UncertaintyBands& bands, const std::string& quantity, const std::string& gpu,
                     const std::string& precision, const std::string& engine, const std::string& kind) {
  // "" matches anything; otherwise one of the band's comma-separated names.
  const auto fits = [](const std::string& band, const std::string& value) {
    if (band.empty()) return true;
    for (size_t b = 0, e; b <= band.size(); b = e + 1) {
      e = band.find(',', b);
      if (e == std::string::npos) e = band.size();
      if (band.compare(b, e - b, value) == 0) return true;
    }
    return false;
  };
  BandLookup widest, widest_of_kind;
  for (const UncertaintyBand& b : bands.bands) {
    if (b.quantity != quantity) continue;
    const bool same_kind = fits(b.kind, kind);
    if (same_kind && fits(b.gpu, gpu) && fits(b.precision, precision) && fits(b.engine, engine))
      return {b.relative, b.group};
    if (std::isnan(widest.relative) || b.relative > widest.relative) widest = {b.relative, b.group, true};
    if (same_kind && (std::isnan(widest_of_kind.relative) || b.relative > widest_of_kind.relative))
      widest_of_kind = {b.relative, b.group, true};
  }
  return std::isnan(widest_of_kind.relative) ? widest : widest_of_kind;
}

}  // namespace clustersim
