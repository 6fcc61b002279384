#include "sim/config/yaml_source.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace clustersim {

bool load_yaml_file(const std::string& path, const std::string& what, YAML::Node& root, std::string& text,
                    Diagnostics& diags) {
  std::ifstream in(path);
  if (!in) {
    diags.add({path, 0, 0}, "", what + " '" + path + "': " + std::strerror(errno));
    return false;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  text = buffer.str();
  try {
    YAML::Node parsed = YAML::Load(text);
    root.reset(parsed.IsDefined() && !parsed.IsNull() ? parsed : YAML::Node(YAML::NodeType::Map));
  } catch (const YAML::Exception& e) {
    SourceLocation loc{path, 0, 0};
    if (!e.mark.is_null()) loc = {path, e.mark.line + 1, e.mark.column + 1};
    diags.add(loc, "", "invalid YAML: " + e.msg);
    return false;
  }
  return true;
}

YAML::Node yaml_child(const YAML::Node& map, const std::string& key) {
  if (!map.IsDefined() || !map.IsMap()) return YAML::Node();
  const YAML::Node value = map[key];
  return value.IsDefined() ? value : YAML::Node();
}

}  // namespace clustersim
