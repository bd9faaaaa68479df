// Typed errors: every failure carries the exit status bash would have exited with.
#pragma once

#include <stdexcept>
#include <string>

namespace spot_launch {

enum class ErrorKind {
  Usage,    // bad command line or env knob: "TAG: error: ..." + the --help hint, exit 2
  Failure,  // the run failed: printed once at the top as "spot-launch: error: ..."
  Signal,   // SIGTERM/INT/HUP: already logged, exit 128 + signo
};

class Error : public std::runtime_error {
 public:
  Error(int status, const std::string& message, ErrorKind kind = ErrorKind::Failure)
      : std::runtime_error(message), status_(status), kind_(kind) {}
  int status() const { return status_; }
  ErrorKind kind() const { return kind_; }

 private:
  int status_;
  ErrorKind kind_;
};

[[noreturn]] void fail(int status, const std::string& message);
[[noreturn]] void fail(const std::string& message);  // status 1
[[noreturn]] void usage_error(const std::string& message);

}  // namespace spot_launch
