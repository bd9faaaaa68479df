// The world description (scenarios/worlds/*.json, a scenario's "world"): its shape, validated by one parser
// the harness (when it loads a scenario) and the fakes (when they answer from world.json) share.
#pragma once
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "spotcheck/json_cursor.hpp"

namespace spotcheck {

struct WorldConfig {
  struct SsmParameter {
    std::string value;
    std::string type = "String";  // String | StringList | SecureString
  };
  struct Repo {
    std::map<std::string, std::string> files;          // path in the clone -> text
    std::optional<std::vector<std::string>> branches;  // absent: any branch exists
  };
  // The outside world: host globs a spot and the dispatcher can reach (a real spot is on the internet; the
  // dispatcher's sandbox reaches AWS only), and canned HTTP answers for curl/wget to a reachable host.
  struct HttpAnswer {
    int status = 200;
    std::string body;
  };
  struct Internet {
    std::vector<std::string> spot = {"github.com",     "*.github.com",           "*.githubusercontent.com",
                                     "pypi.org",       "files.pythonhosted.org", "amazonaws.com",
                                     "*.amazonaws.com"};
    std::vector<std::string> dispatcher = {"amazonaws.com", "*.amazonaws.com"};
    std::map<std::string, HttpAnswer> http;  // URL -> answer
  };
  std::string region = "us-east-1";              // the instance metadata region seen on a spot host
  bool credentials = true;                       // ambient credentials (dispatcher role, spot instance profile)
  std::optional<std::vector<std::string>> amis;  // absent: any well-formed AMI id exists
  std::map<std::string, int> capacity;           // instance type -> instances that can run at once
  double boot_seconds = 20;                      // pending -> running
  double ssh_ready_after = 30;                   // launch -> sshd accepts connections
  bool ssm_agent = true;                         // instances' SSM agent registers (role, endpoint reachable)
  double ssm_agent_online_after = 45;            // launch -> the agent is Online (describe-instance-information)
  double ssm_invocation_visible_after = 0;       // send-command -> get-command-invocation knows the invocation
  std::vector<std::string> buckets;
  std::map<std::string, std::string> s3_objects;  // s3://bucket/key -> text
  std::map<std::string, SsmParameter> ssm;
  std::optional<std::map<std::string, Repo>> repos;  // absent: any repository clones (a README only)
  std::map<std::string, std::string> files;          // dispatcher fixtures: "~/x" or relative path -> text
  std::vector<std::string> config_prefixes;          // S3 key prefixes whose writes are config.write
  Internet internet;
};

// Validates a world document at `world` (errors: FILE: /json/pointer: expected ..., see json_cursor.hpp).
WorldConfig parse_world_config(const JsonCursor& world);

// One source of a run's world: `value` sits at `pointer` in `file` ("" for a world file, "/world" for a
// scenario's inline world).
struct WorldLayer {
  nlohmann::json value;
  std::string file;
  std::string pointer;
};

// The layers merged in order (each a JSON merge patch, RFC 7386, over the ones before: null removes a key)
// and validated. A bad value is reported in the layer that gave it: `scenarios/x.json: /world/capacity/m5:
// expected ...`, never in the merged copy.
nlohmann::json merge_world(const std::vector<WorldLayer>& layers);
// The layers a run's world files and inline worlds make, in merge order: each file read, then `inline_layers`.
std::vector<WorldLayer> world_layers(const std::vector<std::filesystem::path>& files,
                                     const std::vector<WorldLayer>& inline_layers);

}  // namespace spotcheck
