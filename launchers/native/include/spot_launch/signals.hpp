// SIGTERM/SIGINT/SIGHUP into a self-pipe, so a wait for a child can be interrupted promptly.
#pragma once

#include <optional>
#include <string>

namespace spot_launch {

void install_signal_handlers();            // throws a Failure Error when it cannot (pipe2, sigaction)
int signal_pipe_fd();                      // readable when a signal is pending
std::optional<int> take_pending_signal();  // drains the pipe; the first signal received
std::string signal_name(int signo);        // "SIGTERM"

}  // namespace spot_launch
