// The multi-call table: basename(argv[0]) picks the shim (STYLE.md 6).
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "spotcheck/fakes/call.hpp"

namespace spotcheck::fakes {

// A shim answers one call: writes output through `call`, returns the exit status (call.finish is
// done by the dispatcher). Shims may throw; the dispatcher records the error and exits 255.
using ShimFn = int (*)(Call& call);

struct ShimEntry {
  std::string_view name;
  ShimFn run;
  // It starts processes of its own (a host session, a wrapped command): it runs in the caller's process, never
  // in the run's call server, so that what it starts is the caller's child, in the caller's process group.
  bool starts_processes = false;
};

const std::vector<ShimEntry>& shim_table();
// The entry a tool name (a basename) runs as; nullptr for a tool the fake does not answer to.
const ShimEntry* find_shim(std::string_view tool);

int fake_main(int argc, char** argv);
// One call as a tool (basename of args[0] picks it), in this process: its record written, its output on fds 1
// and 2, its exit status returned. `caller_group`: see Context::caller_group.
int run_tool_call(std::vector<std::string> args, int caller_group);

// Shims, one file each under fakes/src/shims/.
int run_aws(Call& call);
int run_ssh(Call& call);
int run_scp(Call& call);
int run_ssh_keyscan(Call& call);
int run_python(Call& call);
int run_pip(Call& call);
int run_git(Call& call);
int run_sudo(Call& call);
int run_package_manager(Call& call);  // dnf, yum
int run_systemd_run(Call& call);
int run_shutdown(Call& call);
int run_sleep(Call& call);
int run_date(Call& call);
int run_http_client(Call& call);  // curl, wget
int run_timeout(Call& call);

}  // namespace spotcheck::fakes
