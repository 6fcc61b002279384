#pragma once
/// @file
/// Reading a YAML input file into a node tree with its marks, turning I/O and syntax errors into
/// diagnostics.

#include <yaml-cpp/yaml.h>

#include <string>

#include "common/diagnostics.hpp"

namespace clustersim {

/// Reads `path` into `text` and parses it into `root` (an empty document gives an empty mapping).
/// On failure adds a diagnostic ("<what>" for an unreadable file, the parser's message at its
/// line:column for a syntax error) and returns false.
bool load_yaml_file(const std::string& path, const std::string& what, YAML::Node& root, std::string& text,
                    Diagnostics& diags);

/// Where `node` is written in `file` (1-based line and column of its mark).
inline SourceLocation yaml_location(const std::string& file, const YAML::Node& node) {
  return {file, node.Mark().line + 1, node.Mark().column + 1};
}

/// The value of `key` in `map`, or an empty (null) node when `map` is not a mapping or lacks the key.
/// Unlike `map[key]` on a const node, the result is always safe to query and to index again.
YAML::Node yaml_child(const YAML::Node& map, const std::string& key);

}  // namespace clustersim
