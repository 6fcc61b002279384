#include "sim/config/binding.hpp"

#include <limits>
#include <stdexcept>

namespace clustersim::binding_detail {

YAML::Node resolved_default(const Field& f) {
  const Schema one{"default", {f}};
  Diagnostics diags;
  const ResolvedConfig r = resolve(YAML::Node(YAML::NodeType::Map), one, "<default>", diags);
  const YAML::Node v = r.tree[f.name];
  if (!diags.empty() || !v.IsDefined())
    throw std::logic_error("the default '" + f.default_value + "' of key '" + f.name + "' does not resolve");
  return v;
}

int to_int(const YAML::Node& n, const std::string& key) {
  const double v = n.as<double>();
  if (!(v >= std::numeric_limits<int>::min() && v <= std::numeric_limits<int>::max()))
    throw std::logic_error("spec_builder: " + key + " = " + std::to_string(v) +
                           " does not fit an int (the schema range should have refused it)");
  return static_cast<int>(v);
}

}  // namespace clustersim::binding_detail
