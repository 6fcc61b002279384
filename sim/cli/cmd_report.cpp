#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "sim/cli/cli_common.hpp"
#include "sim/cli/commands.hpp"
#include "sim/config/experiment_loader.hpp"

namespace clustersim {

namespace fs = std::filesystem;

std::string report_script() {
  const fs::path data = data_dir();
  for (const fs::path& p : {data.parent_path() / "python" / "clustersim_report.py",    // installed
                            data.parent_path() / "scripts" / "clustersim_report.py"})  // source tree
    if (fs::is_regular_file(p)) return p.string();
  return "";
}

int run_report(const ReportCommandOptions& o) {
  return guarded([&] {
    const std::string script = report_script();
    if (script.empty()) {
      std::cerr << "clustersim report: error: clustersim_report.py is neither next to the data folder " << data_dir()
                << " (../python, installed) nor in the source tree (../scripts)\n"
                << "  hint: reinstall (cmake --install), or point CLUSTERSIM_DATA_DIR at a checkout's data/\n";
      return kExitInvalidInput;
    }
    const char* env = std::getenv("CLUSTERSIM_PYTHON");
    const std::string python = env != nullptr && *env != '\0' ? env : "/usr/bin/python3";
    std::cout.flush();
    const pid_t pid = fork();
    if (pid < 0) {
      std::cerr << "clustersim report: error: cannot start " << python << "\n";
      return kExitSimulationFailure;
    }
    if (pid == 0) {
      execl(python.c_str(), python.c_str(), script.c_str(), o.input.c_str(), "-o", o.output.c_str(),
            static_cast<char*>(nullptr));
      std::cerr << "clustersim report: error: cannot run " << python
                << " (Debian's python3 with h5py, pandas and matplotlib; CLUSTERSIM_PYTHON picks another)\n";
      _exit(kExitSimulationFailure);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
    }
    if (!WIFEXITED(status)) return kExitSimulationFailure;
    const int code = WEXITSTATUS(status);
    return code == kExitOk || code == kExitInvalidInput ? code : kExitSimulationFailure;
  });
}

}  // namespace clustersim
