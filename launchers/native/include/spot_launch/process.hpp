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
  bool interruptible = true;                 // false during cleanup: signals are held back
};

struct Outcome {
  int status = 0;  // exit status, 128 + signo when killed (as bash reports it)
  std::string out, err;
  bool timed_out = false;
};

// Runs CMD and waits; a pending or arriving signal stops the child and throws a Signal Error.
Outcome run_command(const Command& cmd, const std::string& scratch_dir);

}  // namespace spot_launch
