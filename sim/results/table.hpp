#pragma once
/// @file
/// The column-wise image of a results table, as the HDF5 writer takes it: named columns with units and
/// long_name, a dimension, optional CF coordinates. Typed rows turn into it through their column table
/// (sim/results/column_table.hpp); sweep tables are built as such directly.

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace clustersim {

struct ScalarResult {
  std::string name;
  double value = 0;
  std::string units;  ///< "s", "W", "J", "token/s", "1", ...
  std::string long_name;
};

struct ColumnResult {
  std::string name;
  std::string units;  ///< "" for strings and ids
  std::string long_name;
  std::variant<std::vector<double>, std::vector<int64_t>, std::vector<std::string>> values;
  size_t size() const;
};

/// A table: an HDF5 group whose columns share the dimension `dimension` (a dimension scale holding
/// 0..n-1 as int64, named like the dimension). All columns must have the same length.
/// A column named like the dimension (e.g. `time` in s, or `tier` names) becomes the dimension scale
/// itself (a netCDF coordinate variable) instead of the int64 index.
struct TableResult {
  std::string group;      ///< "jobs", "services", "timeseries", "inventory", "runs"
  std::string dimension;  ///< "job", "service", "time", "tier", "run"
  std::vector<ColumnResult> columns;
  std::string coordinates;  ///< optional CF "coordinates" attribute put on every non-listed column
                            ///< (space-separated column names), so xarray promotes them to coordinates
};

/// A 2-D table: variables over (rows x columns), each a 2-D dataset sharing two dimension scales, e.g. the
/// per-service series over (time, service). Written as a group with the coordinate variables `row_dimension`
/// (numbers) and `column_dimension` (names) and one dataset per variable, row by row.
struct GridResult {
  struct Variable {
    std::string name, units, long_name;
    std::vector<double> values;  ///< rows x columns, row by row; NaN where a row has no value for a column
  };
  std::string group;
  ColumnResult rows;     ///< its name is the row dimension ("time"); doubles
  ColumnResult columns;  ///< its name is the column dimension ("service"); strings
  std::vector<Variable> variables;
};

/// `table` (one row per (row key, column key) pair) pivoted into a grid: the distinct values of the number column
/// `row_key` in increasing order, the distinct texts of `column_key` in first-seen order, every other number column
/// (but `skip`) a variable. Pairs that appear twice keep the last row's value.
GridResult pivot(const TableResult& table, const std::string& group, const std::string& row_key,
                 const std::string& column_key, const std::vector<std::string>& skip = {});

}  // namespace clustersim
