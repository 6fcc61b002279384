#pragma once
/// @file
/// Rules: the view of a resolved experiment that cross-field checks use (sim/config/experiment_rules and the
/// physical checks of sim/setup/feasibility): values by key path, whether the user wrote a key, and errors
/// reported at a key's location.

#include <initializer_list>
#include <string>

#include <yaml-cpp/yaml.h>

#include "common/diagnostics.hpp"
#include "sim/config/schema.hpp"
#include "sim/config/yaml_source.hpp"

namespace clustersim {

/// Reads the resolved tree by key path and reports at the locations of key paths.
class Rules {
 public:
  Rules(const ResolvedConfig& resolved, Diagnostics& diags) : resolved_(resolved), diags_(diags) {}

  /// The resolved value at `path` ("workload.training[0].gpus"); null when absent (missing or invalid).
  YAML::Node node(const std::string& path) const {
    YAML::Node n = resolved_.tree;
    size_t start = 0;
    while (start < path.size()) {
      const size_t end = path.find_first_of(".[", start);
      const std::string key = path.substr(start, end == std::string::npos ? std::string::npos : end - start);
      if (!key.empty() && key.back() == ']') {
        const size_t index = std::stoul(key.substr(0, key.size() - 1));
        if (!n.IsSequence() || index >= n.size()) return YAML::Node();
        const YAML::Node item = n[index];
        n.reset(item);
      } else if (!key.empty()) {
        const YAML::Node item = yaml_child(n, key);
        n.reset(item);
      }
      if (end == std::string::npos) break;
      start = end + 1;
    }
    return n;
  }

  bool ok(const std::string& path) const { return !node(path).IsNull(); }

  /// True when the user wrote `path` (in the file or with --set), false when it took its default.
  bool written(const std::string& path) const { return resolved_.locations.count(path) > 0; }

  SourceLocation location(const std::string& path) const { return resolved_.location_of(path); }

  bool all_ok(std::initializer_list<std::string> paths) const {
    for (const auto& p : paths)
      if (!ok(p)) return false;
    return true;
  }

  double number(const std::string& path) const { return node(path).as<double>(); }

  void error(const std::string& path, const std::string& message, const std::string& hint = "") {
    diags_.add(resolved_.location_of(path), path, message, hint);
  }

 private:
  const ResolvedConfig& resolved_;
  Diagnostics& diags_;
};

}  // namespace clustersim
