// Log lines: "[HH:MM:SS] TAG: message" on stderr, as the bash log() prints them.
#include "spot_launch/log.hpp"

#include <fmt/core.h>

#include <cstdio>
#include <ctime>

namespace spot_launch {
namespace {
std::string& tag_storage() {
  static std::string tag = "spot-launch";
  return tag;
}
}  // namespace

void set_log_tag(const std::string& tag) { tag_storage() = tag; }
const std::string& log_tag() { return tag_storage(); }

void log(const std::string& message) {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  ::gmtime_r(&now, &utc);
  fmt::print(stderr, "[{:02}:{:02}:{:02}] {}: {}\n", utc.tm_hour, utc.tm_min, utc.tm_sec, log_tag(), message);
  std::fflush(stderr);
}

}  // namespace spot_launch
