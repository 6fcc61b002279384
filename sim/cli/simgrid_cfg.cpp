#include "sim/cli/simgrid_cfg.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <exception>
#include <sstream>

#include "sim/engine/engine_config.hpp"

namespace clustersim {

namespace {

constexpr const char* kDocs = "SimGrid's settings: https://simgrid.org/doc/3.32/Configuring_SimGrid.html";

/// Creates an engine with the settings in a child process; returns its exit status and everything it printed.
int try_in_child(const std::vector<std::string>& args, std::string& output) {
  int fds[2];
  if (pipe(fds) != 0) return 0;  // cannot check: let the run report it
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return 0;
  }
  if (pid == 0) {
    close(fds[0]);
    dup2(fds[1], STDOUT_FILENO);
    dup2(fds[1], STDERR_FILENO);
    try {
      auto engine = create_engine("clustersim", args);
      _exit(0);
    } catch (const std::exception& e) {
      const std::string what = std::string(e.what()) + "\n";
      [[maybe_unused]] auto n = write(STDERR_FILENO, what.data(), what.size());
      _exit(3);
    } catch (...) {
      _exit(3);
    }
  }
  close(fds[1]);
  char buf[4096];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) != 0;) {
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    output.append(buf, static_cast<size_t>(n));
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

/// The first SimGrid CRITICAL/ERROR line without its "[time] file:line: [category/CRITICAL] " prefix, else
/// the first line.
std::string first_complaint(const std::string& text) {
  std::istringstream in(text);
  std::string first;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    if (first.empty()) first = line;
    for (const char* tag : {"/CRITICAL] ", "/ERROR] "}) {
      const size_t at = line.find(tag);
      if (at != std::string::npos) return line.substr(at + std::string(tag).size());
    }
  }
  return first;
}

}  // namespace

bool parse_bad_key_message(const std::string& text, std::string& key, std::vector<std::string>& known) {
  const std::string marker = "Bad config key: ";
  const size_t at = text.find(marker);
  if (at == std::string::npos) return false;
  const size_t end = text.find_first_of("\r\n", at);
  key = text.substr(at + marker.size(), end == std::string::npos ? std::string::npos : end - at - marker.size());
  const size_t list = text.find("Existing config keys:");
  if (list != std::string::npos) {
    std::istringstream in(text.substr(list));
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
      const size_t b = line.find_first_not_of(' ');
      const size_t colon = line.find(": (");
      if (b == std::string::npos || colon == std::string::npos || colon <= b) continue;
      known.push_back(line.substr(b, colon - b));
    }
  }
  return true;
}

void check_simgrid_settings(const std::vector<std::string>& settings, Diagnostics& diags) {
  bool syntax_ok = true;
  for (const auto& s : settings) {
    const size_t colon = s.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == s.size()) {
      diags.add({"--simgrid-cfg " + s, 0, 0}, "", "a SimGrid setting is written NAME:VALUE",
                "for example --simgrid-cfg network/optim:Full");
      syntax_ok = false;
    }
  }
  if (!syntax_ok || settings.empty()) return;
  // One child per setting names the culprit exactly; settings are few (a handful at most).
  for (const auto& s : settings) {
    std::string output;
    const int status = try_in_child({"--cfg=" + s}, output);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) continue;
    std::string key;
    std::vector<std::string> known;
    if (parse_bad_key_message(output, key, known)) {
      const auto close = closest_names(key, known);
      std::string hint = kDocs;
      if (!close.empty()) {
        hint = "did you mean '" + close[0] + "'";
        for (size_t i = 1; i < close.size(); ++i) hint += (i + 1 == close.size() ? " or '" : ", '") + close[i] + "'";
        hint += "?";
      }
      diags.add({"--simgrid-cfg " + s, 0, 0}, "", "unknown SimGrid setting '" + key + "'", hint);
    } else {
      const std::string why = first_complaint(output);
      diags.add({"--simgrid-cfg " + s, 0, 0}, "",
                "SimGrid refuses this setting" + (why.empty() ? std::string() : ": " + why), kDocs);
    }
  }
}

}  // namespace clustersim
