// Internal to the World model: SSM parameters per region in state/ssm.json.
#pragma once
#include <string>

#include "spotcheck/fakes/context.hpp"

namespace spotcheck::fakes::world {

// Stores a parameter at version 1 (seeding from world.json, at virtual time 0).
void seed_parameter(const RunPaths& paths, const std::string& region, const std::string& name, const std::string& value,
                    const std::string& type);

}  // namespace spotcheck::fakes::world
