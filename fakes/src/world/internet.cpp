// The outside world as the World models it: which hosts answer from a spot and from the dispatcher.
#include "world/internet.hpp"

#include <fnmatch.h>

#include "spotcheck/text.hpp"
#include "world/world_config.hpp"

namespace spotcheck::fakes::world {

bool reachable(const RunPaths& paths, const bool on_spot, const std::string& host) {
  const auto& internet = world_config(paths).internet;
  const std::string name = ascii_lowercase(host);
  for (const auto& glob : on_spot ? internet.spot : internet.dispatcher) {
    if (::fnmatch(ascii_lowercase(glob).c_str(), name.c_str(), 0) == 0) return true;
  }
  return false;
}

std::optional<WorldConfig::HttpAnswer> http_answer(const RunPaths& paths, const std::string& url) {
  const auto& http = world_config(paths).internet.http;
  const auto it = http.find(url);
  if (it == http.end()) return std::nullopt;
  return it->second;
}

}  // namespace spotcheck::fakes::world
