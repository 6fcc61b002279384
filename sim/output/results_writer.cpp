#include "sim/results/results.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <numeric>
#include <set>
#include <sstream>
#include <stdexcept>

#include "common/units.hpp"
#include "sim/output/h5_file.hpp"

namespace clustersim {

size_t ColumnResult::size() const {
  return std::visit([](const auto& v) { return v.size(); }, values);
}

namespace {

namespace fs = std::filesystem;

constexpr const char* kSchema = "clustersim.run/1";

/// `units` in UDUNITS-2 spelling (CF), the declared spelling as `clustersim_units` where they differ; text (no
/// units declared) gets none (CF: a string variable has no units).
void set_units(const h5::Handle& object, const std::string& units, const std::string& long_name) {
  const std::string cf = udunits_spelling(units);
  if (!cf.empty()) h5::set_attr(object, "units", cf);
  if (cf != units) h5::set_attr(object, "clustersim_units", units);
  h5::set_attr(object, "long_name", long_name);
}

std::set<std::string> split_words(const std::string& text) {
  std::set<std::string> words;
  std::istringstream in(text);
  for (std::string w; in >> w;) words.insert(w);
  return words;
}

/// Throws if the table cannot be written as a netCDF-style group.
void validate_table(const TableResult& table) {
  std::string where = "results table '" + table.group + "'";
  if (table.group.empty() || table.dimension.empty())
    throw std::runtime_error(where + ": group and dimension names must not be empty");
  std::set<std::string> names;
  for (const auto& col : table.columns) {
    if (!names.insert(col.name).second) throw std::runtime_error(where + ": duplicate column '" + col.name + "'");
    if (col.size() != table.columns.front().size())
      throw std::runtime_error(where + ": column '" + col.name + "' has " + std::to_string(col.size()) +
                               " rows, column '" + table.columns.front().name + "' has " +
                               std::to_string(table.columns.front().size()));
  }
  for (const auto& c : split_words(table.coordinates))
    if (names.count(c) == 0) throw std::runtime_error(where + ": coordinate '" + c + "' is not a column");
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
    if (col.name == table.dimension) continue;
    h5::Handle ds = write_column(group, col);
    h5::attach_dimension_scale(ds, scale);
    if (!coordinates.empty() && coordinates.count(col.name) == 0) h5::set_attr(ds, "coordinates", table.coordinates);
  }
}

/// A grid (table.hpp GridResult): its two coordinate variables as dimension scales, each variable 2-D over them.
void write_grid(const h5::Handle& file, const GridResult& grid) {
  h5::Handle group = h5::create_group(file, grid.group);
  h5::Handle rows = write_column(group, grid.rows);
  h5::make_dimension_scale(rows, grid.rows.name);
  h5::Handle cols = write_column(group, grid.columns);
  h5::make_dimension_scale(cols, grid.columns.name);
  const size_t n_rows = grid.rows.size(), n_cols = grid.columns.size();
  for (const auto& v : grid.variables) {
    h5::Handle ds = h5::write_matrix(group, v.name, v.values, n_rows, n_cols);
    set_units(ds, v.units, v.long_name);
    h5::attach_dimension_scale(ds, rows, 0);
    h5::attach_dimension_scale(ds, cols, 1);
  }
}

void write_contents(const h5::Handle& file, const RunResults& results) {
  if (results.string_attrs.count("schema") == 0) h5::set_attr(file, "schema", std::string(kSchema));
  // CF: units in UDUNITS-2 spelling (set_units), a long_name on every variable, names as auxiliary coordinates
  // (the tables' `coordinates`); groups as CF 1.8+ allows. Times are elapsed seconds of the run, not dates.
  if (results.string_attrs.count("Conventions") == 0) h5::set_attr(file, "Conventions", std::string("CF-1.10"));
  for (const auto& [name, value] : results.string_attrs) h5::set_attr(file, name, value);
  for (const auto& [name, value] : results.numeric_attrs) {
    if (results.string_attrs.count(name) != 0)
      throw std::runtime_error("results attribute '" + name + "' is given both as a string and as a number");
    h5::set_attr(file, name, value);
  }
  // A simulation's record first, each table through its column table; then what else the results carry.
  std::vector<ScalarResult> scalars = results.record ? record_scalars(*results.record) : std::vector<ScalarResult>{};
  scalars.insert(scalars.end(), results.summary.begin(), results.summary.end());
  std::vector<TableResult> tables = results.record ? record_tables(*results.record) : std::vector<TableResult>{};
  tables.insert(tables.end(), results.tables.begin(), results.tables.end());
  h5::Handle summary = h5::create_group(file, "summary");
  for (const auto& s : scalars) set_units(h5::write_scalar(summary, s.name, s.value), s.units, s.long_name);
  for (const auto& table : tables) write_table(file, table);
  if (results.record)
    for (const auto& grid : record_grids(*results.record)) write_grid(file, grid);
}

[[noreturn]] void fail_errno(const std::string& what, const fs::path& path) {
  throw std::runtime_error(what + " '" + path.string() + "': " + std::strerror(errno));
}

void fsync_path(const fs::path& path, int flags) {
  int fd = ::open(path.c_str(), flags);
  if (fd < 0) fail_errno("cannot open for fsync", path);
  int rc = ::fsync(fd);
  int fsync_errno = errno;
  ::close(fd);
  // Some filesystems cannot fsync a directory (EINVAL); the rename is then as durable as it gets.
  if (rc != 0 && !((flags & O_DIRECTORY) && fsync_errno == EINVAL)) {
    errno = fsync_errno;
    fail_errno("cannot fsync", path);
  }
}

/// The host name up to its first dot, with dots and slashes kept out (it goes into a file name).
std::string short_host_name() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0 || buf[0] == '\0') return "localhost";
  std::string host(buf);
  host = host.substr(0, host.find('.'));
  std::replace(host.begin(), host.end(), '/', '_');
  return host;
}

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

bool process_alive(pid_t pid) { return ::kill(pid, 0) == 0 || errno == EPERM; }

/// An error while writing the bytes of the results file: the machine's fault, not the experiment's.
[[noreturn]] void fail_write(int err, const fs::path& target, size_t bytes) {
  std::string msg = "cannot write the results file '" + target.string() + "' (" + std::to_string(bytes) +
                    " bytes): " + std::strerror(err) + "; nothing was written there";
  if (err == ENOSPC || err == EDQUOT || err == EFBIG)
    msg +=
        ". The disk (or your quota or file-size limit) is full: this is a problem of the machine, not of the "
        "experiment. Free some space or write elsewhere with -o";
  throw std::runtime_error(msg);
}

/// Writes `image` to `tmp` (created or truncated) and fsyncs it; on failure removes `tmp` and throws.
void write_image(const std::vector<char>& image, const fs::path& tmp, const fs::path& target) {
  // A file-size limit (ulimit -f) must give EFBIG, not kill the process with SIGXFSZ.
  struct SigxfszIgnored {
    void (*previous)(int) = std::signal(SIGXFSZ, SIG_IGN);
    ~SigxfszIgnored() { std::signal(SIGXFSZ, previous); }
  } ignored;
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail_write(errno, target, image.size());
  int err = 0;
  for (size_t done = 0; done < image.size() && err == 0;) {
    const ssize_t n = ::write(fd, image.data() + done, image.size() - done);
    if (n > 0)
      done += static_cast<size_t>(n);
    else if (n < 0 && errno != EINTR)
      err = errno;
    else if (n == 0)
      err = EIO;
  }
  if (err == 0 && ::fsync(fd) != 0) err = errno;
  if (::close(fd) != 0 && err == 0) err = errno;  // NFS reports a full disk at close
  if (err != 0) {
    ::unlink(tmp.c_str());
    fail_write(err, target, image.size());
  }
}

}  // namespace

std::string results_temp_name(const std::string& filename) {
  return "." + filename + "." + short_host_name() + "." + std::to_string(getpid()) + ".tmp";
}

std::vector<std::string> remove_stale_temporaries(const std::string& dir) {
  std::vector<std::string> removed;
  std::error_code ec;
  const std::string host = short_host_name();
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    // .NAME.HOST.PID.tmp (or .NAME.h5.PID.tmp, written before the host was part of the name)
    if (name.size() < 6 || name[0] != '.' || name.compare(name.size() - 4, 4, ".tmp") != 0) continue;
    const std::string stem = name.substr(0, name.size() - 4);
    const size_t pid_dot = stem.rfind('.');
    if (pid_dot == std::string::npos || pid_dot == 0 || !all_digits(stem.substr(pid_dot + 1))) continue;
    const size_t host_dot = stem.rfind('.', pid_dot - 1);
    if (host_dot == std::string::npos || host_dot == 0) continue;
    const std::string writer_host = stem.substr(host_dot + 1, pid_dot - host_dot - 1);
    if (writer_host != host && writer_host != "h5")
      continue;  // another machine's writer (a shared file system): its pid means nothing here
    const std::string pid_text = stem.substr(pid_dot + 1);
    if (pid_text.size() > 9) continue;
    const pid_t pid = static_cast<pid_t>(std::stol(pid_text));
    if (pid <= 0 || pid == getpid() || process_alive(pid)) continue;
    std::error_code rm;
    if (fs::remove(it->path(), rm)) removed.push_back(it->path().string());
  }
  return removed;
}

void write_results_h5(const RunResults& results, const std::string& path) {
  fs::path target(path);
  if (!target.has_filename()) throw std::runtime_error("results path '" + path + "' has no file name");
  fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw std::runtime_error("cannot create directory '" + dir.string() + "' for results: " + ec.message());
  for (const auto& stale : remove_stale_temporaries(dir.string()))
    std::fprintf(stderr, "clustersim: removed the stale temporary file '%s' (the process that wrote it is gone)\n",
                 stale.c_str());
  // The host and process id keep concurrent writers of the same file (sweep shards merging) apart and tell
  // a later writer whether the temporary file is stale.
  fs::path tmp = dir / results_temp_name(target.filename().string());
  // The file is built in memory, then written with plain write(2): a full disk is an error we report,
  // never a half-closed HDF5 file (HDF5 1.10 crashed in its exit handlers after a failed close).
  std::vector<char> image;
  {
    h5::Handle file = h5::create_memory_file(tmp.string());
    write_contents(file, results);
    image = h5::file_image(file);
    file.close();
  }
  write_image(image, tmp, target);
  if (std::rename(tmp.c_str(), target.c_str()) != 0) {
    const int err = errno;
    fs::remove(tmp, ec);
    errno = err;
    fail_errno("cannot rename '" + tmp.string() + "' to", target);
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
  if (!h5::has_link(file, "summary")) return results;
  h5::Handle summary = h5::open_group(file, "summary");
  for (const auto& name : h5::link_names(summary)) {
    if (!h5::is_dataset(summary, name)) continue;
    h5::Handle ds = h5::open_dataset(summary, name);
    ScalarResult s{name, h5::read_scalar(ds), "", ""};
    if (h5::has_attr(ds, "clustersim_units"))
      s.units = h5::read_string_attr(ds, "clustersim_units");
    else if (h5::has_attr(ds, "units"))
      s.units = h5::read_string_attr(ds, "units");
    if (h5::has_attr(ds, "long_name")) s.long_name = h5::read_string_attr(ds, "long_name");
    results.summary.push_back(std::move(s));
  }
  return results;
}

}  // namespace clustersim
