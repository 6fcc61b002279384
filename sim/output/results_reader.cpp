#include <algorithm>
#include <stdexcept>
#include <type_traits>

#include "common/diagnostics.hpp"
#include "sim/output/h5_file.hpp"
#include "sim/results/results.hpp"

namespace clustersim {

namespace {

/// The column of `dataset` read with the value type of `member`.
template <class Row, class Member>
ColumnResult read_column(const h5::Handle& dataset, const Column<Row>& c, Member member) {
  using Value = std::decay_t<decltype(std::declval<const Row&>().*member)>;
  ColumnResult col{c.name, c.units, c.long_name, {}};
  if constexpr (std::is_same_v<Value, double>)
    col.values = h5::read_doubles(dataset);
  else if constexpr (std::is_same_v<Value, int64_t>)
    col.values = h5::read_int64s(dataset);
  else
    col.values = h5::read_strings(dataset);
  return col;
}

/// The rows of `table` from its group in `file` (none when the group is absent).
template <class Row>
std::vector<Row> read_rows(const h5::Handle& file, const RowTable<Row>& table) {
  if (!h5::has_link(file, table.group)) return {};
  h5::Handle group = h5::open_group(file, table.group);
  TableResult columns{table.group, table.dimension, {}, table.coordinates};
  for (const auto& c : table.columns) {
    if (!h5::has_link(group, c.name))
      throw std::runtime_error(file.file() + " has no column '" + table.group + "." + c.name + "'");
    h5::Handle d = h5::open_dataset(group, c.name);
    columns.columns.push_back(std::visit([&](auto member) { return read_column(d, c, member); }, c.member));
  }
  return rows_from_table(table, columns);
}

/// The dataset of `metric` ("GROUP.NAME") in `file`, checked against the known results names.
h5::Handle metric_dataset(const h5::Handle& file, const std::string& path, const std::string& metric,
                          std::string& group) {
  const size_t dot = metric.find('.');
  if (dot == std::string::npos) throw std::runtime_error("metric '" + metric + "' is not GROUP.NAME");
  group = metric.substr(0, dot);
  const std::string name = metric.substr(dot + 1);
  const RecordGroupNames known = record_group_names(group);
  if (known.known && std::find(known.names.begin(), known.names.end(), name) == known.names.end())
    throw std::runtime_error("metric '" + metric + "': results have no '" + name + "' in '" + group + "'; " +
                             did_you_mean(name, known.names));
  if (!h5::has_link(file, group)) throw std::runtime_error(path + " has no group '" + group + "'");
  h5::Handle g = h5::open_group(file, group);
  if (!h5::has_link(g, name)) throw std::runtime_error(path + " has no '" + metric + "'");
  return h5::open_dataset(g, name);
}

}  // namespace

std::vector<double> read_metric_values_h5(const std::string& path, const std::string& metric) {
  h5::Handle file = h5::open_file(path);
  std::string group;
  h5::Handle d = metric_dataset(file, path, metric, group);
  return group == "summary" ? std::vector<double>{h5::read_scalar(d)} : h5::read_doubles(d);
}

double read_metric_h5(const std::string& path, const std::string& metric, size_t row) {
  h5::Handle file = h5::open_file(path);
  std::string group;
  h5::Handle d = metric_dataset(file, path, metric, group);
  return group == "summary" ? h5::read_scalar(d) : h5::read_element(d, row);
}

RunRecord read_run_record_h5(const std::string& path) {
  h5::Handle file = h5::open_file(path);
  RunRecord r;
  if (!h5::has_link(file, "summary")) throw std::runtime_error(path + " has no group 'summary'");
  h5::Handle summary = h5::open_group(file, "summary");
  for (const auto& f : summary_fields()) {
    if (!h5::has_link(summary, f.name)) throw std::runtime_error(path + " has no 'summary." + f.name + "'");
    r.summary.*f.member = h5::read_scalar(h5::open_dataset(summary, f.name));
  }
  r.jobs = read_rows(file, job_table());
  r.services = read_rows(file, service_table());
  r.service_samples = read_rows(file, service_sample_table());
  r.switch_tiers = read_rows(file, switch_tier_table());
  r.link_tiers = read_rows(file, link_tier_table());
  r.power_samples = read_rows(file, power_sample_table());
  r.schedule_samples = read_rows(file, schedule_sample_table());
  r.pools = read_rows(file, pool_table());
  r.pool_samples = read_rows(file, pool_sample_table());
  r.power_trace = read_rows(file, power_trace_table());
  r.segments = read_rows(file, segment_table());
  return r;
}

}  // namespace clustersim
