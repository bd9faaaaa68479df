// The dispatcher's sandbox plan: hermeticity rules (DESIGN.md) as data; real-tool discovery.
#include "spotcheck/sandbox.hpp"

#include <dirent.h>

#include <algorithm>
#include <memory>
#include <string_view>

#include "spotcheck/catalog.hpp"

namespace spotcheck::harness {
namespace {

namespace fs = std::filesystem;
using Kind = SandboxOp::Kind;

// Host directories a launcher must not see: other users' homes, host temp files, sockets (ssh agent).
const std::vector<std::string> kHiddenDirs = {"/tmp", "/var/tmp", "/root", "/home", "/run", "/dev/shm"};

bool under_hidden_dir(const fs::path& p) {
  const std::string s = p.lexically_normal().string();
  for (const auto& d : kHiddenDirs) {
    if (s == d || s.rfind(d + "/", 0) == 0) return true;
  }
  return false;
}

void add_run_dir(std::vector<SandboxOp>& ops, const SandboxSpec& spec) {
  const std::string root = kSandboxRoot;
  ops.push_back({Kind::Bind, spec.run_dir.string(), root});
  ops.push_back({Kind::RoBind, spec.fake_binary.string(), root + "/bin/spotcheck-fake"});
  if (!spec.call_client.empty()) ops.push_back({Kind::RoBind, spec.call_client.string(), root + "/bin/spotcheck-call"});
  ops.push_back({Kind::Bind, (spec.run_dir / "home").string(), kDispatcherHome});
}

}  // namespace

SandboxPlan plan_sandbox(const SandboxSpec& spec) {
  SandboxPlan plan;  // every namespace new; nothing survives the launcher
  plan.new_session = true;
  auto& ops = plan.ops;
  ops.push_back({Kind::RoBind, "/", "/"});  // the host, read-only
  ops.push_back({Kind::Dev, "/dev", ""});
  ops.push_back({Kind::Proc, "/proc", ""});
  for (const auto& d : kHiddenDirs) ops.push_back({Kind::Tmpfs, d, ""});
  add_run_dir(ops, spec);
  for (const auto& tool : spec.real_tools) ops.push_back({Kind::RoBind, spec.fake_binary.string(), tool.string()});
  const fs::path launcher_dir = fs::absolute(spec.launcher).parent_path();
  if (under_hidden_dir(launcher_dir)) ops.push_back({Kind::RoBind, launcher_dir.string(), launcher_dir.string()});
  ops.push_back({Kind::Hostname, "dispatcher", ""});
  for (const auto& [name, value] : spec.env) ops.push_back({Kind::SetEnv, name, value});
  ops.push_back({Kind::Chdir, kDispatcherWorkdir, ""});
  // The launcher under its supervisor (the fake binary), which reports the processes it left behind.
  plan.command = {std::string(kSandboxRoot) + "/bin/spotcheck-fake", kSuperviseFlag};
  if (spec.ready_fd >= 0) plan.command.insert(plan.command.end(), {kReadyFdFlag, std::to_string(spec.ready_fd)});
  plan.command.push_back(fs::absolute(spec.launcher).string());  // executable, as in production (the runner checks)
  plan.command.insert(plan.command.end(), spec.args.begin(), spec.args.end());
  return plan;
}

std::vector<fs::path> find_real_tools(const std::vector<std::string>& tool_names) {
  static const std::vector<std::string> dirs = {"/usr/local/bin", "/usr/bin", "/usr/local/sbin", "/usr/sbin"};
  const auto wanted = [&](std::string_view name) {
    // every interpreter and pip spelling: python3.11, python3.11-config is not a tool but harmless
    return std::find(tool_names.begin(), tool_names.end(), name) != tool_names.end() ||
           is_versioned_name(name, "python", false) || is_versioned_name(name, "pip", false);
  };
  std::vector<fs::path> found;
  std::error_code ec;
  for (const auto& dir : dirs) {
    if (fs::is_symlink(dir, ec)) continue;  // merged-/usr: /bin -> usr/bin is covered by /usr/bin
    // readdir, not fs::directory_iterator: /usr/bin has ~1,300 entries and this runs once per run; a path
    // object per entry was most of a dry run's time here. Only the wanted names become paths.
    const std::unique_ptr<DIR, int (*)(DIR*)> listing(::opendir(dir.c_str()), ::closedir);
    if (!listing) continue;
    while (const dirent* entry = ::readdir(listing.get())) {
      if (!wanted(entry->d_name)) continue;
      const fs::path path = fs::path(dir) / entry->d_name;
      // fs::exists follows symlinks: a dangling link (no real tool behind it) needs no hiding.
      if (!fs::exists(path, ec) || fs::is_directory(path, ec)) continue;
      // bwrap cannot mount onto a symlink: hide the file it points to (python3 -> python3.11).
      const auto target = fs::canonical(path, ec);
      if (!ec && std::find(found.begin(), found.end(), target) == found.end()) found.push_back(target);
    }
  }
  return found;
}

}  // namespace spotcheck::harness
