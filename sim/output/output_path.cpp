#include "sim/output/output_path.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "sim/results/results.hpp"

namespace clustersim {

namespace fs = std::filesystem;

namespace {

/// True when `a` and `b` name the same file (an existing file: same inode; otherwise the same normal path).
bool same_file(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  if (fs::exists(a, ec) && fs::exists(b, ec)) {
    const bool eq = fs::equivalent(a, b, ec);
    if (!ec) return eq;
  }
  return fs::weakly_canonical(a, ec) == fs::weakly_canonical(b, ec);
}

/// The nearest existing ancestor of `dir` (itself if it exists).
fs::path existing_ancestor(fs::path dir) {
  std::error_code ec;
  while (!dir.empty() && !fs::exists(dir, ec) && dir.has_parent_path() && dir.parent_path() != dir)
    dir = dir.parent_path();
  return dir.empty() ? fs::path(".") : dir;
}

}  // namespace

OutputPathCheck prepare_results_path(const std::string& path, const std::vector<std::string>& inputs) {
  OutputPathCheck out;
  const fs::path target(path);
  std::error_code ec;
  if (path.empty() || !target.has_filename() || fs::is_directory(target, ec)) {
    out.error = "the results file '" + path + "' is a directory";
    out.hint = "give a file name such as results/run.h5";
    return out;
  }
  for (const auto& input : inputs)
    if (!input.empty() && same_file(target, input)) {
      out.error =
          "the results file '" + path + "' is an input of this run ('" + input + "'): writing it would destroy it";
      out.hint = "choose another file name, such as results/run.h5";
      return out;
    }
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  if (!fs::exists(dir, ec)) {
    const fs::path first_missing_parent = existing_ancestor(dir);
    if (fs::exists(first_missing_parent, ec) && !fs::is_directory(first_missing_parent, ec)) {
      out.error = "cannot create the folder '" + dir.string() + "' for the results: '" + first_missing_parent.string() +
                  "' is a file, not a folder";
      out.hint = "choose a results path under an existing folder";
      return out;
    }
    fs::create_directories(dir, ec);
    if (ec) {
      out.error = "cannot create the folder '" + dir.string() + "' for the results: " + ec.message();
      out.hint = "check the path and its permissions, or choose another place with -o";
      return out;
    }
    out.notes.push_back("created the folder '" + dir.string() + "' for the results");
  } else if (!fs::is_directory(dir, ec)) {
    out.error = "cannot write the results file '" + path + "': '" + dir.string() + "' is not a folder";
    out.hint = "choose a results path under an existing folder";
    return out;
  }
  // Probe: create and remove a file of the name the writer will use (access(2) ignores read-only mounts
  // for some file systems and says yes to root everywhere).
  const fs::path probe = dir / results_temp_name(target.filename().string());
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    const int err = errno;
    if (err != EEXIST) {
      out.error = "cannot write the results file '" + path + "': cannot create a file in '" + dir.string() +
                  "': " + std::strerror(err);
      out.hint = "check the folder's permissions and free space, or choose another place with -o";
      return out;
    }
  } else {
    ::close(fd);
    ::unlink(probe.c_str());
  }
  if (fs::exists(target, ec)) out.notes.push_back("replacing the existing file '" + path + "' when the run completes");
  return out;
}

}  // namespace clustersim
