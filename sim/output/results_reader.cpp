#include <stdexcept>

#include "sim/output/h5_file.hpp"
#include "sim/results/results.hpp"

namespace clustersim {

double read_metric_h5(const std::string& path, const std::string& metric, size_t row) {
  const size_t dot = metric.find('.');
  if (dot == std::string::npos) throw std::runtime_error("metric '" + metric + "' is not GROUP.NAME");
  const std::string group = metric.substr(0, dot), name = metric.substr(dot + 1);
  h5::Handle file = h5::open_file(path);
  if (!h5::has_link(file, group)) throw std::runtime_error(path + " has no group '" + group + "'");
  h5::Handle g = h5::open_group(file, group);
  if (!h5::has_link(g, name)) throw std::runtime_error(path + " has no '" + metric + "'");
  h5::Handle d = h5::open_dataset(g, name);
  return group == "summary" ? h5::read_scalar(d) : h5::read_element(d, row);
}

}  // namespace clustersim
