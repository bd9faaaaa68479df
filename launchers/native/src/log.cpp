// Log lines: "[HH:MM:SS] TAG: message" on stderr, as the bash log() prints them. Written with
// ::write(2, ...) and never throwing: a log line that cannot be written is lost, nothing else.
#include "spot_launch/log.hpp"

#include <fmt/core.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>

namespace spot_launch {
namespace {
std::string& tag_storage() {
  static std::string tag = "spot-launch";
  return tag;
}
}  // namespace

void set_log_tag(const std::string& tag) {
  tag_storage() = tag;
}
const std::string& log_tag() {
  return tag_storage();
}

void write_stderr(std::string_view text) noexcept {
  while (!text.empty()) {
    const ssize_t n = ::write(2, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    text.remove_prefix(static_cast<std::size_t>(n));
  }
}

void log(const std::string& message) noexcept {
  try {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    ::gmtime_r(&now, &utc);
    write_stderr(fmt::format("[{:02}:{:02}:{:02}] {}: {}\n", utc.tm_hour, utc.tm_min, utc.tm_sec, log_tag(), message));
  } catch (...) {
  }
}

}  // namespace spot_launch
