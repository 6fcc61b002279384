#include "sim/sweep/process_pool.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <map>

extern char** environ;

namespace clustersim {

namespace {

pid_t spawn(const ChildCommand& c) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, c.log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  std::vector<char*> argv;
  for (const auto& a : c.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = -1;
  if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) != 0) pid = -1;
  posix_spawn_file_actions_destroy(&actions);
  return pid;
}

}  // namespace

std::vector<int> run_processes(const std::vector<ChildCommand>& commands, int jobs,
                               const std::function<void(size_t, int)>& on_done) {
  std::vector<int> codes(commands.size(), -1);
  std::map<pid_t, size_t> running;
  auto finish = [&](size_t i, int code) {
    codes[i] = code;
    if (on_done) on_done(i, code);
  };
  auto reap_one = [&]() {
    int status = 0;
    const pid_t pid = wait(&status);
    if (pid <= 0) return;
    const auto it = running.find(pid);
    if (it == running.end()) return;
    const size_t i = it->second;
    running.erase(it);
    finish(i, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  };
  for (size_t i = 0; i < commands.size(); ++i) {
    while (static_cast<int>(running.size()) >= jobs) reap_one();
    const pid_t pid = spawn(commands[i]);
    if (pid < 0)
      finish(i, -1);
    else
      running[pid] = i;
  }
  while (!running.empty()) reap_one();
  return codes;
}

}  // namespace clustersim
