// The module contract: scenarios every launchers/spot_*.sh gets, parameterised by its catalog entry.
#pragma once
#include <filesystem>
#include <vector>

#include "spotcheck/scenario.hpp"

namespace spotcheck::harness {

// launchers/spot_*.sh under the project root, sorted.
std::vector<std::filesystem::path> module_launchers(const std::filesystem::path& project_root);

// The contract's scenarios for one launcher: preflight writes nothing and boots < deps < preflight <
// cleanup; the full run shows writes and one heartbeat; failure classes (preflight entrypoint failing,
// image gap, ssh never ready, dispatcher SIGTERM) exit non-zero, terminate everything, write nothing.
// A launcher no catalog declares is bad input whose message says what to add.
std::vector<Scenario> module_contract(const std::filesystem::path& project_root, const std::filesystem::path& launcher);

}  // namespace spotcheck::harness
