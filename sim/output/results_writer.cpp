#include "sim/output/results.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <numeric>
#include <set>
#include <sstream>
#include <stdexcept>

#include "sim/output/h5_file.hpp"

namespace clustersim {

size_t ColumnResult::size() const {
  return std::visit([](const auto& v) { return v.size(); }, values);
}

namespace {

namespace fs = std::filesystem;

constexpr const char* kSchema = "clustersim.run/1";

void set_units(const h5::Handle& object, const std::string& units, const std::string& long_name) {
  h5::set_attr(object, "units", units);
  h5::set_attr(object, "long_name", long_name);
}

std::set<std::string> split_words(const std::string& text) {
  std::set<std::string> words;
  std::istringstream in(text);
  for (std::string w; in >> w;)
    words.insert(w);
  return words;
}

/// Throws if the table cannot be written as a netCDF-style group.
void validate_table(const TableResult& table) {
  std::string where = "results table '" + table.group + "'";
  if (table.group.empty() || table.dimension.empty())
    throw std::runtime_error(where + ": group and dimension names must not be empty");
  std::set<std::string> names;
  for (const auto& col : table.columns) {
    if (!names.insert(col.name).second)
      throw std::runtime_error(where + ": duplicate column '" + col.name + "'");
    if (col.size() != table.columns.front().size())
      throw std::runtime_error(where + ": column '" + col.name + "' has " + std::to_string(col.size()) +
                               " rows, column '" + table.columns.front().name + "' has " +
                               std::to_string(table.columns.front().size()));
  }
  for (const auto& c : split_words(table.coordinates))
    if (names.count(c) == 0)
      throw std::runtime_error(where + ": coordinate '" + c + "' is not a column");
}

h5::Handle write_column(const h5::Handle& group, const ColumnResult& col) {
  h5::Handle ds = std::visit([&](const auto& v) { return h5::write_column(group, col.name, v); }, col.values);
  set_units(ds, col.units, col.long_name);
  return ds;
}

/// The dimension scale: the column named like the dimension (a netCDF coordinate variable, e.g.
/// `time` in s or `tier` names; strings work with both xarray engines) if there is one, else an
/// int64 index 0..n-1 with units "1".
h5::Handle write_dimension_scale(const h5::Handle& group, const TableResult& table, size_t rows) {
  for (const auto& col : table.columns)
    if (col.name == table.dimension) {
      h5::Handle scale = write_column(group, col);
      h5::make_dimension_scale(scale, table.dimension);
      return scale;
    }
  std::vector<int64_t> index(rows);
  std::iota(index.begin(), index.end(), int64_t{0});
  h5::Handle scale = h5::write_column(group, table.dimension, index);
  set_units(scale, "1", table.dimension + " index");
  h5::make_dimension_scale(scale, table.dimension);
  return scale;
}

void write_table(const h5::Handle& file, const TableResult& table) {
  validate_table(table);
  size_t rows = table.columns.empty() ? 0 : table.columns.front().size();
  std::set<std::string> coordinates = split_words(table.coordinates);
  h5::Handle group = h5::create_group(file, table.group);
  h5::Handle scale = write_dimension_scale(group, table, rows);
  for (const auto& col : table.columns) {
    if (col.name == table.dimension)
      continue;
    h5::Handle ds = write_column(group, col);
    h5::attach_dimension_scale(ds, scale);
    if (!coordinates.empty() && coordinates.count(col.name) == 0)
      h5::set_attr(ds, "coordinates", table.coordinates);
  }
}

void write_contents(const h5::Handle& file, const RunResults& results) {
  if (results.string_attrs.count("schema") == 0)
    h5::set_attr(file, "schema", std::string(kSchema));
  for (const auto& [name, value] : results.string_attrs)
    h5::set_attr(file, name, value);
  for (const auto& [name, value] : results.numeric_attrs) {
    if (results.string_attrs.count(name) != 0)
      throw std::runtime_error("results attribute '" + name + "' is given both as a string and as a number");
    h5::set_attr(file, name, value);
  }
  h5::Handle summary = h5::create_group(file, "summary");
  for (const auto& s : results.summary)
    set_units(h5::write_scalar(summary, s.name, s.value), s.units, s.long_name);
  for (const auto& table : results.tables)
    write_table(file, table);
}

[[noreturn]] void fail_errno(const std::string& what, const fs::path& path) {
  throw std::runtime_error(what + " '" + path.string() + "': " + std::strerror(errno));
}

void fsync_path(const fs::path& path, int flags) {
  int fd = ::open(path.c_str(), flags);
  if (fd < 0)
    fail_errno("cannot open for fsync", path);
  int rc = ::fsync(fd);
  int fsync_errno = errno;
  ::close(fd);
  // Some filesystems cannot fsync a directory (EINVAL); the rename is then as durable as it gets.
  if (rc != 0 && !((flags & O_DIRECTORY) && fsync_errno == EINVAL)) {
    errno = fsync_errno;
    fail_errno("cannot fsync", path);
  }
}

}  // namespace

void write_results_h5(const RunResults& results, const std::string& path) {
  fs::path target(path);
  if (!target.has_filename())
    throw std::runtime_error("results path '" + path + "' has no file name");
  fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec)
    throw std::runtime_error("cannot create directory '" + dir.string() + "' for results: " + ec.message());
  // The process id keeps concurrent writers of the same file (sweep shards merging) apart.
  fs::path tmp = dir / ("." + target.filename().string() + "." + std::to_string(getpid()) + ".tmp");
  try {
    {
      h5::Handle file = h5::create_file(tmp.string());
      write_contents(file, results);
      file.close();
    }
    fsync_path(tmp, O_RDONLY);
    if (std::rename(tmp.c_str(), target.c_str()) != 0)
      fail_errno("cannot rename '" + tmp.string() + "' to", target);
  } catch (...) {
    fs::remove(tmp, ec);
    throw;
  }
  fsync_path(dir, O_RDONLY | O_DIRECTORY);
}

RunResults read_results_summary_h5(const std::string& path) {
  RunResults results;
  h5::Handle file = h5::open_file(path);
  for (const auto& name : h5::attr_names(file)) {
    h5::AttrKind kind = h5::attr_kind(file, name);
    if (kind == h5::AttrKind::kString)
      results.string_attrs[name] = h5::read_string_attr(file, name);
    else if (kind == h5::AttrKind::kNumber)
      results.numeric_attrs[name] = h5::read_double_attr(file, name);
  }
  if (!h5::has_link(file, "summary"))
    return results;
  h5::Handle summary = h5::open_group(file, "summary");
  for (const auto& name : h5::link_names(summary)) {
    if (!h5::is_dataset(summary, name))
      continue;
    h5::Handle ds = h5::open_dataset(summary, name);
    ScalarResult s{name, h5::read_scalar(ds), "", ""};
    if (h5::has_attr(ds, "units"))
      s.units = h5::read_string_attr(ds, "units");
    if (h5::has_attr(ds, "long_name"))
      s.long_name = h5::read_string_attr(ds, "long_name");
    results.summary.push_back(std::move(s));
  }
  return results;
}

}  // namespace clustersim
