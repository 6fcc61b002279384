#pragma once
// Helpers for unit tests that load experiments written in the test: the text to a file named by process (ctest
// runs tests side by side), one edit of the text, and the loader's diagnostics.

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "common/diagnostics.hpp"
#include "sim/setup/feasibility.hpp"  // load_experiment with the physical checks

namespace clustersim::test {

/// Writes `yaml` to <temp>/clustersim_<stem>_<pid>.yaml and returns the path.
inline std::string write_experiment(const std::string& yaml, const std::string& stem) {
  const auto path =
      std::filesystem::path(testing::TempDir()) / ("clustersim_" + stem + "_" + std::to_string(getpid()) + ".yaml");
  std::ofstream(path) << yaml;
  return path.string();
}

/// `s` with its first `from` replaced by `to` (unchanged when absent).
inline std::string replace_first(std::string s, const std::string& from, const std::string& to) {
  const size_t at = s.find(from);
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

/// The loader's diagnostics for `yaml`, "" when it loads.
inline std::string load_error(const std::string& yaml, const std::string& stem) {
  try {
    load_experiment(write_experiment(yaml, stem));
    return "";
  } catch (const ConfigError& e) {
    return e.what();
  }
}

}  // namespace clustersim::test
