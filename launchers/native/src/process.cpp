// Processes: one tool found on PATH, started through Boost.Process, waited for with pidfd + poll
// on the signal self-pipe (a signal interrupts the wait at once), optionally time-limited.
#include "spot_launch/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/core.h>

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

// The child's fds 0/1/2, set up between fork and exec (-1: inherit).
struct Redirect : bp::extend::handler {
  int in = -1, out = -1, err = -1;
  template <class Executor>
  void on_exec_setup(Executor&) const {
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

// Waits until PIDFD is readable, a signal is pending (returns it) or the deadline passes.
enum class Woke { Exited, Signal, Deadline };
Woke wait_event(int pidfd, bool watch_signals, std::optional<std::chrono::steady_clock::time_point> deadline) {
  for (;;) {
    pollfd fds[2] = {{pidfd, POLLIN, 0}, {signal_pipe_fd(), POLLIN, 0}};
    const nfds_t n = (watch_signals && signal_pipe_fd() >= 0) ? 2 : 1;
    int timeout = -1;
    if (deadline) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return Woke::Deadline;
      timeout = static_cast<int>(std::min<long long>(left.count(), 1 << 30));
    }
    const int r = ::poll(fds, n, timeout);
    if (r < 0 && errno == EINTR) continue;
    if (r == 0) return Woke::Deadline;
    if (n == 2 && (fds[1].revents & POLLIN)) return Woke::Signal;
    if (fds[0].revents) return Woke::Exited;
  }
}

// Stops the child: TERM, then KILL after 5 s.
void stop_child(bp::child& child, int pidfd) {
  ::kill(child.id(), SIGTERM);
  if (wait_event(pidfd, false, std::chrono::steady_clock::now() + std::chrono::seconds(5)) != Woke::Exited)
    ::kill(child.id(), SIGKILL);
}

struct Files {
  std::string out, err;
};

}  // namespace

Outcome run_command(const Command& cmd, const std::string& scratch_dir) {
  if (cmd.interruptible) {
    if (auto sig = take_pending_signal()) {
      log("received " + signal_name(*sig));
      throw Error(128 + *sig, "received " + signal_name(*sig), ErrorKind::Signal);
    }
  }
  Outcome outcome;
  const auto exe = bp::search_path(cmd.argv.at(0));
  if (exe.empty()) {
    fmt::print(stderr, "spot-launch: {}: command not found\n", cmd.argv[0]);
    outcome.status = 127;
    return outcome;
  }
  static unsigned counter = 0;
  const std::string base = scratch_dir + "/call-" + std::to_string(++counter);
  Fd in = open_fd(cmd.stdin_file.empty() ? "/dev/null" : cmd.stdin_file, O_RDONLY);
  Fd out, err;
  Redirect redirect;
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
  const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, child.id(), 0));
  if (pidfd < 0) fail(1, std::string("pidfd_open: ") + std::strerror(errno));
  Fd pidfd_owner(pidfd);

  std::optional<std::chrono::steady_clock::time_point> deadline;
  if (cmd.time_limit_seconds)
    deadline = std::chrono::steady_clock::now() +
               std::chrono::milliseconds(static_cast<long long>(*cmd.time_limit_seconds * 1000));
  const Woke woke = wait_event(pidfd, cmd.interruptible, deadline);
  // A signal to the whole group can land together with the child's exit: it wins (bash's trap runs).
  std::optional<int> pending = cmd.interruptible ? take_pending_signal() : std::nullopt;
  if (woke == Woke::Signal || pending) {
    const int sig = pending.value_or(SIGTERM);
    log("received " + signal_name(sig));
    stop_child(child, pidfd);
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

}  // namespace spot_launch
