#pragma once
/// @file
/// `--set key.path=value` overrides and sweep axes: dotted key paths, applied to the parsed YAML tree
/// before validation, and checked against a schema.

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "sim/config/schema.hpp"

namespace clustersim {

/// A dotted key path: "workload.training.0.gpus" or "workload.training[0].gpus".
struct KeyPath {
  struct Segment {
    std::string key;     ///< the map key, or the list index as text
    bool index = false;  ///< true: a list element
  };
  std::vector<Segment> segments;
  std::string canonical;  ///< the path as validation diagnostics name it: "workload.training[0].gpus"
};

/// Parses a dotted key path; returns false (and an error) on bad syntax (empty segment, bad index).
bool parse_key_path(const std::string& text, KeyPath& out, std::string& error);

/// Sets `value_yaml` (YAML text) at `path` inside `root`, creating mappings on the way. Returns false (and
/// an error) when the path crosses a scalar, an index is out of range, or the value is not valid YAML.
bool apply_override(YAML::Node root, const KeyPath& path, const std::string& value_yaml, std::string& error);

/// Checks that `path` names a key of `schema` (list elements addressed by index, catalog entries by any
/// name). Returns false with an error and a did-you-mean hint otherwise.
bool check_schema_path(const KeyPath& path, const Schema& schema, std::string& error, std::string& hint);

}  // namespace clustersim
