#include "sim/sweep/process_pool.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <map>

namespace clustersim {

namespace {

constexpr int kStopSignals[] = {SIGINT, SIGTERM, SIGHUP};
volatile sig_atomic_t g_stop_signal = 0;

void on_stop(int sig) { g_stop_signal = sig; }

void on_child(int) {}

/// Catches the stop signals and SIGCHLD while the pool runs, with them blocked outside sigsuspend (so a
/// signal can never slip in between the check and the wait); restores everything on destruction.
class SignalGuard {
 public:
  SignalGuard() {
    g_stop_signal = 0;
    sigset_t block;
    sigemptyset(&block);
    for (int s : kStopSignals) sigaddset(&block, s);
    sigaddset(&block, SIGCHLD);
    sigprocmask(SIG_BLOCK, &block, &old_mask_);
    struct sigaction sa = {};
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_stop;
    for (size_t i = 0; i < std::size(kStopSignals); ++i) {
      sigaction(kStopSignals[i], nullptr, &old_stop_[i]);
      if (old_stop_[i].sa_handler != SIG_IGN) sigaction(kStopSignals[i], &sa, nullptr);  // keep nohup's ignore
    }
    sa.sa_handler = on_child;
    sigaction(SIGCHLD, &sa, &old_chld_);
  }

  ~SignalGuard() {
    for (size_t i = 0; i < std::size(kStopSignals); ++i) sigaction(kStopSignals[i], &old_stop_[i], nullptr);
    sigaction(SIGCHLD, &old_chld_, nullptr);
    sigprocmask(SIG_SETMASK, &old_mask_, nullptr);
  }

  SignalGuard(const SignalGuard&) = delete;
  SignalGuard& operator=(const SignalGuard&) = delete;

  const sigset_t& old_mask() const { return old_mask_; }

 private:
  sigset_t old_mask_;
  struct sigaction old_stop_[std::size(kStopSignals)];
  struct sigaction old_chld_;
};

/// fork + exec with stdout and stderr to the log; the child dies with the pool's process (PR_SET_PDEATHSIG,
/// even if that one is SIGKILLed) and gets the signal mask the caller had.
pid_t spawn(const ChildCommand& c, const sigset_t& child_mask) {
  std::vector<char*> argv;
  for (const auto& a : c.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid != 0) return pid;  // parent (or -1)
  // Child: only async-signal-safe calls until exec.
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (getppid() != parent) _exit(127);
  const int fd = open(c.log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd >= 0) {
    dup2(fd, STDOUT_FILENO);
    dup2(fd, STDERR_FILENO);
    if (fd > STDERR_FILENO) close(fd);
  }
  for (int s : kStopSignals) {
    struct sigaction sa;
    sigaction(s, nullptr, &sa);
    if (sa.sa_handler != SIG_IGN) signal(s, SIG_DFL);
  }
  signal(SIGCHLD, SIG_DFL);
  sigprocmask(SIG_SETMASK, &child_mask, nullptr);
  execv(argv[0], argv.data());
  const char msg[] = "clustersim sweep: cannot execute the point's command\n";
  [[maybe_unused]] ssize_t n = write(STDERR_FILENO, msg, sizeof msg - 1);
  _exit(127);
}

void sleep_ms(long ms) {
  timespec ts{ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

/// SIGTERM to every running child, SIGKILL to those still there after `grace_ms`; reaps them all.
void stop_children(std::map<pid_t, size_t>& running, long grace_ms) {
  for (const auto& [pid, i] : running) kill(pid, SIGTERM);
  for (long waited = 0; !running.empty(); waited += 20) {
    if (waited >= grace_ms)
      for (const auto& [pid, i] : running) kill(pid, SIGKILL);
    int status = 0;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) running.erase(pid);
    if (pid < 0 && errno == ECHILD) running.clear();
    if (!running.empty()) sleep_ms(20);
  }
}

}  // namespace

std::vector<int> run_processes(const std::vector<ChildCommand>& commands, int jobs,
                               const std::function<void(size_t, int)>& on_done,
                               const std::function<void(size_t)>& on_start) {
  std::vector<int> codes(commands.size(), -1);
  std::map<pid_t, size_t> running;
  int stop_signal = 0;
  {
    SignalGuard guard;
    sigset_t wait_mask = guard.old_mask();  // sigsuspend lets the stop signals and SIGCHLD in
    for (int s : kStopSignals) sigdelset(&wait_mask, s);
    sigdelset(&wait_mask, SIGCHLD);
    auto finish = [&](size_t i, int code) {
      codes[i] = code;
      if (on_done) on_done(i, code);
    };
    // Reaps whatever has finished; blocks (until a child ends or a stop signal) only if `block` and none has.
    auto reap = [&](bool block) {
      for (;;) {
        int status = 0;
        const pid_t pid = waitpid(-1, &status, WNOHANG);
        if (pid > 0) {
          const auto it = running.find(pid);
          if (it == running.end()) continue;
          const size_t i = it->second;
          running.erase(it);
          finish(i, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
          block = false;
          continue;
        }
        if (!block || g_stop_signal != 0 || running.empty()) return;
        sigsuspend(&wait_mask);
      }
    };
    for (size_t i = 0; i < commands.size() && g_stop_signal == 0; ++i) {
      while (static_cast<int>(running.size()) >= jobs && g_stop_signal == 0) reap(true);
      if (g_stop_signal != 0) break;
      if (on_start) on_start(i);
      const pid_t pid = spawn(commands[i], guard.old_mask());
      if (pid < 0)
        finish(i, -1);
      else
        running[pid] = i;
    }
    while (!running.empty() && g_stop_signal == 0) reap(true);
    stop_signal = g_stop_signal;
    if (stop_signal != 0) {
      std::fprintf(stderr, "sweep: stopped by %s: stopping %zu running point(s); nothing is merged\n",
                   strsignal(stop_signal), running.size());
      stop_children(running, 2000);
    }
  }
  if (stop_signal != 0) {
    // Die of the signal we were sent, as the caller (shell, SLURM) expects; no merge happens.
    std::fflush(nullptr);
    signal(stop_signal, SIG_DFL);
    raise(stop_signal);
    _exit(128 + stop_signal);
  }
  return codes;
}

}  // namespace clustersim
