#include "sim/output/h5_file.hpp"

#include <hdf5_hl.h>

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace clustersim::h5 {
namespace {

constexpr hsize_t kMaxChunkElements = 65536;
constexpr unsigned kDeflateLevel = 4;

std::string child_path(const Handle& parent, const std::string& name) {
  return parent.path() == "/" ? "/" + name : parent.path() + "/" + name;
}

/// Wraps a freshly returned identifier, throwing if HDF5 signalled an error.
Handle own(hid_t id, Handle::CloseFn close_fn, const std::string& what, const std::string& file,
           const std::string& path) {
  if (id < 0) fail(what, file, path);
  return Handle(id, close_fn, file, path);
}

void check(herr_t status, const std::string& what, const Handle& object) {
  if (status < 0) fail(what, object.file(), object.path());
}

herr_t innermost_message(unsigned n, const H5E_error2_t* err, void* client) {
  auto* msg = static_cast<std::string*>(client);
  if (n == 0 && err->desc != nullptr) *msg = std::string(err->func_name ? err->func_name : "") + ": " + err->desc;
  return 0;
}

Handle utf8_string_type(const Handle& owner) {
  Handle type = own(H5Tcopy(H5T_C_S1), H5Tclose, "cannot copy string type for", owner.file(), owner.path());
  check(H5Tset_size(type.id(), H5T_VARIABLE), "cannot size string type for", owner);
  check(H5Tset_cset(type.id(), H5T_CSET_UTF8), "cannot set UTF-8 on string type for", owner);
  return type;
}

Handle space_1d(const Handle& parent, const std::string& path, hsize_t n) {
  return own(H5Screate_simple(1, &n, nullptr), H5Sclose, "cannot create dataspace for", parent.file(), path);
}

Handle numeric_column_dcpl(const Handle& parent, const std::string& path, hsize_t n) {
  Handle dcpl =
      own(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "cannot create dataset properties for", parent.file(), path);
  if (n == 0) return dcpl;  // an empty dataset stays contiguous: chunk dimensions must be >= 1
  hsize_t chunk = std::min(n, kMaxChunkElements);
  if (H5Pset_chunk(dcpl.id(), 1, &chunk) < 0 || H5Pset_shuffle(dcpl.id()) < 0 ||
      H5Pset_deflate(dcpl.id(), kDeflateLevel) < 0)
    fail("cannot set chunking/compression for", parent.file(), path);
  return dcpl;
}

Handle write_numeric_column(const Handle& parent, const std::string& name, const void* data, hsize_t n, hid_t file_type,
                            hid_t mem_type) {
  std::string path = child_path(parent, name);
  Handle space = space_1d(parent, path, n);
  Handle dcpl = numeric_column_dcpl(parent, path, n);
  Handle ds = own(H5Dcreate2(parent.id(), name.c_str(), file_type, space.id(), H5P_DEFAULT, dcpl.id(), H5P_DEFAULT),
                  H5Dclose, "cannot create dataset", parent.file(), path);
  if (n > 0) check(H5Dwrite(ds.id(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), "cannot write dataset", ds);
  return ds;
}

Handle open_attr(const Handle& object, const std::string& name) {
  return own(H5Aopen(object.id(), name.c_str(), H5P_DEFAULT), H5Aclose, "cannot open attribute '" + name + "' of",
             object.file(), object.path());
}

void write_attr(const Handle& object, const std::string& name, hid_t file_type, hid_t mem_type, const void* data) {
  if (has_attr(object, name))
    check(H5Adelete(object.id(), name.c_str()), "cannot replace attribute '" + name + "' of", object);
  Handle space = own(H5Screate(H5S_SCALAR), H5Sclose, "cannot create dataspace for attribute '" + name + "' of",
                     object.file(), object.path());
  Handle attr = own(H5Acreate2(object.id(), name.c_str(), file_type, space.id(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
                    "cannot create attribute '" + name + "' of", object.file(), object.path());
  check(H5Awrite(attr.id(), mem_type, data), "cannot write attribute '" + name + "' of", object);
}

herr_t collect_link(hid_t, const char* name, const H5L_info_t*, void* client) {
  static_cast<std::vector<std::string>*>(client)->emplace_back(name);
  return 0;
}

herr_t collect_attr(hid_t, const char* name, const H5A_info_t*, void* client) {
  static_cast<std::vector<std::string>*>(client)->emplace_back(name);
  return 0;
}

}  // namespace

Handle::Handle(hid_t id, CloseFn close_fn, std::string file, std::string path)
    : id_(id), close_(close_fn), file_(std::move(file)), path_(std::move(path)) {}

Handle::~Handle() {
  if (id_ >= 0) close_(id_);
}

Handle::Handle(Handle&& other) noexcept
    : id_(std::exchange(other.id_, H5I_INVALID_HID)),
      close_(other.close_),
      file_(std::move(other.file_)),
      path_(std::move(other.path_)) {}

Handle& Handle::operator=(Handle&& other) noexcept {
  if (this != &other) {
    if (id_ >= 0) close_(id_);
    id_ = std::exchange(other.id_, H5I_INVALID_HID);
    close_ = other.close_;
    file_ = std::move(other.file_);
    path_ = std::move(other.path_);
  }
  return *this;
}

void Handle::close() {
  if (id_ < 0) return;
  hid_t id = std::exchange(id_, H5I_INVALID_HID);
  if (close_(id) < 0) fail("cannot close", file_, path_);
}

void fail(const std::string& what, const std::string& file, const std::string& path) {
  std::string detail;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, innermost_message, &detail);
  H5Eclear2(H5E_DEFAULT);
  std::string msg = "HDF5: " + what + " '" + path + "' in " + file;
  if (!detail.empty()) msg += " (" + detail + ")";
  throw std::runtime_error(msg);
}

void silence_errors() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

namespace {
Handle create_file_with(const std::string& filename, bool in_memory) {
  silence_errors();
  Handle fcpl = own(H5Pcreate(H5P_FILE_CREATE), H5Pclose, "cannot create file properties for", filename, "/");
  Handle fapl = own(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, "cannot create file access properties for", filename, "/");
  if (H5Pset_link_creation_order(fcpl.id(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) < 0 ||
      H5Pset_libver_bounds(fapl.id(), H5F_LIBVER_EARLIEST, H5F_LIBVER_V18) < 0 ||
      H5Pset_fclose_degree(fapl.id(), H5F_CLOSE_SEMI) < 0)
    fail("cannot set file properties for", filename, "/");
  constexpr size_t kCoreIncrement = size_t{1} << 20;
  if (in_memory && H5Pset_fapl_core(fapl.id(), kCoreIncrement, /*backing_store=*/0) < 0)
    fail("cannot select the in-memory driver for", filename, "/");
  return own(H5Fcreate(filename.c_str(), H5F_ACC_TRUNC, fcpl.id(), fapl.id()), H5Fclose, "cannot create file", filename,
             "/");
}
}  // namespace

Handle create_file(const std::string& filename) { return create_file_with(filename, false); }

Handle create_memory_file(const std::string& filename) { return create_file_with(filename, true); }

std::vector<char> file_image(const Handle& file) {
  if (H5Fflush(file.id(), H5F_SCOPE_GLOBAL) < 0) fail("cannot flush", file.file(), file.path());
  const ssize_t size = H5Fget_file_image(file.id(), nullptr, 0);
  if (size < 0) fail("cannot size the image of", file.file(), file.path());
  std::vector<char> image(static_cast<size_t>(size));
  if (H5Fget_file_image(file.id(), image.data(), image.size()) != size)
    fail("cannot copy the image of", file.file(), file.path());
  return image;
}

Handle open_file(const std::string& filename) {
  silence_errors();
  return own(H5Fopen(filename.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, "cannot open file", filename, "/");
}

Handle create_group(const Handle& parent, const std::string& name) {
  std::string path = child_path(parent, name);
  Handle gcpl = own(H5Pcreate(H5P_GROUP_CREATE), H5Pclose, "cannot create group properties for", parent.file(), path);
  if (H5Pset_link_creation_order(gcpl.id(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) < 0)
    fail("cannot set creation order for", parent.file(), path);
  return own(H5Gcreate2(parent.id(), name.c_str(), H5P_DEFAULT, gcpl.id(), H5P_DEFAULT), H5Gclose,
             "cannot create group", parent.file(), path);
}

Handle open_group(const Handle& parent, const std::string& name) {
  return own(H5Gopen2(parent.id(), name.c_str(), H5P_DEFAULT), H5Gclose, "cannot open group", parent.file(),
             child_path(parent, name));
}

Handle open_dataset(const Handle& parent, const std::string& name) {
  return own(H5Dopen2(parent.id(), name.c_str(), H5P_DEFAULT), H5Dclose, "cannot open dataset", parent.file(),
             child_path(parent, name));
}

bool has_link(const Handle& parent, const std::string& name) {
  htri_t exists = H5Lexists(parent.id(), name.c_str(), H5P_DEFAULT);
  if (exists < 0) fail("cannot look up link", parent.file(), child_path(parent, name));
  return exists > 0;
}

std::vector<std::string> link_names(const Handle& group) {
  std::vector<std::string> names;
  if (H5Literate(group.id(), H5_INDEX_CRT_ORDER, H5_ITER_INC, nullptr, collect_link, &names) >= 0) return names;
  H5Eclear2(H5E_DEFAULT);  // creation order not indexed in this group: fall back to name order
  names.clear();
  check(H5Literate(group.id(), H5_INDEX_NAME, H5_ITER_INC, nullptr, collect_link, &names), "cannot list links of",
        group);
  return names;
}

bool is_dataset(const Handle& parent, const std::string& name) {
  Handle object = own(H5Oopen(parent.id(), name.c_str(), H5P_DEFAULT), H5Oclose, "cannot open object", parent.file(),
                      child_path(parent, name));
  return H5Iget_type(object.id()) == H5I_DATASET;
}

Handle write_scalar(const Handle& parent, const std::string& name, double value) {
  std::string path = child_path(parent, name);
  Handle space = own(H5Screate(H5S_SCALAR), H5Sclose, "cannot create dataspace for", parent.file(), path);
  Handle ds =
      own(H5Dcreate2(parent.id(), name.c_str(), H5T_IEEE_F64LE, space.id(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
          H5Dclose, "cannot create dataset", parent.file(), path);
  check(H5Dwrite(ds.id(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, &value), "cannot write dataset", ds);
  return ds;
}

double read_scalar(const Handle& dataset) {
  Handle space = own(H5Dget_space(dataset.id()), H5Sclose, "cannot get dataspace of", dataset.file(), dataset.path());
  if (H5Sget_simple_extent_npoints(space.id()) != 1)
    throw std::runtime_error("HDF5: dataset '" + dataset.path() + "' in " + dataset.file() + " is not a single value");
  double value = 0;
  check(H5Dread(dataset.id(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, &value), "cannot read dataset",
        dataset);
  return value;
}

double read_element(const Handle& dataset, size_t row) {
  Handle space = own(H5Dget_space(dataset.id()), H5Sclose, "cannot get dataspace of", dataset.file(), dataset.path());
  const hssize_t n = H5Sget_simple_extent_npoints(space.id());
  if (n < 0 || row >= static_cast<size_t>(n))
    throw std::runtime_error("HDF5: dataset '" + dataset.path() + "' in " + dataset.file() + " has no row " +
                             std::to_string(row));
  const hsize_t start = row, count = 1;
  check(H5Sselect_hyperslab(space.id(), H5S_SELECT_SET, &start, nullptr, &count, nullptr), "cannot select in", dataset);
  Handle mem = own(H5Screate_simple(1, &count, nullptr), H5Sclose, "cannot create dataspace for", dataset.file(),
                   dataset.path());
  double value = 0;
  check(H5Dread(dataset.id(), H5T_NATIVE_DOUBLE, mem.id(), space.id(), H5P_DEFAULT, &value), "cannot read dataset",
        dataset);
  return value;
}

namespace {

hsize_t column_length(const Handle& dataset) {
  Handle space = own(H5Dget_space(dataset.id()), H5Sclose, "cannot get dataspace of", dataset.file(), dataset.path());
  if (H5Sget_simple_extent_ndims(space.id()) != 1)
    throw std::runtime_error("HDF5: dataset '" + dataset.path() + "' in " + dataset.file() + " is not a column");
  hsize_t n = 0;
  H5Sget_simple_extent_dims(space.id(), &n, nullptr);
  return n;
}

template <typename T>
std::vector<T> read_numbers(const Handle& dataset, hid_t mem_type) {
  std::vector<T> values(column_length(dataset));
  if (!values.empty())
    check(H5Dread(dataset.id(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "cannot read dataset",
          dataset);
  return values;
}

}  // namespace

std::vector<double> read_doubles(const Handle& dataset) { return read_numbers<double>(dataset, H5T_NATIVE_DOUBLE); }

std::vector<int64_t> read_int64s(const Handle& dataset) { return read_numbers<int64_t>(dataset, H5T_NATIVE_INT64); }

std::vector<std::string> read_strings(const Handle& dataset) {
  const hsize_t n = column_length(dataset);
  Handle file_type = own(H5Dget_type(dataset.id()), H5Tclose, "cannot get type of", dataset.file(), dataset.path());
  if (H5Tget_class(file_type.id()) != H5T_STRING || H5Tis_variable_str(file_type.id()) <= 0)
    throw std::runtime_error("HDF5: dataset '" + dataset.path() + "' in " + dataset.file() +
                             " is not a variable-length string column");
  std::vector<std::string> values;
  if (n == 0) return values;
  Handle mem_type = utf8_string_type(dataset);
  std::vector<char*> ptrs(n, nullptr);
  check(H5Dread(dataset.id(), mem_type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()), "cannot read dataset",
        dataset);
  for (char* p : ptrs) values.emplace_back(p ? p : "");
  Handle space = own(H5Dget_space(dataset.id()), H5Sclose, "cannot get dataspace of", dataset.file(), dataset.path());
  H5Dvlen_reclaim(mem_type.id(), space.id(), H5P_DEFAULT, ptrs.data());
  return values;
}

Handle write_column(const Handle& parent, const std::string& name, const std::vector<double>& values) {
  return write_numeric_column(parent, name, values.data(), values.size(), H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE);
}

Handle write_column(const Handle& parent, const std::string& name, const std::vector<int64_t>& values) {
  return write_numeric_column(parent, name, values.data(), values.size(), H5T_STD_I64LE, H5T_NATIVE_INT64);
}

Handle write_column(const Handle& parent, const std::string& name, const std::vector<std::string>& values) {
  std::string path = child_path(parent, name);
  Handle type = utf8_string_type(parent);
  Handle space = space_1d(parent, path, values.size());
  Handle ds = own(H5Dcreate2(parent.id(), name.c_str(), type.id(), space.id(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                  H5Dclose, "cannot create dataset", parent.file(), path);
  if (!values.empty()) {
    std::vector<const char*> ptrs;
    ptrs.reserve(values.size());
    for (const auto& v : values) ptrs.push_back(v.c_str());
    check(H5Dwrite(ds.id(), type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()), "cannot write dataset", ds);
  }
  return ds;
}

Handle write_matrix(const Handle& parent, const std::string& name, const std::vector<double>& values, size_t rows,
                    size_t cols) {
  std::string path = child_path(parent, name);
  if (values.size() != rows * cols) fail("matrix of the wrong size for", parent.file(), path);
  const hsize_t dims[2] = {rows, cols};
  Handle space = own(H5Screate_simple(2, dims, nullptr), H5Sclose, "cannot create dataspace for", parent.file(), path);
  Handle dcpl =
      own(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "cannot create dataset properties for", parent.file(), path);
  if (rows > 0 && cols > 0) {  // chunks of whole rows (time steps), as many as fit kMaxChunkElements
    const hsize_t chunk[2] = {std::max<hsize_t>(1, std::min<hsize_t>(rows, kMaxChunkElements / cols)), cols};
    if (H5Pset_chunk(dcpl.id(), 2, chunk) < 0 || H5Pset_shuffle(dcpl.id()) < 0 ||
        H5Pset_deflate(dcpl.id(), kDeflateLevel) < 0)
      fail("cannot set chunking/compression for", parent.file(), path);
  }
  Handle ds =
      own(H5Dcreate2(parent.id(), name.c_str(), H5T_IEEE_F64LE, space.id(), H5P_DEFAULT, dcpl.id(), H5P_DEFAULT),
          H5Dclose, "cannot create dataset", parent.file(), path);
  if (!values.empty())
    check(H5Dwrite(ds.id(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "cannot write dataset",
          ds);
  return ds;
}

void set_attr(const Handle& object, const std::string& name, const std::string& value) {
  Handle type = utf8_string_type(object);
  const char* ptr = value.c_str();
  write_attr(object, name, type.id(), type.id(), &ptr);
}

void set_attr(const Handle& object, const std::string& name, double value) {
  write_attr(object, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &value);
}

bool has_attr(const Handle& object, const std::string& name) {
  htri_t exists = H5Aexists(object.id(), name.c_str());
  if (exists < 0) fail("cannot look up attribute '" + name + "' of", object.file(), object.path());
  return exists > 0;
}

std::vector<std::string> attr_names(const Handle& object) {
  std::vector<std::string> names;
  check(H5Aiterate2(object.id(), H5_INDEX_NAME, H5_ITER_INC, nullptr, collect_attr, &names),
        "cannot list attributes of", object);
  return names;
}

AttrKind attr_kind(const Handle& object, const std::string& name) {
  Handle attr = open_attr(object, name);
  Handle type = own(H5Aget_type(attr.id()), H5Tclose, "cannot get type of attribute '" + name + "' of", object.file(),
                    object.path());
  Handle space = own(H5Aget_space(attr.id()), H5Sclose, "cannot get dataspace of attribute '" + name + "' of",
                     object.file(), object.path());
  if (H5Sget_simple_extent_npoints(space.id()) != 1) return AttrKind::kOther;
  switch (H5Tget_class(type.id())) {
    case H5T_STRING: return AttrKind::kString;
    case H5T_INTEGER:
    case H5T_FLOAT: return AttrKind::kNumber;
    default: return AttrKind::kOther;
  }
}

std::string read_string_attr(const Handle& object, const std::string& name) {
  if (attr_kind(object, name) != AttrKind::kString)
    throw std::runtime_error("HDF5: attribute '" + name + "' of '" + object.path() + "' in " + object.file() +
                             " is not a scalar string");
  Handle attr = open_attr(object, name);
  Handle file_type = own(H5Aget_type(attr.id()), H5Tclose, "cannot get type of attribute '" + name + "' of",
                         object.file(), object.path());
  htri_t variable = H5Tis_variable_str(file_type.id());
  if (variable < 0) fail("cannot inspect type of attribute '" + name + "' of", object.file(), object.path());
  Handle mem_type = own(H5Tcopy(file_type.id()), H5Tclose, "cannot copy type of attribute '" + name + "' of",
                        object.file(), object.path());
  if (variable > 0) {
    char* ptr = nullptr;
    check(H5Aread(attr.id(), mem_type.id(), &ptr), "cannot read attribute '" + name + "' of", object);
    std::string value = ptr ? ptr : "";
    H5free_memory(ptr);
    return value;
  }
  std::string buffer(H5Tget_size(file_type.id()), '\0');
  check(H5Aread(attr.id(), mem_type.id(), buffer.data()), "cannot read attribute '" + name + "' of", object);
  buffer.erase(std::find(buffer.begin(), buffer.end(), '\0'), buffer.end());  // null-terminated or null-padded
  if (H5Tget_strpad(file_type.id()) == H5T_STR_SPACEPAD) buffer.erase(buffer.find_last_not_of(' ') + 1);
  return buffer;
}

double read_double_attr(const Handle& object, const std::string& name) {
  if (attr_kind(object, name) != AttrKind::kNumber)
    throw std::runtime_error("HDF5: attribute '" + name + "' of '" + object.path() + "' in " + object.file() +
                             " is not a numeric scalar");
  Handle attr = open_attr(object, name);
  double value = 0;
  check(H5Aread(attr.id(), H5T_NATIVE_DOUBLE, &value), "cannot read attribute '" + name + "' of", object);
  return value;
}

void make_dimension_scale(const Handle& dataset, const std::string& dimension) {
  check(H5DSset_scale(dataset.id(), dimension.c_str()), "cannot make a dimension scale of", dataset);
}

void attach_dimension_scale(const Handle& dataset, const Handle& scale, unsigned dimension) {
  check(H5DSattach_scale(dataset.id(), scale.id(), dimension),
        "cannot attach dimension scale '" + scale.path() + "' to", dataset);
}

}  // namespace clustersim::h5
