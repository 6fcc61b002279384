#pragma once
/// @file
/// Checks, before anything is simulated, that a results file can be written where the user asked: the
/// folder exists or can be created, a file can be created in it, the path is not a folder and is not one of
/// the run's input files. What the check does to the file system (folders created) and what the write will
/// do (replace an existing file) comes back as notes for the user.

#include <string>
#include <vector>

namespace clustersim {

struct OutputPathCheck {
  std::string error;               ///< empty when the results file can be written; else what is wrong
  std::string hint;                ///< how to fix `error`
  std::vector<std::string> notes;  ///< "created the folder 'x' for the results", "replacing the existing file 'x'"
};

/// Checks `path` (creating its missing folders, and probing the folder by creating and removing a temporary
/// file of the name the writer will use). `inputs` are the run's input files (experiment, catalog files,
/// traces): the results file must be none of them (compared as files: links and relative paths do not hide
/// one).
OutputPathCheck prepare_results_path(const std::string& path, const std::vector<std::string>& inputs);

}  // namespace clustersim
