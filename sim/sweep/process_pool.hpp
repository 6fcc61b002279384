#pragma once
/// @file
/// Runs child processes (one SimGrid simulation each) with at most `jobs` at a time.

#include <functional>
#include <string>
#include <vector>

namespace clustersim {

struct ChildCommand {
  std::vector<std::string> argv;  ///< argv[0] is the executable path
  std::string log_path;           ///< stdout and stderr go here
};

/// Runs every command, at most `jobs` at once; returns the exit code of each (-1 when it could not start or
/// died on a signal). `on_done(i, code)` is called as each finishes.
std::vector<int> run_processes(const std::vector<ChildCommand>& commands, int jobs,
                               const std::function<void(size_t, int)>& on_done = {});

}  // namespace clustersim
