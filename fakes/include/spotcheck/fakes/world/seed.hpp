// Seeding the World model from a scenario's world.json, on the host side before the sandbox starts.
#pragma once
#include "spotcheck/fakes/context.hpp"

namespace spotcheck::fakes::world {

// Reads paths.world() (world.json) and initialises state/: S3 buckets and objects (bytes under
// state/s3/BUCKET/KEY), SSM parameters, an empty EC2 instance table. State holds relative paths only.
// The harness validated the world it wrote there (merge_world), so a malformed entry (a JsonError naming
// the file and the JSON pointer) means the file was written by hand.
void seed_world(const RunPaths& paths);

}  // namespace spotcheck::fakes::world
