#include "sim/config/uncertainty_loader.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>

#include "sim/config/experiment_loader.hpp"
#include "sim/config/yaml_source.hpp"

namespace clustersim {

namespace {}  // namespace

std::string shipped_bands_path() { return data_dir() + "/validation/bands.yaml"; }

UncertaintyBands load_uncertainty_bands(const std::string& path, Diagnostics& diags) {
  UncertaintyBands out;
  if (!std::filesystem::exists(path)) return out;
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::Exception& e) {
    diags.add({path, e.mark.line + 1, e.mark.column + 1}, "bands", "invalid YAML: " + e.msg);
    return out;
  }
  static const std::vector<std::string> keys = {"group",  "quantity", "gpu",     "precision",
                                                "engine", "relative", "anchors", "kind"};
  static const std::vector<std::string> quantities = {band_quantity::kTrainingStep, band_quantity::kServingThroughput,
                                                      band_quantity::kGpuPower, band_quantity::kItPower};
  for (const auto& n : root["bands"]) {
    UncertaintyBand b;
    bool ok = n.IsMap();
    if (ok)
      for (const auto& kv : n) {
        const std::string k = kv.first.as<std::string>();
        if (std::find(keys.begin(), keys.end(), k) == keys.end()) {
          diags.add(yaml_location(path, kv.first), "bands", "unknown key '" + k + "'", did_you_mean(k, keys));
          ok = false;
        }
      }
    try {
      const auto text = [&](const char* k) { return n[k] ? n[k].as<std::string>() : std::string(); };
      b.group = text("group");
      b.quantity = text("quantity");
      b.gpu = text("gpu");
      b.precision = text("precision");
      b.engine = text("engine");
      b.kind = text("kind");
      b.relative = n["relative"] ? n["relative"].as<double>() : -1.0;
      b.anchors = n["anchors"] ? n["anchors"].as<int>() : 0;
    } catch (const YAML::Exception& e) {
      diags.add({path, e.mark.line + 1, e.mark.column + 1}, "bands." + b.group, "expected a number");
      ok = false;
    }
    if (std::find(quantities.begin(), quantities.end(), b.quantity) == quantities.end()) {
      diags.add(yaml_location(path, n), "bands." + b.group + ".quantity", "unknown quantity '" + b.quantity + "'",
                did_you_mean(b.quantity, quantities));
      ok = false;
    }
    if (!(b.relative >= 0 && b.relative < 10)) {
      diags.add(yaml_location(path, n), "bands." + b.group + ".relative", "a relative band in [0, 10) is required");
      ok = false;
    }
    if (ok) out.bands.push_back(b);
  }
  return out;
}

}  // namespace clustersim
