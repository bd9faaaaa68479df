// Where a shim's run lives (from the environment), the virtual clock and the global sequence.
#include "spotcheck/fakes/context.hpp"

#include <algorithm>
#include <cstdlib>
#include <string>

#include "spotcheck/fakes/state.hpp"
#include "spotcheck/file_io.hpp"

namespace spotcheck::fakes {
namespace {

const char* env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return (v && *v) ? v : fallback;
}

// The first line of a small state file ("" when it is missing).
std::string read_small(const std::filesystem::path& p) {
  std::string s = read_file_bytes(p).value_or("");
  s.resize(std::min(s.find('\n'), s.size()));
  return s;
}

void write_small(const std::filesystem::path& p, const std::string& s) {
  write_file_bytes(p, s + "\n");
}

}  // namespace

Context context_from_env() {
  Context ctx;
  ctx.paths.root = env_or(kEnvRoot, "/run/spotcheck");
  ctx.host = env_or(kEnvHost, "dispatcher");
  if (const char* p = std::getenv(kEnvParent); p && *p) ctx.parent = std::stoll(p);
  ctx.strict = std::string(env_or(kEnvStrict, "0")) == "1";
  if (const char* t = std::getenv(kEnvTimeout); t && *t) ctx.timeout = std::stod(t);
  return ctx;
}

double virtual_now(const RunPaths& paths) {
  StateLock lock(paths);
  const std::string s = read_small(paths.state() / "clock");
  return s.empty() ? 0.0 : std::stod(s);
}

double advance_clock(const RunPaths& paths, double seconds) {
  StateLock lock(paths);
  const std::string s = read_small(paths.state() / "clock");
  const double now = (s.empty() ? 0.0 : std::stod(s)) + (seconds > 0 ? seconds : 0);
  write_small(paths.state() / "clock", std::to_string(now));
  return now;
}

void set_clock_back(const RunPaths& paths, double t) {
  StateLock lock(paths);
  write_small(paths.state() / "clock", std::to_string(t));
}

std::int64_t next_seq(const RunPaths& paths) {
  StateLock lock(paths);
  const std::string s = read_small(paths.state() / "seq");
  const std::int64_t seq = (s.empty() ? 0 : std::stoll(s)) + 1;
  write_small(paths.state() / "seq", std::to_string(seq));
  return seq;
}

}  // namespace spotcheck::fakes
