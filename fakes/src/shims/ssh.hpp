// Internal to the fakes: how ssh/scp reach a simulated host and the nested sandbox a remote command runs in.
#pragma once
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "shims/ssh_options.hpp"
#include "spotcheck/fakes/call.hpp"
#include "spotcheck/fakes/context.hpp"
#include "spotcheck/fakes/host_plan.hpp"
#include "spotcheck/fakes/world/instances.hpp"

namespace spotcheck::fakes {

// ssh's LogLevel (-q is QUIET): a message is printed when its level is at most the chosen one.
enum class LogLevel { Quiet, Fatal, Error, Info };
LogLevel log_level(const SshConfigOptions& options, bool quiet_flag);
// `text` (one line, no newline) as ssh would print it at `level`: "" when the log level hides it.
std::string log_line(LogLevel chosen, LogLevel level, const std::string& text);

// Whether `host` (as the launcher wrote it) answers on `port` now; `error` is ssh's own wording.
struct Reachability {
  std::optional<world::Instance> instance;  // set when reachable
  std::string error;                        // "ssh: connect to host X port 22: Connection refused"
  LogLevel error_level = LogLevel::Error;
  double waited = 0;  // virtual seconds the failed connect took (timeouts)
  bool ok() const { return instance.has_value(); }
};
// Advances the virtual clock by `waited` for a timed-out connect.
Reachability reach_host(const RunPaths& paths, const std::string& host, int port, long connect_timeout);

// What the client side brings to a login: who, with which keys, and how strict about host keys.
struct LoginRequest {
  std::string host;  // as the launcher wrote it
  int port = 22;
  std::string user;                           // empty: the local $USER, as ssh does
  std::vector<std::string> identity_files;    // -i, relative to the caller's cwd
  const SshConfigOptions* options = nullptr;  // -o
  LogLevel log_level = LogLevel::Info;
};
struct LoginResult {
  bool ok = false;
  std::string messages;  // ssh's warnings and, when !ok, its error (each line ends in \n)
};
// Host key verification (known_hosts, StrictHostKeyChecking, BatchMode), then public-key authentication:
// only ec2-user with a readable private key that is not group/world accessible gets in.
LoginResult log_in(const LoginRequest& request, const world::Instance& instance);

// The host's persistent files (spotcheck/fakes/host_plan.hpp: host_home, host_tmp), created on first use.
void ensure_host_dirs(const RunPaths& paths, const std::string& instance_id);

// A remote command's wait status as ssh reports it: its exit code, 128+N for a signal, else 255.
int remote_exit_status(int native_status);

// The ssh host key a simulated host presents (same bytes for ssh-keyscan and known_hosts checks).
std::string host_key_base64(const std::string& key_type, const std::string& instance_id);
std::string host_key_algorithm(const std::string& key_type);  // "ed25519" -> "ssh-ed25519"
// Whether one known_hosts host pattern (plain, wildcard, [host]:port or |1|salt|hash) names `name`.
bool known_hosts_pattern_matches(const std::string& pattern, const std::string& name);

}  // namespace spotcheck::fakes
