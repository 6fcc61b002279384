#include "sim/results/run_record.hpp"

#include <algorithm>
#include <limits>

namespace clustersim {

namespace {

template <class Row>
bool add_names(const RowTable<Row>& table, const std::string& group, RecordGroupNames& out) {
  if (table.group != group) return false;
  out.known = true;
  out.names = table.names();
  if (table.find(table.dimension) == nullptr) out.names.push_back(table.dimension);
  return true;
}

}  // namespace

GridResult pivot(const TableResult& table, const std::string& group, const std::string& row_key,
                 const std::string& column_key, const std::vector<std::string>& skip) {
  const ColumnResult* row_col = nullptr;
  const ColumnResult* col_col = nullptr;
  for (const auto& c : table.columns) {
    if (c.name == row_key) row_col = &c;
    if (c.name == column_key) col_col = &c;
  }
  GridResult g;
  g.group = group;
  if (row_col == nullptr || col_col == nullptr) return g;
  const auto& row_values = std::get<std::vector<double>>(row_col->values);
  const auto& col_values = std::get<std::vector<std::string>>(col_col->values);
  std::vector<double> rows = row_values;
  std::sort(rows.begin(), rows.end());
  rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
  std::vector<std::string> cols;
  for (const auto& v : col_values)
    if (std::find(cols.begin(), cols.end(), v) == cols.end()) cols.push_back(v);
  g.rows = {row_col->name, row_col->units, row_col->long_name, rows};
  g.columns = {col_col->name, col_col->units, col_col->long_name, cols};
  for (const auto& c : table.columns) {
    if (c.name == row_key || c.name == column_key || std::find(skip.begin(), skip.end(), c.name) != skip.end())
      continue;
    const auto* values = std::get_if<std::vector<double>>(&c.values);
    if (values == nullptr) continue;
    GridResult::Variable v{c.name, c.units, c.long_name,
                           std::vector<double>(rows.size() * cols.size(), std::numeric_limits<double>::quiet_NaN())};
    for (size_t i = 0; i < values->size(); ++i) {
      const size_t r = static_cast<size_t>(std::lower_bound(rows.begin(), rows.end(), row_values[i]) - rows.begin());
      const size_t k = static_cast<size_t>(std::find(cols.begin(), cols.end(), col_values[i]) - cols.begin());
      v.values[r * cols.size() + k] = (*values)[i];
    }
    g.variables.push_back(std::move(v));
  }
  return g;
}

std::vector<GridResult> record_grids(const RunRecord& r) {
  if (r.service_samples.empty()) return {};
  return {pivot(to_table(service_sample_table(), r.service_samples), "service_series", "time", "service", {"sample"})};
}

std::vector<TableResult> record_tables(const RunRecord& r) {
  return {to_table(job_table(), r.jobs),
          to_table(service_table(), r.services),
          to_table(service_sample_table(), r.service_samples),
          to_table(switch_tier_table(), r.switch_tiers),
          to_table(link_tier_table(), r.link_tiers),
          to_table(power_sample_table(), r.power_samples),
          to_table(schedule_sample_table(), r.schedule_samples),
          to_table(segment_table(), r.segments),
          to_table(pool_table(), r.pools),
          to_table(pool_sample_table(), r.pool_samples),
          to_table(power_trace_table(), r.power_trace),
          to_table(failure_table(), r.failures)};
}

std::vector<ScalarResult> record_scalars(const RunRecord& r) { return to_scalars(summary_fields(), r.summary); }

RecordGroupNames record_group_names(const std::string& group) {
  RecordGroupNames out;
  if (group == "summary") {
    out.known = true;
    for (const auto& f : summary_fields()) out.names.push_back(f.name);
    return out;
  }
  add_names(job_table(), group, out) || add_names(service_table(), group, out) ||
      add_names(service_sample_table(), group, out) || add_names(switch_tier_table(), group, out) ||
      add_names(link_tier_table(), group, out) || add_names(power_sample_table(), group, out) ||
      add_names(schedule_sample_table(), group, out) || add_names(segment_table(), group, out) ||
      add_names(pool_table(), group, out) || add_names(pool_sample_table(), group, out) ||
      add_names(failure_table(), group, out);
  return out;
}

}  // namespace clustersim
