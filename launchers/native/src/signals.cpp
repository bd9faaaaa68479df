// Signals: TERM/INT/HUP write their number into a non-blocking, close-on-exec self-pipe.
#include "spot_launch/signals.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "spot_launch/error.hpp"

namespace spot_launch {
namespace {

int pipe_fds[2] = {-1, -1};

void on_signal(int signo) {
  const int saved = errno;
  const auto byte = static_cast<unsigned char>(signo);
  [[maybe_unused]] const auto n = ::write(pipe_fds[1], &byte, 1);
  errno = saved;
}

}  // namespace

void install_signal_handlers() {
  if (pipe_fds[0] >= 0) return;
  if (::pipe2(pipe_fds, O_CLOEXEC | O_NONBLOCK) != 0) {
    const int err = errno;
    pipe_fds[0] = pipe_fds[1] = -1;
    fail(std::string("could not install the signal handlers: pipe2: ") + std::strerror(err));
  }
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  for (int sig : {SIGTERM, SIGINT, SIGHUP})
    if (::sigaction(sig, &sa, nullptr) != 0)
      fail("could not install the signal handlers: sigaction(" + signal_name(sig) + "): " + std::strerror(errno));
}

int signal_pipe_fd() {
  return pipe_fds[0];
}

std::optional<int> take_pending_signal() {
  std::optional<int> first;
  unsigned char byte = 0;
  while (pipe_fds[0] >= 0 && ::read(pipe_fds[0], &byte, 1) == 1)
    if (!first) first = byte;
  return first;
}

std::string signal_name(int signo) {
  switch (signo) {
    case SIGTERM:
      return "SIGTERM";
    case SIGINT:
      return "SIGINT";
    case SIGHUP:
      return "SIGHUP";
    default:
      return "signal " + std::to_string(signo);
  }
}

}  // namespace spot_launch
