// World state files under state/, read-modify-written under one run-wide flock.
#include "spotcheck/fakes/state.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <sstream>

#include "spotcheck/error.hpp"

namespace spotcheck::fakes {
namespace {

// One lock per process, shared by nested StateLock scopes (flock is per open file description).
int g_lock_fd = -1;
int g_lock_depth = 0;

nlohmann::json parse_file(const std::filesystem::path& p, const nlohmann::json& initial) {
  std::ifstream in(p);
  if (!in) return initial;
  std::stringstream s;
  s << in.rdbuf();
  if (s.str().empty()) return initial;
  try {
    return nlohmann::json::parse(s.str());
  } catch (const nlohmann::json::parse_error& e) {
    throw harness_error(p.string(), std::string("corrupt world state: ") + e.what());
  }
}

void write_atomically(const std::filesystem::path& p, const nlohmann::json& value) {
  const auto tmp = p.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << value.dump(1) << "\n";
    if (!out) throw harness_error(tmp, "can't write world state");
  }
  std::filesystem::rename(tmp, p);
}

}  // namespace

StateLock::StateLock(const RunPaths& paths) {
  if (g_lock_depth++ > 0) return;
  std::error_code ec;
  std::filesystem::create_directories(paths.state(), ec);
  g_lock_fd = ::open(paths.lock().c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (g_lock_fd < 0) {
    g_lock_depth = 0;
    throw harness_error(paths.lock().string(), "can't open the world state lock");
  }
  ::flock(g_lock_fd, LOCK_EX);
  fd_ = g_lock_fd;
}

StateLock::~StateLock() {
  if (--g_lock_depth > 0) return;
  if (g_lock_fd >= 0) {
    ::flock(g_lock_fd, LOCK_UN);
    ::close(g_lock_fd);
  }
  g_lock_fd = -1;
  fd_ = -1;
}

nlohmann::json update_state(const RunPaths& paths, const std::string& name,
                            const std::function<void(nlohmann::json&)>& mutate, const nlohmann::json& initial) {
  StateLock lock(paths);
  const auto file = paths.state() / (name + ".json");
  nlohmann::json value = parse_file(file, initial);
  mutate(value);
  write_atomically(file, value);
  return value;
}

nlohmann::json read_state(const RunPaths& paths, const std::string& name, const nlohmann::json& initial) {
  StateLock lock(paths);
  return parse_file(paths.state() / (name + ".json"), initial);
}

const nlohmann::json& world_spec(const RunPaths& paths) {
  static std::map<std::string, nlohmann::json> cache;
  const std::string key = paths.world().string();
  auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  std::ifstream in(paths.world());
  nlohmann::json value = nlohmann::json::object();
  if (in) {
    try {
      value = nlohmann::json::parse(in);
    } catch (const nlohmann::json::parse_error& e) {
      throw bad_input(paths.world().string(), std::string("invalid JSON: ") + e.what());
    }
  }
  return cache.emplace(key, std::move(value)).first->second;
}

}  // namespace spotcheck::fakes
