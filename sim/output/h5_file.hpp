#pragma once
/// @file
/// A thin RAII layer over the HDF5 C API and hdf5_hl, just wide enough for the results files:
/// move-only handles, every call checked, failures thrown as std::runtime_error naming the file,
/// the object path and the innermost HDF5 error message. The default HDF5 error printing is silenced.

#include <hdf5.h>

#include <cstdint>
#include <string>
#include <vector>

namespace clustersim::h5 {

/// Owns one HDF5 identifier (file, group, dataset, attribute, dataspace, datatype or property
/// list) and closes it on destruction. Move-only. Remembers the file name and object path for
/// error messages.
class Handle {
 public:
  using CloseFn = herr_t (*)(hid_t);

  Handle() = default;
  /// Takes ownership of `id` (must be valid), closed with `close_fn`.
  Handle(hid_t id, CloseFn close_fn, std::string file, std::string path);
  ~Handle();
  Handle(Handle&& other) noexcept;
  Handle& operator=(Handle&& other) noexcept;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  hid_t id() const { return id_; }
  bool valid() const { return id_ >= 0; }
  /// The file this object lives in, as given when it was opened.
  const std::string& file() const { return file_; }
  /// The object path inside the file ("/", "/jobs", "/jobs/name").
  const std::string& path() const { return path_; }
  /// Closes now and throws if HDF5 reports an error (the destructor ignores errors).
  void close();

 private:
  hid_t id_ = H5I_INVALID_HID;
  CloseFn close_ = nullptr;
  std::string file_;
  std::string path_;
};

/// Throws std::runtime_error "HDF5: <what> '<path>' in <file>: <innermost HDF5 message>".
[[noreturn]] void fail(const std::string& what, const std::string& file, const std::string& path);

/// Turns off HDF5's automatic error-stack printing on stderr (idempotent). Called by the openers.
void silence_errors();

/// Creates (truncates) `filename` for writing: link creation order tracked and indexed, library
/// version bounds earliest..v18, close degree "semi" (closing the file with objects open fails).
Handle create_file(const std::string& filename);
/// Creates a file that lives in memory only (HDF5 core driver, no backing store): nothing touches the
/// disk, so a full disk can never leave HDF5 half-closed. Same properties as create_file. Take the bytes
/// with file_image() and write them yourself.
Handle create_memory_file(const std::string& filename);
/// The complete image of an open file (flushed), as written to disk by HDF5.
std::vector<char> file_image(const Handle& file);
/// Opens an existing file read-only.
Handle open_file(const std::string& filename);

/// Creates a child group with link creation order tracked and indexed.
Handle create_group(const Handle& parent, const std::string& name);
Handle open_group(const Handle& parent, const std::string& name);
Handle open_dataset(const Handle& parent, const std::string& name);
/// True if `parent` has a link called `name`.
bool has_link(const Handle& parent, const std::string& name);
/// Child link names in creation order (name order if the group does not index creation order).
std::vector<std::string> link_names(const Handle& group);
/// True if the child `name` of `parent` is a dataset.
bool is_dataset(const Handle& parent, const std::string& name);

/// Writes a 0-D float64 dataset.
Handle write_scalar(const Handle& parent, const std::string& name, double value);
/// Reads a 0-D (or single-element) numeric dataset as double.
double read_scalar(const Handle& dataset);
/// Reads element `row` of a 1-D numeric dataset as double; throws when out of range.
double read_element(const Handle& dataset, size_t row);

/// Reads a whole 1-D column: numbers converted to double or int64 by HDF5; strings must be variable-length.
/// Throws when the dataset is not 1-D or (strings) not a variable-length string.
std::vector<double> read_doubles(const Handle& dataset);
std::vector<int64_t> read_int64s(const Handle& dataset);
std::vector<std::string> read_strings(const Handle& dataset);

/// Writes a 1-D column: float64 / int64 chunked (min(n, 65536)) with shuffle + deflate(4) when
/// n >= 1, contiguous when empty; strings as variable-length UTF-8, contiguous.
Handle write_column(const Handle& parent, const std::string& name, const std::vector<double>& values);
Handle write_column(const Handle& parent, const std::string& name, const std::vector<int64_t>& values);
Handle write_column(const Handle& parent, const std::string& name, const std::vector<std::string>& values);
/// A 2-D float64 dataset of `rows` x `cols`, `values` row by row (chunked by whole rows, shuffled, deflated).
Handle write_matrix(const Handle& parent, const std::string& name, const std::vector<double>& values, size_t rows,
                    size_t cols);

/// Sets (creates or replaces) a scalar attribute: variable-length UTF-8 string or float64.
void set_attr(const Handle& object, const std::string& name, const std::string& value);
void set_attr(const Handle& object, const std::string& name, double value);
bool has_attr(const Handle& object, const std::string& name);
/// Attribute names of `object`, in name order.
std::vector<std::string> attr_names(const Handle& object);
/// What a scalar attribute holds.
enum class AttrKind { kString, kNumber, kOther };
/// kString for a scalar string (variable or fixed length), kNumber for a scalar integer or float,
/// kOther for anything else (arrays, compounds, ...).
AttrKind attr_kind(const Handle& object, const std::string& name);
/// Reads a string attribute (variable or fixed length); throws if it is not a scalar string.
std::string read_string_attr(const Handle& object, const std::string& name);
/// Reads a scalar numeric attribute as double; throws if it is not numeric.
double read_double_attr(const Handle& object, const std::string& name);

/// Makes `dataset` a dimension scale named `dimension` (H5DSset_scale).
void make_dimension_scale(const Handle& dataset, const std::string& dimension);
/// Attaches the dimension scale `scale` to axis `dimension` of `dataset` (H5DSattach_scale).
void attach_dimension_scale(const Handle& dataset, const Handle& scale, unsigned dimension = 0);

}  // namespace clustersim::h5
