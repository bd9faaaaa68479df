// Internal to the World model: the outside world a host can reach (world.json's "internet").
#pragma once
#include <optional>
#include <string>

#include "spotcheck/fakes/context.hpp"
#include "spotcheck/world_config.hpp"

namespace spotcheck::fakes::world {

// Whether `host` (a DNS name, case-insensitive) answers from a spot (`on_spot`) or from the dispatcher.
bool reachable(const RunPaths& paths, bool on_spot, const std::string& host);
// The canned answer of a reachable URL, if the world gives one.
std::optional<WorldConfig::HttpAnswer> http_answer(const RunPaths& paths, const std::string& url);

}  // namespace spotcheck::fakes::world
