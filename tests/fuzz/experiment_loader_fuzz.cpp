/// @file
/// libFuzzer target for the experiment loader (issue 17): every input goes through load_experiment() as an
/// experiment file, with the shipped catalog. An input error must come back as ConfigError; a crash, a sanitizer
/// finding (ASan, UBSan), a timeout or running out of memory is a defect. With CLUSTERSIM_FUZZ_STRICT=1 any other
/// exception (e.g. yaml-cpp's "bad conversion", which the CLI reports without a location, exit 1) aborts too.
/// Built with -DCLUSTERSIM_FUZZ=ON and clang; see tests/fuzz/CMakeLists.txt.

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <string>

#include "common/diagnostics.hpp"
#include "sim/config/experiment_loader.hpp"
#include "sim/setup/feasibility.hpp"

namespace {

/// One file per fuzzing process (forked workers each get their own).
const std::string& input_path() {
  static const std::string path = [] {
    const char* tmp = std::getenv("TMPDIR");
    return std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/clustersim-fuzz-" + std::to_string(getpid()) +
           ".yaml";
  }();
  return path;
}

bool strict() {
  static const bool on = [] {
    const char* s = std::getenv("CLUSTERSIM_FUZZ_STRICT");
    return s != nullptr && std::string(s) == "1";
  }();
  return on;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  {
    std::ofstream out(input_path(), std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  try {
    (void)clustersim::load_experiment(input_path());
  } catch (const clustersim::ConfigError&) {
    // Input error, reported with locations: the expected outcome.
  } catch (const std::exception& e) {
    if (strict()) {
      std::fprintf(stderr, "clustersim fuzz: exception other than ConfigError: %s\n", e.what());
      std::abort();
    }
  }
  return 0;
}
