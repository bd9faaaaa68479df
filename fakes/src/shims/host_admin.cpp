// dnf/yum, systemd-run and shutdown: root-only host administration on the spot (sudo grants root).
#include <cstdlib>
#include <string>

#include "spotcheck/fakes/shim.hpp"
#include "spotcheck/fakes/state.hpp"
#include "spotcheck/fakes/world/instances.hpp"
#include "world/internet.hpp"
#include "world/world_config.hpp"

namespace spotcheck::fakes {
namespace {

bool as_root() {
  const char* s = std::getenv("SPOTCHECK_SUDO");
  return s && std::string(s) == "1";
}

bool has_arg(const std::vector<std::string>& argv, const std::string& a) {
  return std::find(argv.begin(), argv.end(), a) != argv.end();
}

}  // namespace

int run_package_manager(Call& call) {
  const auto& argv = call.argv();
  if (argv.size() < 2 || (argv[1] != "install" && argv[1] != "-y")) {
    call.mark_unscripted();
    return 0;
  }
  if (!as_root()) {
    call.err("Error: This command has to be run with superuser privileges (under the root user on most systems).\n");
    return 1;
  }
  if (!has_arg(argv, "-y") && !has_arg(argv, "--assumeyes")) {
    call.out("Is this ok [y/N]: ");
    call.err("Operation aborted.\n");  // no terminal to answer the prompt, as over a non-interactive ssh
    return 1;
  }
  // Amazon Linux 2023's repositories are served from S3 in the instance's region.
  const std::string region = world::world_config(call.ctx().paths).region;
  const std::string repo_host = "al2023-repos-" + region + "-de612dc2.s3.dualstack." + region + ".amazonaws.com";
  if (!world::reachable(call.ctx().paths, call.ctx().on_spot(), repo_host)) {
    call.out("Amazon Linux 2023 repository                    0.0  B/s |   0  B     00:00\n");
    call.err(
        "Errors during downloading metadata for repository 'amazonlinux':\n  - Curl error (6): Couldn't resolve "
        "host name for https://" +
        repo_host + "/core/mirrors/latest/x86_64/mirror.list [Could not resolve host: " + repo_host +
        "]\nError: Failed to download metadata for repo 'amazonlinux': Cannot download repomd.xml: Cannot "
        "download repodata/repomd.xml: All mirrors were tried\n");
    return 1;
  }
  call.out("Dependencies resolved.\nComplete!\n");
  return 0;
}

int run_systemd_run(Call& call) {
  if (!as_root()) {
    call.err("Failed to start transient timer unit: Access denied\n");
    return 1;
  }
  const auto unit = "run-u" + std::to_string(call.seq());
  update_state(call.ctx().paths, "watchdogs", [&](nlohmann::json& s) {
    s[call.ctx().host].push_back({{"argv", call.argv()}, {"t", call.started_at()}, {"unit", unit}});
  });
  call.err("Running timer as unit: " + unit + ".timer\nWill run service as unit: " + unit + ".service\n");
  return 0;
}

int run_shutdown(Call& call) {
  if (!call.ctx().on_spot()) {
    call.err("spotcheck: refusing to shut down the dispatcher\n");
    call.mark_unscripted();
    return 1;
  }
  if (!as_root()) {
    call.err(
        "Failed to set wall message, ignoring: Interactive authentication required.\n"
        "Failed to call ScheduleShutdown in logind, proceeding with immediate shutdown: Access denied\n");
    return 1;
  }
  world::set_instance_state(call.ctx().paths, call.ctx().host, "shutting-down");
  return 0;
}

}  // namespace spotcheck::fakes
