// Internal to the fakes: a session on a spot host, run in the host's namespaces kept alive between ssh
// sessions, or in a bubblewrap of its own.
//
// Starting a nested bubblewrap per ssh call re-creates the host's user, mount, ipc and uts namespaces and
// re-mounts the whole read-only view (every mount of the dispatcher's sandbox, remounted one by one):
// ~2 ms of a ~3 ms ssh call. Instead the first session of a host starts a keeper (the fake binary in
// `--host-keeper` mode, idle) in a bubblewrap made from the host's plan; every session then joins the
// keeper's namespaces (setns), drops its capabilities as bubblewrap does, and execs the remote shell.
// Only inside a run whose sandbox has its own pid namespace (SPOTCHECK_HOST_KEEPERS=1): that namespace
// ends the keepers with the run, so none outlives it. Anywhere else, each session gets its own bwrap.
#pragma once
#include <cstdio>
#include <functional>
#include <optional>
#include <string>

#include "shims/ssh.hpp"
#include "spotcheck/fakes/call.hpp"

namespace spotcheck::fakes {

inline constexpr const char* kHostKeeperFlag = "--host-keeper";  // spotcheck-fake --host-keeper
// The process name (comm) of a host booting in the background: not a process the launcher left behind.
inline constexpr const char* kHostBootName = "spotcheck-boot";

// Where a session's output goes as it arrives (stream 1 or 2): ssh passes it through to its own stdout and
// stderr and records it; the SSM agent collects it for get-command-invocation.
using SessionOutput = std::function<void(int stream, const std::string& chunk)>;
SessionOutput stream_to_caller(Call& call);

// Whether this run allows keepers (the environment says so).
bool host_keepers_allowed();

// The pid of `instance_id`'s live keeper, starting one from `plan` if there is none. nullopt when one
// cannot be started (the caller falls back to a bwrap of its own). Serialised per host by a lock file.
std::optional<int> host_keeper(const RunPaths& paths, const std::string& instance_id, const SandboxPlan& plan);

// Starts `instance_id`'s keeper in a background process, as a real instance boots after run-instances returns:
// its first session then joins a keeper instead of waiting for the keeper's bwrap (~5 ms of CPU, off the
// launcher's path on a second core). Nothing where keepers are not allowed or the process cannot start; a
// session starts the keeper itself then, as it does when this has not finished (it waits on the host's lock).
void boot_host_in_background(const RunPaths& paths, const std::string& instance_id);

// Runs plan.command inside the keeper's namespaces with the plan's environment and working directory,
// stdin from `input` (nullptr: /dev/null), stdout/stderr into `output`. Returns the command's status, or
// nullopt if the namespaces could not be joined before anything ran (no output was produced).
std::optional<int> run_in_keeper(int keeper_pid, const SandboxPlan& plan, std::FILE* input,
                                 const SessionOutput& output);

// Runs plan.command as one session on the host, stdin from `input` (nullptr: /dev/null), its output into
// `output`: in the host's keeper when keepers are allowed and it can be joined, else in a bubblewrap of its
// own. Returns the remote status, or 255 (ssh's failure) when no sandbox started; why goes to `call`'s stderr.
int run_host_session(Call& call, const RunPaths& paths, const std::string& instance_id, const SandboxPlan& plan,
                     std::FILE* input, const SessionOutput& output);

// The keeper itself: waits, doing nothing, until the run's pid namespace ends it.
[[noreturn]] void run_host_keeper();

}  // namespace spotcheck::fakes
