// ssh/scp to the spot: readiness, watchdog, the reclaim-surviving transport and relaunch.
#pragma once

#include <string>

#include "spot_launch/session.hpp"

namespace spot_launch {

// One raw call; OUT (SshOut) receives the captured stdout. Returns the exit status.
int run_raw(Session& s, const RawCall& call, std::string* out = nullptr);
// A raw call that survives a spot reclaim (relaunch, redo the setup, retry).
int transport(Session& s, const RawCall& call, std::string* out = nullptr);
void boot_instance(Session& s);  // launch, wait, ip, ssh readiness, watchdog
// A heredoc step: SCRIPT saved to a new file, run as `bash -s -- ARGS...`.
int run_remote(Session& s, const std::string& script, const std::vector<std::string>& args);

}  // namespace spot_launch
