#include "sim/engine/engine_config.hpp"

namespace clustersim {

const std::vector<std::string>& engine_config_args() {
  static const std::vector<std::string> args = {"--cfg=network/model:CM02", "--cfg=network/crosstraffic:0",
                                                "--cfg=network/TCP-gamma:0", "--cfg=contexts/guard-size:0",
                                                "--log=root.thres:critical"};
  return args;
}

std::unique_ptr<simgrid::s4u::Engine> create_engine(const std::string& program,
                                                    const std::vector<std::string>& extra_args) {
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
