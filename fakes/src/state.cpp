// World state files under state/, read-modify-written under one run-wide flock.
#include "spotcheck/fakes/state.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <map>
#include <string>

#include "spotcheck/error.hpp"
#include "spotcheck/file_io.hpp"
#include "spotcheck/json_cursor.hpp"

namespace spotcheck::fakes {
namespace {

// Nested StateLock scopes on one run share one descriptor: flock is per open file description, so a
// second open() of the same lock in the same thread would wait for itself. The nesting is per thread
// and per lock file, never process-wide: `check -j N` seeds several runs' worlds at once, one per
// worker thread, and each thread's scopes must neither see nor release another run's lock.
struct HeldLock {
  int fd = -1;
  int depth = 0;
};
thread_local std::map<std::string, HeldLock> t_held;

nlohmann::json parse_file(const std::filesystem::path& p, const nlohmann::json& initial) {
  const auto text = read_file_bytes(p);
  if (!text || text->empty()) return initial;
  try {
    return nlohmann::json::parse(*text);
  } catch (const nlohmann::json::parse_error& e) {
    throw harness_error(p.string(), std::string("corrupt world state: ") + e.what());
  }
}

void write_atomically(const std::filesystem::path& p, const nlohmann::json& value) {
  const auto tmp = p.string() + ".tmp";
  // A full disk shows at the write or the close: check both, never rename a short file.
  if (!write_file_bytes(tmp, value.dump(1) + "\n")) {
    const std::string why = errno_message();
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
    throw harness_error(tmp, "can't write world state (" + why + "; is the run directory's filesystem full?)");
  }
  std::filesystem::rename(tmp, p);
}

}  // namespace

StateLock::StateLock(const RunPaths& paths) : key_(paths.lock().string()) {
  HeldLock& held = t_held[key_];
  if (held.depth > 0) {
    ++held.depth;
    return;
  }
  std::error_code ec;
  std::filesystem::create_directories(paths.state(), ec);
  const int fd = ::open(key_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    t_held.erase(key_);
    throw harness_error(key_, "can't open the world state lock");
  }
  int rc;
  while ((rc = ::flock(fd, LOCK_EX)) != 0 && errno == EINTR) {
  }
  if (rc != 0) {
    const int err = errno;
    ::close(fd);
    t_held.erase(key_);
    throw harness_error(key_, "can't lock the world state: " + errno_message(err));
  }
  held = {fd, 1};
}

StateLock::~StateLock() {
  auto it = t_held.find(key_);
  if (it == t_held.end() || --it->second.depth > 0) return;
  ::flock(it->second.fd, LOCK_UN);
  ::close(it->second.fd);
  t_held.erase(it);
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
  // A fake process serves one call of one run, and reads world.json several times per call. Per
  // thread, so a multi-threaded host never shares or races on it (the harness seeds worlds through
  // seed_world, which reads the file itself).
  thread_local std::map<std::string, nlohmann::json> cache;
  const std::string key = paths.world().string();
  auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  nlohmann::json value =
      std::filesystem::exists(paths.world()) ? read_json_file(paths.world().string()) : nlohmann::json::object();
  return cache.emplace(key, std::move(value)).first->second;
}

}  // namespace spotcheck::fakes
