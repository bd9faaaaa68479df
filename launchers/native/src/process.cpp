// Processes: one tool found on PATH, started through Boost.Process, waited for with pidfd + poll
// on the signal self-pipe (a signal interrupts the wait at once), optionally time-limited. Where
// pidfd_open is unavailable (ENOSYS, EPERM under some seccomp filters) the exit is polled instead.
#include "spot_launch/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/process.hpp>
#include <boost/process/extend.hpp>
#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>

#include "spot_launch/error.hpp"
#include "spot_launch/log.hpp"
#include "spot_launch/signals.hpp"

namespace bp = boost::process;

namespace spot_launch {
namespace {

// Between fork and exec: the child dies with the launcher (SIGKILL when the launcher dies, even by
// SIGKILL; it stays in the launcher's process group, where a Ctrl-C or the fakes' kill(0, sig)
// reach it), and gets its fds 0/1/2 (-1: inherit).
struct ChildSetup : bp::extend::handler {
  int in = -1, out = -1, err = -1;
  pid_t parent = ::getpid();
  template <class Executor>
  void on_exec_setup(Executor&) const {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(128 + SIGKILL);  // the launcher died before the prctl
    if (in >= 0) ::dup2(in, 0);
    if (out >= 0) ::dup2(out, 1);
    if (err >= 0) ::dup2(err, 2);
  }
};

class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  Fd& operator=(Fd&& o) noexcept {
    std::swap(fd_, o.fd_);
    return *this;
  }
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_ = -1;
};

Fd open_fd(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC, 0600);
  if (fd < 0) fail(1, "can't open " + path + ": " + std::strerror(errno));
  return Fd(fd);
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int status_of(int native) {
  if (WIFEXITED(native)) return WEXITSTATUS(native);
  if (WIFSIGNALED(native)) return 128 + WTERMSIG(native);
  return 1;
}

// How the child's exit is seen: its pidfd becoming readable or, without one (pidfd < 0), a
// waitid(WNOHANG | WNOWAIT) poll every kPollMs (WNOWAIT: the child stays for child.wait to reap).
struct ExitWatch {
  pid_t pid;
  int pidfd;
  bool exited_now() const {
    siginfo_t info{};
    return ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid;
  }
};
constexpr int kPollMs = 10;

// Waits until the child exits, a signal is pending (WATCH_SIGNALS) or the deadline passes.
enum class Woke { Exited, Signal, Deadline };
Woke wait_event(const ExitWatch& watch, bool watch_signals,
                std::optional<std::chrono::steady_clock::time_point> deadline) {
  bool polling = watch.pidfd < 0;  // also once poll itself fails (not EINTR): never a busy loop
  for (;;) {
    if (polling && watch.exited_now()) return Woke::Exited;
    // poll skips an entry whose fd is negative (no pidfd): it then only sleeps or watches signals.
    pollfd fds[2] = {{watch.pidfd, POLLIN, 0}, {signal_pipe_fd(), POLLIN, 0}};
    const nfds_t n = (watch_signals && signal_pipe_fd() >= 0) ? 2 : 1;
    int timeout = polling ? kPollMs : -1;
    if (deadline) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return Woke::Deadline;
      const int until_deadline = static_cast<int>(std::min<long long>(left.count(), 1 << 30));
      timeout = timeout < 0 ? until_deadline : std::min(timeout, until_deadline);
    }
    const int r = ::poll(fds, n, timeout);
    if (r < 0 && errno != EINTR && !polling) {
      polling = true;
      continue;
    }
    if (r < 0 && errno != EINTR) ::usleep(kPollMs * 1000);
    if (r <= 0) continue;  // a timeout: the deadline (or the next exit poll) is checked above
    if (n == 2 && (fds[1].revents & POLLIN)) return Woke::Signal;
    if (fds[0].revents) return Woke::Exited;
  }
}

// Stops the child: TERM, then KILL after 5 s.
void stop_child(const ExitWatch& watch) {
  ::kill(watch.pid, SIGTERM);
  if (wait_event(watch, false, std::chrono::steady_clock::now() + std::chrono::seconds(5)) != Woke::Exited)
    ::kill(watch.pid, SIGKILL);
}

// A pidfd for PID; -1 where pidfd_open is unavailable (the exit is polled). Another failure
// (EMFILE ...) kills and reaps the child first, then fails.
int open_pidfd(bp::child& child) {
  const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, child.id(), 0));
  if (pidfd >= 0 || errno == ENOSYS || errno == EPERM) return pidfd < 0 ? -1 : pidfd;
  const int err = errno;
  ::kill(child.id(), SIGKILL);
  std::error_code ec;
  child.wait(ec);
  fail(1, std::string("pidfd_open: ") + std::strerror(err));
}

struct Files {
  std::string out, err;
};

}  // namespace

void throw_if_signalled() {
  if (auto sig = take_pending_signal()) {
    log("received " + signal_name(*sig));
    throw Error(128 + *sig, "received " + signal_name(*sig), ErrorKind::Signal);
  }
}

Outcome run_command(const Command& cmd, const std::string& scratch_dir) {
  if (cmd.interruptible) throw_if_signalled();
  Outcome outcome;
  const auto exe = bp::search_path(cmd.argv.at(0));
  if (exe.empty()) {
    write_stderr("spot-launch: " + cmd.argv[0] + ": command not found\n");
    outcome.status = 127;
    return outcome;
  }
  static unsigned counter = 0;
  const std::string base = scratch_dir + "/call-" + std::to_string(++counter);
  Fd in = open_fd(cmd.stdin_file.empty() ? "/dev/null" : cmd.stdin_file, O_RDONLY);
  Fd out, err;
  ChildSetup redirect;
  redirect.in = in.get();
  const auto open_stream = [&](Stream s, Fd& fd, const std::string& path) {
    if (s == Stream::Null) fd = open_fd("/dev/null", O_WRONLY);
    if (s == Stream::Capture) fd = open_fd(path, O_WRONLY | O_CREAT | O_TRUNC);
    return fd.get();
  };
  redirect.out = open_stream(cmd.out, out, base + ".out");
  redirect.err = open_stream(cmd.err, err, base + ".err");

  std::vector<std::string> args(cmd.argv.begin() + 1, cmd.argv.end());
  std::error_code ec;
  bp::child child(exe, bp::args(args), redirect, ec);
  if (ec) fail(1, "can't start " + cmd.argv[0] + ": " + ec.message());
  Fd pidfd(open_pidfd(child));
  const ExitWatch watch{child.id(), pidfd.get()};

  std::optional<std::chrono::steady_clock::time_point> deadline;
  if (cmd.time_limit_seconds)
    deadline = std::chrono::steady_clock::now() +
               std::chrono::milliseconds(static_cast<long long>(*cmd.time_limit_seconds * 1000));
  const Woke woke = wait_event(watch, cmd.interruptible, deadline);
  // A signal to the whole group can land together with the child's exit: it wins (bash's trap runs).
  std::optional<int> pending = cmd.interruptible ? take_pending_signal() : std::nullopt;
  if (woke == Woke::Signal || pending) {
    const int sig = pending.value_or(SIGTERM);
    log("received " + signal_name(sig));
    stop_child(watch);
    child.wait(ec);
    throw Error(128 + sig, "received " + signal_name(sig), ErrorKind::Signal);
  }
  if (woke == Woke::Deadline) {
    ::kill(child.id(), SIGKILL);
    outcome.timed_out = true;
  }
  child.wait(ec);
  outcome.status = outcome.timed_out ? 137 : status_of(child.native_exit_code());
  if (cmd.out == Stream::Capture) outcome.out = slurp(base + ".out");
  if (cmd.err == Stream::Capture) outcome.err = slurp(base + ".err");
  return outcome;
}

void sleep_tool(const std::string& seconds, const std::string& scratch_dir) {
  run_command({{"sleep", seconds}, "", Stream::Inherit, Stream::Inherit, std::nullopt, true}, scratch_dir);
}

}  // namespace spot_launch
