// Internal to the fakes: how ssh/scp reach a simulated host and the nested sandbox a remote command runs in.
#pragma once
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "spotcheck/fakes/context.hpp"
#include "spotcheck/fakes/instances.hpp"

namespace spotcheck::fakes {

// Whether `host` (as the launcher wrote it) answers on `port` now; `error` is ssh's own wording.
struct Reachability {
  std::optional<Instance> instance;  // set when reachable
  std::string error;                 // "ssh: connect to host X port 22: Connection refused"
  double waited = 0;                 // virtual seconds the failed connect took (timeouts)
  bool ok() const { return instance.has_value(); }
};
// Advances the virtual clock by `waited` for a timed-out connect.
Reachability reach_host(const RunPaths& paths, const std::string& host, int port, long connect_timeout);

// The host's persistent files as the dispatcher sees them; created on first use.
std::filesystem::path host_home(const RunPaths& paths, const std::string& instance_id);  // hosts/ID/home/ec2-user
std::filesystem::path host_tmp(const RunPaths& paths, const std::string& instance_id);   // hosts/ID/tmp
void ensure_host_dirs(const RunPaths& paths, const std::string& instance_id);

// One bubblewrap operation, e.g. {"--bind", {src, dst}} (STYLE.md 5: plan as data, then execute).
struct SandboxOp {
  std::string flag;
  std::vector<std::string> args;
  bool operator==(const SandboxOp&) const = default;
};

struct HostSandboxPlan {
  std::vector<SandboxOp> ops;
  std::vector<std::string> command;  // what runs inside, e.g. {"/bin/bash", "-c", "echo hi"}
};

// The remote session of `instance`: its own /home/ec2-user and /tmp, a clean login-like environment,
// and the plumbing that makes remote shims record host = instance id and parent = `parent_seq`.
HostSandboxPlan plan_host_sandbox(const RunPaths& paths, const Instance& instance, std::int64_t parent_seq,
                                  std::vector<std::string> command);
std::vector<std::string> bwrap_argv(const HostSandboxPlan& plan, const std::string& bwrap = "/usr/bin/bwrap");
std::string host_name_of(const Instance& instance);  // ip-10-0-0-5

// The ssh host key a simulated host presents (same bytes for ssh-keyscan and known_hosts checks).
std::string host_key_base64(const std::string& key_type, const std::string& instance_id);
std::string host_key_algorithm(const std::string& key_type);  // "ed25519" -> "ssh-ed25519"

}  // namespace spotcheck::fakes
