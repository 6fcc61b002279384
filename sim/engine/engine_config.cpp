#include "sim/engine/engine_config.hpp"

#include <malloc.h>
#include <strings.h>
#include <xbt/log.h>

#include <algorithm>
#include <iterator>
#include <sstream>

// The root of the simulator's own log categories: one subcategory per engine file (cs_simulation,
// cs_training_job, ...), silent by default like SimGrid's (root.thres:critical).
XBT_LOG_NEW_CATEGORY(clustersim, "clustersim: the simulator's own logs (phase boundaries at debug)");

namespace clustersim {

const std::vector<std::string>& engine_config_args() {
  static const std::vector<std::string> args = {"--cfg=network/model:CM02",
                                                "--cfg=network/crosstraffic:0",
                                                "--cfg=network/TCP-gamma:0",
                                                "--cfg=contexts/guard-size:0",
                                                "--cfg=contexts/stack-size:" + std::to_string(kActorStackKiB),
                                                "--log=root.thres:critical"};
  return args;
}

bool check_log_setting(const std::string& setting, std::string& error) {
  if (setting == "no_loc") return true;
  std::istringstream items(setting);
  std::string item;
  bool any = false;
  while (items >> item) {
    any = true;
    const size_t dot = item.find_first_of(".:=");
    const size_t colon = dot == std::string::npos ? dot : item.find_first_of(":=", dot);
    if (dot == std::string::npos || item[dot] != '.' || dot == 0 || colon == std::string::npos) {
      error = "'" + item + "' is not CATEGORY.KEY:VALUE (e.g. clustersim.thres:debug)";
      return false;
    }
    const std::string key = item.substr(dot + 1, colon - dot - 1), value = item.substr(colon + 1);
    auto is_prefix_of = [&key](const char* word) { return std::string(word).compare(0, key.size(), key) == 0; };
    if (is_prefix_of("threshold")) {
      static const char* const kLevels[] = {"trace", "debug", "verbose", "info", "warning", "error", "critical"};
      const bool known = std::any_of(std::begin(kLevels), std::end(kLevels),
                                     [&value](const char* l) { return strcasecmp(value.c_str(), l) == 0; });
      if (!known) {
        error = "'" + item + "': unknown level '" + value + "' (trace, debug, verbose, info, warning, error, critical)";
        return false;
      }
    } else if (is_prefix_of("appender")) {
      if (value.rfind("file:", 0) != 0 && value.rfind("rollfile:", 0) != 0 && value.rfind("splitfile:", 0) != 0) {
        error = "'" + item + "': the appender is file:PATH, rollfile:PATH or splitfile:PATH";
        return false;
      }
    } else if (!is_prefix_of("additivity") && !is_prefix_of("fmt")) {
      error = "'" + item + "': unknown key '" + key + "' (thres, add, app, fmt)";
      return false;
    }
  }
  if (!any) error = "empty log setting";
  return any;
}

std::unique_ptr<simgrid::s4u::Engine> create_engine(const std::string& program,
                                                    const std::vector<std::string>& extra_args) {
  // Actor stacks are calloc'ed: above a fixed mmap threshold they are fresh mappings the kernel zeroes lazily and
  // munmap returns at once. glibc's dynamic threshold would otherwise rise to the stack size after the first free
  // and serve every later stack from the heap, memset to zero and resident. Measured against thresholds of 256 KiB,
  // 1 MiB and 4 MiB (with stacks of 256 KiB, 1 MiB, 4 MiB): the same peak RSS on day-100k-mix-trace and step-100k,
  // wall the same within noise.
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);  // glibc's initial value, made fixed
  // SimGrid keeps pointers into argv: the strings live as long as the process.
  static std::vector<std::string> args;
  static std::vector<char*> argv;
  static int argc;
  args = {program};
  args.insert(args.end(), engine_config_args().begin(), engine_config_args().end());
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  argv.clear();
  for (auto& a : args) argv.push_back(a.data());
  argc = static_cast<int>(argv.size());
  return std::make_unique<simgrid::s4u::Engine>(&argc, argv.data());
}

}  // namespace clustersim
