// Internal to the World model: the run's world.json as the fake aws reads it, parsed once per process.
#pragma once
#include "spotcheck/fakes/context.hpp"
#include "spotcheck/world_config.hpp"

namespace spotcheck::fakes::world {

using spotcheck::WorldConfig;

// The run's world (world_spec), parsed once per process. The harness validated it before the run
// (merge_world), so an error here names the run directory's world.json only if someone edited it since.
const WorldConfig& world_config(const RunPaths& paths);

}  // namespace spotcheck::fakes::world
