#include "sim/engine/engine_config.hpp"

#include <malloc.h>
#include <xbt/log.h>

// The root of the simulator's own log categories: one subcategory per engine file (cs_simulation,
// cs_training_job, ...), silent by default like SimGrid's (root.thres:critical).
XBT_LOG_NEW_CATEGORY(clustersim, "clustersim: the simulator's own logs (phase boundaries at debug)");

namespace clustersim {

const std::vector<std::string>& engine_config_args() {
  static const std::vector<std::string> args = {"--cfg=network/model:CM02", "--cfg=network/crosstraffic:0",
                                                "--cfg=network/TCP-gamma:0", "--cfg=contexts/guard-size:0",
                                                "--cfg=contexts/stack-size:" + std::to_string(kActorStackKiB),
                                                "--log=root.thres:critical"};
  return args;
}

std::unique_ptr<simgrid::s4u::Engine> create_engine(const std::string& program,
                                                    const std::vector<std::string>& extra_args) {
  // Actor stacks are calloc'ed: above a fixed mmap threshold they are fresh mappings the kernel zeroes lazily and
  // munmap returns at once. glibc's dynamic threshold would otherwise rise to the stack size after the first free
  // and serve every later stack from the heap, memset to zero and resident.
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
