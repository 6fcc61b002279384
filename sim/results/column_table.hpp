#pragma once
/// @file
/// Typed result rows and their column tables. A results table is a `std::vector<Row>` of a plain struct
/// (JobRow, ServiceRow, ...) plus ONE column table that says, for each HDF5 column, its dataset name, its
/// `units` and `long_name` attributes and the member it comes from:
///
///     const RowTable<JobRow>& job_table() {
///       static const RowTable<JobRow> t{"jobs", "job", {
///           text("name", "training job name", &JobRow::name),
///           number("step_time", "s", "mean step time (detailed steps)", &JobRow::step_time_s), ...}};
///       return t;
///     }
///
/// The writer (to_table), the reader (rows_from_table, read_run_record_h5) and the metric-name checks all
/// go through that one table, so a dataset name lives in one place and code reads members (a typo does not
/// compile). The member type gives the HDF5 dtype: double -> float64, int64_t -> int64, std::string ->
/// variable-length UTF-8. To add a column: a member in the row struct, one line in its column table, and
/// the line that fills it (sim/engine/results_builder.cpp or service_results.cpp).

#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "sim/results/table.hpp"

namespace clustersim {

/// The value of a number nobody set (an empty percentile, a job that never finished a step).
inline constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

/// One column: dataset name, `units` attribute, `long_name` attribute, and the member of Row it holds.
template <class Row>
struct Column {
  std::string name;
  std::string units;  ///< UDUNITS symbol: "s", "W", "J", "bit/s", "1" (counts), "" (strings)
  std::string long_name;
  std::variant<double Row::*, int64_t Row::*, std::string Row::*> member;
};

/// A number with units (float64).
template <class Row>
Column<Row> number(std::string name, std::string units, std::string long_name, double Row::*member) {
  return {std::move(name), std::move(units), std::move(long_name), member};
}

/// An integer count (int64, units "1").
template <class Row>
Column<Row> count(std::string name, std::string long_name, int64_t Row::*member) {
  return {std::move(name), "1", std::move(long_name), member};
}

/// A string (variable-length UTF-8, units "").
template <class Row>
Column<Row> text(std::string name, std::string long_name, std::string Row::*member) {
  return {std::move(name), "", std::move(long_name), member};
}

/// The HDF5 group of a table of Row: group name, dimension name, columns in file order, and the optional CF
/// `coordinates` attribute (see TableResult).
template <class Row>
struct RowTable {
  std::string group;
  std::string dimension;
  std::vector<Column<Row>> columns;
  std::string coordinates = {};

  /// The column named `name`, nullptr if none.
  const Column<Row>* find(const std::string& name) const {
    for (const auto& c : columns)
      if (c.name == name) return &c;
    return nullptr;
  }

  /// Column names in file order.
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& c : columns) out.push_back(c.name);
    return out;
  }
};

/// The rows as the writer's column-wise TableResult: one ColumnResult per column, in table order.
template <class Row>
TableResult to_table(const RowTable<Row>& table, const std::vector<Row>& rows) {
  TableResult out{table.group, table.dimension, {}, table.coordinates};
  for (const auto& c : table.columns) {
    ColumnResult col{c.name, c.units, c.long_name, {}};
    std::visit(
        [&](auto member) {
          using Value = std::decay_t<decltype(std::declval<const Row&>().*member)>;
          std::vector<Value> values;
          values.reserve(rows.size());
          for (const Row& r : rows) values.push_back(r.*member);
          col.values = std::move(values);
        },
        c.member);
    out.columns.push_back(std::move(col));
  }
  return out;
}

/// The rows back from a column-wise table (the inverse of to_table). Every column of `table` must be
/// present in `columns` with the member's value type and the same length; extra columns are ignored.
/// Throws std::runtime_error naming the group and column otherwise.
template <class Row>
std::vector<Row> rows_from_table(const RowTable<Row>& table, const TableResult& columns) {
  std::vector<Row> rows;
  bool sized = false;
  for (const auto& c : table.columns) {
    const ColumnResult* found = nullptr;
    for (const auto& col : columns.columns)
      if (col.name == c.name) found = &col;
    if (found == nullptr)
      throw std::runtime_error("results table '" + table.group + "' has no column '" + c.name + "'");
    std::visit(
        [&](auto member) {
          using Value = std::decay_t<decltype(std::declval<const Row&>().*member)>;
          const auto* values = std::get_if<std::vector<Value>>(&found->values);
          if (values == nullptr)
            throw std::runtime_error("results column '" + table.group + "/" + c.name + "' has the wrong type");
          if (!sized) {
            rows.resize(values->size());
            sized = true;
          }
          if (values->size() != rows.size())
            throw std::runtime_error("results column '" + table.group + "/" + c.name + "' has " +
                                     std::to_string(values->size()) + " rows, expected " + std::to_string(rows.size()));
          for (size_t i = 0; i < rows.size(); ++i) rows[i].*member = (*values)[i];
        },
        c.member);
  }
  return rows;
}

/// One 0-D dataset of /summary: name, units, long_name and the member of Summary it holds.
template <class Summary>
struct ScalarField {
  std::string name;
  std::string units;
  std::string long_name;
  double Summary::*member;
};

/// The summary as /summary scalars, in field order.
template <class Summary>
std::vector<ScalarResult> to_scalars(const std::vector<ScalarField<Summary>>& fields, const Summary& s) {
  std::vector<ScalarResult> out;
  for (const auto& f : fields) out.push_back({f.name, s.*f.member, f.units, f.long_name});
  return out;
}

}  // namespace clustersim
