// Running one tool (aws, ssh, scp, sleep) as a process found on PATH, through Boost.Process.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace spot_launch {

enum class Stream { Inherit, Null, Capture };

struct Command {
  std::vector<std::string> argv;  // argv[0] is looked up on PATH
  std::string stdin_file;         // empty: /dev/null
  Stream out = Stream::Inherit;
  Stream err = Stream::Inherit;
  std::optional<double> time_limit_seconds;  // killed (SIGKILL) when it runs longer
  bool interruptible = true;                 // false: signals are held back (cleanup, run-instances)
};

struct Outcome {
  int status = 0;  // exit status, 128 + signo when killed (as bash reports it)
  std::string out, err;
  bool timed_out = false;
};

// Runs CMD and waits for it. A tool not on PATH is status 127 (as bash); a child that cannot be
// started or watched (spawn failure, EMFILE, pidfd_open) is a Failure Error, the child reaped.
// Interruptible: a signal already pending does not start the child; one pending when the wait
// ends, even if the child had finished by then, stops the child (TERM, KILL after 5 s), discards
// its result and throws a Signal Error. Not interruptible: the wait ignores signals and leaves them
// pending (take_pending_signal); a finished child's result is returned and the caller acts on them.
Outcome run_command(const Command& cmd, const std::string& scratch_dir);
// `sleep SECONDS` through the sleep tool, not a C++ sleep: under spotcheck it advances the virtual clock.
void sleep_tool(const std::string& seconds, const std::string& scratch_dir);
// When a signal is pending: logs "received SIG..." and throws its Signal Error (status 128 + signo).
void throw_if_signalled();

}  // namespace spot_launch
