// Reads and validates the fake aws's part of world.json (region, AMIs, capacity, timings, S3, SSM).
#include "world/world_config.hpp"

#include <nlohmann/json.hpp>

#include "spotcheck/error.hpp"
#include "spotcheck/fakes/state.hpp"

namespace spotcheck::fakes::world {
namespace {

[[noreturn]] void bad(const std::string& pointer, const std::string& expected) {
  throw bad_input("world.json", pointer + ": expected " + expected);
}

std::string string_at(const nlohmann::json& v, const std::string& pointer) {
  if (!v.is_string()) bad(pointer, "a string");
  return v.get<std::string>();
}

double seconds_at(const nlohmann::json& v, const std::string& pointer) {
  if (!v.is_number() || v.get<double>() < 0) bad(pointer, "a non-negative number of seconds");
  return v.get<double>();
}

void read_capacity(const nlohmann::json& v, WorldConfig& c) {
  if (!v.is_object()) bad("/capacity", "an object of instance type -> count");
  for (const auto& [type, count] : v.items()) {
    if (!count.is_number_integer() || count.get<int>() < 0) bad("/capacity/" + type, "a non-negative integer");
    c.capacity[type] = count.get<int>();
  }
}

void read_s3(const nlohmann::json& v, WorldConfig& c) {
  if (!v.is_object()) bad("/s3", "an object with \"buckets\" and \"objects\"");
  if (v.contains("buckets")) {
    if (!v["buckets"].is_array()) bad("/s3/buckets", "an array of bucket names");
    for (std::size_t i = 0; i < v["buckets"].size(); ++i)
      c.buckets.push_back(string_at(v["buckets"][i], "/s3/buckets/" + std::to_string(i)));
  }
  if (v.contains("objects")) {
    if (!v["objects"].is_object()) bad("/s3/objects", "an object of strings");
    for (const auto& [url, text] : v["objects"].items()) {
      if (url.rfind("s3://", 0) != 0 || url.find('/', 5) == std::string::npos || url.find('/', 5) == 5)
        bad("/s3/objects/" + url, "a key of the form s3://bucket/key");
      if (!text.is_string()) bad("/s3/objects", "an object of strings");
      c.s3_objects[url] = text.get<std::string>();
    }
  }
}

void read_ssm(const nlohmann::json& v, WorldConfig& c) {
  if (!v.is_object()) bad("/ssm", "an object of parameter name -> {\"value\", \"type\"}");
  for (const auto& [name, p] : v.items()) {
    const std::string where = "/ssm/" + name;
    if (p.is_string()) {
      c.ssm[name] = {p.get<std::string>(), "String"};
      continue;
    }
    if (!p.is_object() || !p.contains("value")) bad(where, "an object with a string \"value\"");
    SsmSeed seed{string_at(p["value"], where + "/value"), "String"};
    if (p.contains("type")) seed.type = string_at(p["type"], where + "/type");
    if (seed.type != "String" && seed.type != "StringList" && seed.type != "SecureString")
      bad(where + "/type", "one of String, StringList, SecureString");
    c.ssm[name] = seed;
  }
}

}  // namespace

WorldConfig parse_world_config(const nlohmann::json& world) {
  WorldConfig c;
  if (world.is_null()) return c;
  if (!world.is_object()) bad("", "an object");
  if (world.contains("region")) c.region = string_at(world["region"], "/region");
  if (world.contains("credentials")) {
    if (!world["credentials"].is_boolean()) bad("/credentials", "true or false");
    c.credentials = world["credentials"].get<bool>();
  }
  if (world.contains("amis")) {
    if (!world["amis"].is_array()) bad("/amis", "an array of AMI ids");
    c.amis.emplace();
    for (std::size_t i = 0; i < world["amis"].size(); ++i)
      c.amis->push_back(string_at(world["amis"][i], "/amis/" + std::to_string(i)));
  }
  if (world.contains("capacity")) read_capacity(world["capacity"], c);
  if (world.contains("boot_seconds")) c.boot_seconds = seconds_at(world["boot_seconds"], "/boot_seconds");
  if (world.contains("ssh_ready_after")) c.ssh_ready_after = seconds_at(world["ssh_ready_after"], "/ssh_ready_after");
  if (world.contains("s3")) read_s3(world["s3"], c);
  if (world.contains("ssm")) read_ssm(world["ssm"], c);
  return c;
}

const WorldConfig& world_config(const RunPaths& paths) {
  thread_local std::map<std::string, WorldConfig> cache;  // per thread, as world_spec's (state.cpp)
  const std::string key = paths.root.string();
  auto it = cache.find(key);
  if (it == cache.end()) it = cache.emplace(key, parse_world_config(world_spec(paths))).first;
  return it->second;
}

}  // namespace spotcheck::fakes::world
