// World state kept as JSON files under the run's state/ directory, safe under concurrent shims.
#pragma once
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "spotcheck/fakes/context.hpp"

namespace spotcheck::fakes {

// Holds the run-wide exclusive flock for its lifetime (state/.lock). Reentrant within one thread;
// threads working on different runs (check -j N) never share a lock's state.
class StateLock {
 public:
  explicit StateLock(const RunPaths& paths);
  ~StateLock();
  StateLock(const StateLock&) = delete;
  StateLock& operator=(const StateLock&) = delete;

 private:
  std::string key_;  // the lock file's path: names this thread's nesting entry
};

// Read-modify-write of state/NAME.json under the lock. A missing file reads as `initial`.
nlohmann::json update_state(const RunPaths& paths, const std::string& name,
                            const std::function<void(nlohmann::json&)>& mutate,
                            const nlohmann::json& initial = nlohmann::json::object());
nlohmann::json read_state(const RunPaths& paths, const std::string& name,
                          const nlohmann::json& initial = nlohmann::json::object());

// The scenario's world description (world.json), read-only; {} when absent.
const nlohmann::json& world_spec(const RunPaths& paths);

}  // namespace spotcheck::fakes
