// A spot host's session sandbox: what every ssh/scp session on a simulated instance runs in, as the same
// SandboxPlan the dispatcher's sandbox is (so `spotcheck run --dry-run` prints both).
#pragma once
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "spotcheck/fakes/context.hpp"
#include "spotcheck/fakes/world/instances.hpp"
#include "spotcheck/sandbox_plan.hpp"

namespace spotcheck::fakes {

inline constexpr const char* kRemoteUser = "ec2-user";
inline constexpr const char* kRemoteHome = "/home/ec2-user";
inline constexpr const char* kEnvHostKeepers = "SPOTCHECK_HOST_KEEPERS";  // "1": keepers may be started

// Harness settings a host's shims need just as the dispatcher's do; passed into every host unchanged.
inline constexpr const char* kHostPlumbing[] = {kEnvStrict, kEnvTimeout, kEnvRecordEnv, kEnvHostKeepers};
// The values of kHostPlumbing in this process's environment (the set ones).
std::map<std::string, std::string> host_plumbing_from_environment();

// The host's persistent files as the dispatcher sees them.
std::filesystem::path host_home(const RunPaths& paths, const std::string& instance_id);  // hosts/ID/home/ec2-user
std::filesystem::path host_tmp(const RunPaths& paths, const std::string& instance_id);   // hosts/ID/tmp
std::string host_name_of(const world::Instance& instance);                               // ip-10-0-0-5

// Directories a fresh spot's root may write besides home and /tmp (as the SSM agent, or with sudo):
// empty on the image, kept per host (hosts/ID/fs/opt ...). Only those the dispatcher's view has are
// mounted (a bind needs its mount point). Everything else is the shared, read-only image.
inline constexpr const char* kHostScratchDirs[] = {"/opt", "/srv", "/mnt", "/var/tmp"};
struct HostMount {
  std::string path;           // on the host: /home/ec2-user, /tmp, /opt ...
  std::filesystem::path dir;  // where it is kept, as the dispatcher sees it
};
// The host's own writable directories: home, /tmp, then kHostScratchDirs present here.
std::vector<HostMount> host_mounts(const RunPaths& paths, const std::string& instance_id);
// Where an absolute, normal path on the host is kept: under one of host_mounts for the host's own
// writable directories; nullopt for the rest, the shared read-only image.
std::optional<std::filesystem::path> host_own_path(const RunPaths& paths, const std::string& instance_id,
                                                   const std::string& path);

// The remote session of `instance`: new user, ipc and uts namespaces (pid and network are the
// dispatcher sandbox's), its own /home/ec2-user, /tmp and scratch directories, a clean login-like environment, and the
// plumbing that makes remote shims record host = instance id and parent = `parent_seq`. Entries of
// `plumbing` not named in kHostPlumbing are ignored.
SandboxPlan plan_host_sandbox(const RunPaths& paths, const world::Instance& instance, std::int64_t parent_seq,
                              std::vector<std::string> command, const std::map<std::string, std::string>& plumbing);

}  // namespace spotcheck::fakes
