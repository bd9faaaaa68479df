// The sandbox as a plan: a list of mount/env operations that can be printed, tested, then run by bubblewrap.
#pragma once
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace spotcheck {

struct SandboxOp {
  enum class Kind { RoBind, Bind, Tmpfs, Dir, Proc, Dev, SetEnv, Chdir, Hostname };
  Kind kind;
  std::string a;  // source (binds), path (tmpfs/dir/proc/dev/chdir), name (setenv), hostname
  std::string b;  // destination (binds), value (setenv)
};

struct SandboxSpec {
  std::filesystem::path run_dir;                  // host side of /spotcheck
  std::filesystem::path fake_binary;              // build/bin/spotcheck-fake
  std::filesystem::path catalog_dir;              // scenarios/workloads
  std::filesystem::path launcher;                 // the script to run, unmodified
  std::vector<std::string> args;                  // its arguments
  std::vector<std::filesystem::path> real_tools;  // host paths of real aws/ssh/python... to hide behind the fake
  std::map<std::string, std::string> env;         // the launcher's whole environment
};

struct SandboxPlan {
  std::vector<SandboxOp> ops;
  std::vector<std::string> command;  // run inside, after the ops
  std::vector<std::string> bwrap_argv(const std::string& bwrap = "/usr/bin/bwrap") const;
  std::string describe() const;  // one line per op, for `spotcheck run --dry-run`
};

inline constexpr const char* kSandboxRoot = "/run/spotcheck";  // under a hidden tmpfs, so bwrap can create it
inline constexpr const char* kDispatcherHome = "/home/runner";
inline constexpr const char* kDispatcherWorkdir = "/home/runner/work";

SandboxPlan plan_sandbox(const SandboxSpec& spec);

// Host paths of every executable the fakes stand for (found in the standard bin dirs), so that an
// absolute path such as /usr/bin/aws reaches the fake too.
std::vector<std::filesystem::path> find_real_tools(const std::vector<std::string>& tool_names);

}  // namespace spotcheck
