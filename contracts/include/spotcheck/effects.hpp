// The effects oracle: classifies a call from its argv (never from the script text).
#pragma once
#include <algorithm>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "spotcheck/catalog.hpp"

namespace spotcheck {

// The taxonomy (DESIGN.md "Effects taxonomy"); the JSON Schema enumerates the same names.
inline const std::vector<std::string>& effect_names() {
  static const std::vector<std::string> names = {
      "ec2.launch",   "ec2.wait", "ec2.describe",  "ec2.terminate", "remote.exec",      "remote.copy",
      "deps.install", "s3.read",  "s3.write",      "config.write",  "metric.write",     "secret.read",
      "secret.write", "notify",   "identity.read", "external.api",  "watchdog.install", "sleep"};
  return names;
}

inline bool is_effect_name(std::string_view name) {
  const auto& names = effect_names();
  return std::find(names.begin(), names.end(), name) != names.end();
}

struct CallSite {
  std::string host;               // "dispatcher" or an instance id
  std::string tool;               // basename of argv[0]
  std::vector<std::string> argv;  // full argv, argv[0] included
};

struct ClassifyOptions {
  std::vector<std::string> config_prefixes = {"config/"};  // S3 key prefixes whose writes are config.write
  const WorkloadCatalog* catalog = nullptr;                // python entrypoints -> declared effects
};

std::vector<std::string> classify(const CallSite& call, const ClassifyOptions& options = {});

// Counts effects over a set of effect lists; every taxonomy name present (zero when absent).
std::map<std::string, int> count_effects(const std::vector<std::vector<std::string>>& per_call);

}  // namespace spotcheck
