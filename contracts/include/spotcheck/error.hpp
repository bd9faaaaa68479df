// Typed errors raised by low layers and printed once by the CLI (STYLE.md 7).
#pragma once
#include <cerrno>
#include <stdexcept>
#include <string>
#include <system_error>

namespace spotcheck {

enum class ErrorKind {
  BadInput,     // a file or argument the user gave is malformed: exit 2
  Harness,      // the harness itself could not do its job (sandbox, I/O): exit 2
  Unsupported,  // this machine cannot run the sandbox (no bubblewrap, no namespaces): exit 2
};

// "can't ACTION OBJECT: REASON" is assembled from the parts so every message has the same shape.
class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, std::string where, std::string what)
      : std::runtime_error(where.empty() ? what : where + ": " + what),
        kind_(kind),
        where_(std::move(where)),
        what_(std::move(what)) {}
  ErrorKind kind() const { return kind_; }
  const std::string& where() const { return where_; }
  const std::string& reason() const { return what_; }

 private:
  ErrorKind kind_;
  std::string where_;
  std::string what_;
};

inline Error bad_input(std::string where, std::string what) {
  return Error(ErrorKind::BadInput, std::move(where), std::move(what));
}
inline Error harness_error(std::string where, std::string what) {
  return Error(ErrorKind::Harness, std::move(where), std::move(what));
}

inline Error unsupported(std::string where, std::string what) {
  return Error(ErrorKind::Unsupported, std::move(where), std::move(what));
}

// What errno (or `err`, saved before other calls could change it) says, e.g. "No space left on device".
inline std::string errno_message(int err = errno) {
  return std::error_code(err, std::generic_category()).message();
}

}  // namespace spotcheck
