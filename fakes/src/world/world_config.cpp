// The run's world description (world.json, validated by spotcheck's parse_world_config), cached per process.
#include "world/world_config.hpp"

#include <map>

#include "spotcheck/fakes/state.hpp"

namespace spotcheck::fakes::world {

const WorldConfig& world_config(const RunPaths& paths) {
  thread_local std::map<std::string, WorldConfig> cache;  // per thread, as world_spec's (state.cpp)
  const std::string key = paths.root.string();
  auto it = cache.find(key);
  if (it == cache.end())
    it = cache.emplace(key, parse_world_config(JsonCursor(world_spec(paths), paths.world().string()))).first;
  return it->second;
}

}  // namespace spotcheck::fakes::world
