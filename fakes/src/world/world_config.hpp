// Internal to the World model: the parts of world.json the fake aws reads, validated once.
#pragma once
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "spotcheck/fakes/context.hpp"

namespace spotcheck::fakes::world {

struct SsmSeed {
  std::string value;
  std::string type = "String";  // String | StringList | SecureString
};

struct WorldConfig {
  std::string region = "us-east-1";              // the instance metadata region seen on a spot host
  bool credentials = true;                       // ambient credentials (dispatcher role, spot instance profile)
  std::optional<std::vector<std::string>> amis;  // absent: any well-formed AMI id exists
  std::map<std::string, int> capacity;           // instance type -> instances that can run at once
  double boot_seconds = 20;                      // pending -> running
  double ssh_ready_after = 30;                   // launch -> sshd accepts connections
  std::vector<std::string> buckets;
  std::map<std::string, std::string> s3_objects;  // s3://bucket/key -> text
  std::map<std::string, SsmSeed> ssm;
};

// Parses a world document; errors name world.json and the JSON pointer (spotcheck::bad_input).
WorldConfig parse_world_config(const nlohmann::json& world);
// The run's world (world_spec), parsed once per process.
const WorldConfig& world_config(const RunPaths& paths);

}  // namespace spotcheck::fakes::world
