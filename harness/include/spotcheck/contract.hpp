// The module contract: scenarios every launcher a project names gets ("launchers" in spotcheck.json),
// parameterised by the catalog entry that declares it.
#pragma once
#include <filesystem>
#include <vector>

#include "spotcheck/scenario.hpp"

namespace spotcheck::harness {

// The contract's scenarios for one launcher: preflight writes nothing and boots < deps < preflight <
// cleanup; the full run shows writes and one heartbeat; failure classes (preflight entrypoint failing,
// image gap, ssh never ready, dispatcher SIGTERM) exit non-zero, terminate everything, write nothing.
// A launcher no catalog declares is bad input whose message says what to add.
std::vector<Scenario> module_contract(const Project& project, const std::filesystem::path& launcher);

}  // namespace spotcheck::harness
