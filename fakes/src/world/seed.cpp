// Initial World state from world.json: buckets and objects, SSM parameters, an empty instance table.
#include "spotcheck/fakes/world/seed.hpp"

#include <nlohmann/json.hpp>

#include "spotcheck/fakes/state.hpp"
#include "spotcheck/json_cursor.hpp"
#include "world/s3_store.hpp"
#include "world/ssm_store.hpp"
#include "world/world_config.hpp"

namespace spotcheck::fakes::world {
namespace {

// Read directly rather than through world_spec(): the host side may seed several runs in one process.
nlohmann::json read_world_file(const RunPaths& paths) {
  if (!std::filesystem::exists(paths.world())) return nlohmann::json::object();
  return read_json_file(paths.world().string());
}

void seed_s3(const RunPaths& paths, const WorldConfig& cfg) {
  std::vector<SeedObject> objects;
  for (const auto& [url, text] : cfg.s3_objects) {
    const auto parsed = parse_s3_url(url);
    objects.push_back({parsed->bucket, parsed->key, text});
  }
  S3Store(paths).seed(cfg.buckets, objects, cfg.region);
}

}  // namespace

void seed_world(const RunPaths& paths) {
  const nlohmann::json doc = read_world_file(paths);
  const WorldConfig cfg = parse_world_config(JsonCursor(doc, paths.world().string()));
  std::filesystem::create_directories(paths.state());
  StateLock lock(paths);
  update_state(paths, "ec2", [](nlohmann::json&) {}, {{"next", 0}, {"instances", nlohmann::json::array()}});
  update_state(paths, "s3-meta", [](nlohmann::json&) {}, {{"buckets", nlohmann::json::object()}});
  seed_s3(paths, cfg);
  for (const auto& [name, p] : cfg.ssm) seed_parameter(paths, cfg.region, name, p.value, p.type);
}

}  // namespace spotcheck::fakes::world
