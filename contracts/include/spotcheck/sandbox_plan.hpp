// A sandbox as a plan: namespaces, mount and environment operations and a command, as data that can be
// printed (`spotcheck run --dry-run`), tested, then run by bubblewrap. One type for the dispatcher's
// sandbox (harness) and for every spot host's session (fakes).
#pragma once
#include <string>
#include <vector>

namespace spotcheck {

struct SandboxOp {
  enum class Kind { RoBind, Bind, DevBind, Tmpfs, Dir, Proc, Dev, SetEnv, Chdir, Hostname };
  Kind kind;
  std::string a;  // source (binds), path (tmpfs/dir/proc/dev/chdir), name (setenv), hostname
  std::string b;  // destination (binds), value (setenv)
  bool operator==(const SandboxOp&) const = default;
};

enum class Namespace { User, Pid, Net, Ipc, Uts, Cgroup };

struct SandboxPlan {
  // New namespaces; all six is bwrap's --unshare-all.
  std::vector<Namespace> unshare = {Namespace::User, Namespace::Pid, Namespace::Net,
                                    Namespace::Ipc,  Namespace::Uts, Namespace::Cgroup};
  bool die_with_parent = true;  // the sandbox ends with whoever started it
  bool new_session = false;     // setsid: no controlling terminal to inject input into
  // The environment is always cleared: the command sees exactly the SetEnv ops.
  std::vector<SandboxOp> ops;
  std::vector<std::string> command;  // run inside, after the ops

  std::vector<std::string> bwrap_argv(const std::string& bwrap = "/usr/bin/bwrap") const;
  // A header line (namespaces, session), then one line per op and the command.
  std::string describe() const;
  // What the command starts with: its environment as NAME=VALUE, and its working directory ("/" if none).
  std::vector<std::string> environment() const;
  std::string working_directory() const;
};

// The dispatcher sandbox runs `spotcheck-fake --supervise LAUNCHER [ARGS...]`: the fake binary runs the
// launcher, then lists the processes that outlived it (RunPaths::survivors()) before the sandbox ends them.
inline constexpr const char* kSuperviseFlag = "--supervise";
// `--supervise --ready-fd N LAUNCHER...`: the harness still writes the run directory (the World, the rules, the
// shim links) while bwrap sets the sandbox up, so the supervisor starts nothing until a byte arrives on N;
// end of file instead means the harness gave the run up.
inline constexpr const char* kReadyFdFlag = "--ready-fd";

}  // namespace spotcheck
