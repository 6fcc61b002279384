#pragma once
/// @file
/// Runs a function in a forked child process and hands back the bytes it returned: for what must run once
/// per process (a SimGrid engine cannot be created twice), as the benchmarks and the engine tests do.

#include <functional>
#include <string>

namespace clustersim {

/// Forks, runs `fn` in the child, and returns what it returned (through a pipe) once the child has exited.
/// Returns "" when the child wrote nothing (it crashed) and "pipe failed" when no pipe could be made.
std::string run_in_child(const std::function<std::string()>& fn);

}  // namespace clustersim
