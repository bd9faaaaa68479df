// Internal to the fakes: run a child command as a transport shim's child (sudo, timeout).
#pragma once
#include <map>
#include <string>
#include <vector>

#include "spotcheck/fakes/call.hpp"

namespace spotcheck::fakes {

// Runs argv (PATH-searched) with the parent's stdio, SPOTCHECK_PARENT=call.seq() and `extra_env`.
// Returns the exit status, 128+N for a signal, 127 when the program is not found (message on stderr).
int run_child(Call& call, const std::vector<std::string>& argv, const std::map<std::string, std::string>& extra_env);

}  // namespace spotcheck::fakes
