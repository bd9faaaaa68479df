// A spot host's session sandbox as a plan (see spotcheck/fakes/host_plan.hpp).
#include "spotcheck/fakes/host_plan.hpp"

#include <algorithm>
#include <cstdlib>

namespace spotcheck::fakes {

using Kind = SandboxOp::Kind;

std::map<std::string, std::string> host_plumbing_from_environment() {
  std::map<std::string, std::string> plumbing;
  for (const char* name : kHostPlumbing) {
    if (const char* value = std::getenv(name); value && *value) plumbing[name] = value;
  }
  return plumbing;
}

std::filesystem::path host_home(const RunPaths& paths, const std::string& instance_id) {
  return paths.host_dir(instance_id) / "home" / kRemoteUser;
}

std::filesystem::path host_tmp(const RunPaths& paths, const std::string& instance_id) {
  return paths.host_dir(instance_id) / "tmp";
}

std::vector<HostMount> host_mounts(const RunPaths& paths, const std::string& instance_id) {
  std::vector<HostMount> mounts = {{kRemoteHome, host_home(paths, instance_id)},
                                   {"/tmp", host_tmp(paths, instance_id)}};
  for (const char* dir : kHostScratchDirs) {
    std::error_code ec;
    if (std::filesystem::is_directory(dir, ec))
      mounts.push_back({dir, paths.host_dir(instance_id) / "fs" / std::string(dir).substr(1)});
  }
  return mounts;
}

std::optional<std::filesystem::path> host_own_path(const RunPaths& paths, const std::string& instance_id,
                                                   const std::string& path) {
  for (const auto& [mount, dir] : host_mounts(paths, instance_id)) {
    if (path == mount || path.rfind(mount + "/", 0) == 0)
      return dir / std::filesystem::path(path.substr(mount.size())).relative_path();
  }
  return std::nullopt;
}

std::string host_name_of(const world::Instance& instance) {
  std::string ip = instance.private_ip.empty() ? "10.0.0.1" : instance.private_ip;
  std::replace(ip.begin(), ip.end(), '.', '-');
  return "ip-" + ip;
}

SandboxPlan plan_host_sandbox(const RunPaths& paths, const world::Instance& instance, std::int64_t parent_seq,
                              std::vector<std::string> command, const std::map<std::string, std::string>& plumbing) {
  const std::string root = paths.root.string();
  SandboxPlan plan;
  // pid and network stay the dispatcher sandbox's: one pid namespace ends every host with the run.
  plan.unshare = {Namespace::User, Namespace::Ipc, Namespace::Uts};
  auto& ops = plan.ops;
  // The outer sandbox's view (fakes bound over real tools, its /proc) is inherited read-only; a nested
  // --proc would fail, so there is none.
  ops.push_back({Kind::RoBind, "/", "/"});
  ops.push_back({Kind::DevBind, "/dev", "/dev"});
  ops.push_back({Kind::Tmpfs, "/home", ""});
  for (const auto& mount : host_mounts(paths, instance.id)) ops.push_back({Kind::Bind, mount.dir.string(), mount.path});
  ops.push_back({Kind::Bind, root, root});  // after /tmp: in unit tests the run root itself lives under /tmp
  // The fake's own links over the dispatcher's (which hand calls to its call server): every run directory the
  // harness makes has them (harness/runner/run_dir.cpp), mounted at /run/spotcheck; a bare test root may not.
  std::error_code ec;
  if (paths.root == "/run/spotcheck" || std::filesystem::is_directory(paths.host_shims(), ec))
    ops.push_back({Kind::RoBind, paths.host_shims().string(), paths.shims().string()});
  ops.push_back({Kind::Hostname, host_name_of(instance), ""});
  ops.push_back({Kind::Chdir, kRemoteHome, ""});
  const std::vector<std::pair<std::string, std::string>> env = {
      {"HOME", kRemoteHome},
      {"USER", kRemoteUser},
      {"LOGNAME", kRemoteUser},
      {"SHELL", "/bin/bash"},
      {"PATH", paths.shims().string() + ":/usr/local/bin:/usr/bin:/bin"},
      {"LANG", "C.UTF-8"},
      {kEnvRoot, root},
      {kEnvHost, instance.id},
      {kEnvParent, std::to_string(parent_seq)}};
  for (const auto& [name, value] : env) ops.push_back({Kind::SetEnv, name, value});
  // Harness plumbing (not the dispatcher's environment): strictness, time limit, recorded variable names.
  for (const char* name : kHostPlumbing) {
    if (const auto it = plumbing.find(name); it != plumbing.end() && !it->second.empty())
      ops.push_back({Kind::SetEnv, name, it->second});
  }
  plan.command = std::move(command);
  return plan;
}

}  // namespace spotcheck::fakes
