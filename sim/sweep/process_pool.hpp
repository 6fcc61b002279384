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
/// died on a signal). `on_start(i)` is called as each starts, `on_done(i, code)` as each finishes.
/// SIGINT, SIGTERM or SIGHUP while they run stops the children too (SIGTERM, then SIGKILL after 2 s), and then
/// this process dies of that signal (nothing after it, such as a merge, runs). Each child also gets SIGTERM
/// if this process dies for any reason (PR_SET_PDEATHSIG), so no point runs on as an orphan.
std::vector<int> run_processes(const std::vector<ChildCommand>& commands, int jobs,
                               const std::function<void(size_t, int)>& on_done = {},
                               const std::function<void(size_t)>& on_start = {});

}  // namespace clustersim
