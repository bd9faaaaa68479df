// Initial World state from world.json: buckets and objects, SSM parameters, an empty instance table.
#include "spotcheck/fakes/world/seed.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "spotcheck/error.hpp"
#include "spotcheck/fakes/state.hpp"
#include "world/s3_store.hpp"
#include "world/ssm_store.hpp"
#include "world/world_config.hpp"

namespace spotcheck::fakes::world {
namespace {

// Read directly rather than through world_spec(): the host side may seed several runs in one process.
nlohmann::json read_world_file(const RunPaths& paths) {
  std::ifstream in(paths.world());
  if (!in) return nlohmann::json::object();
  std::stringstream s;
  s << in.rdbuf();
  try {
    return nlohmann::json::parse(s.str());
  } catch (const nlohmann::json::parse_error& e) {
    throw bad_input("world.json", std::string("not valid JSON: ") + e.what());
  }
}

void seed_s3(const RunPaths& paths, const WorldConfig& cfg) {
  S3Store store(paths);
  for (const auto& bucket : cfg.buckets) store.create_bucket(bucket, cfg.region, 0);
  for (const auto& [url, text] : cfg.s3_objects) {
    const auto parsed = parse_s3_url(url);
    store.create_bucket(parsed->bucket, cfg.region, 0);
    store.put(parsed->bucket, parsed->key, text, 0);
  }
}

}  // namespace

void seed_world(const RunPaths& paths) {
  const WorldConfig cfg = parse_world_config(read_world_file(paths));
  std::filesystem::create_directories(paths.state());
  StateLock lock(paths);
  update_state(paths, "ec2", [](nlohmann::json&) {}, {{"next", 0}, {"instances", nlohmann::json::array()}});
  update_state(paths, "s3-meta", [](nlohmann::json&) {}, {{"buckets", nlohmann::json::object()}});
  seed_s3(paths, cfg);
  for (const auto& [name, p] : cfg.ssm) seed_parameter(paths, cfg.region, name, p.value, p.type);
}

}  // namespace spotcheck::fakes::world
