// Helpers shared by the World services: virtual timestamps, digests, deterministic ids, globs.
#include "world/common.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <stdexcept>

#include "spotcheck/digest.hpp"

namespace spotcheck::fakes::world {
namespace {

std::tm utc_tm(double t) {
  const auto seconds = static_cast<std::time_t>(kEpoch + static_cast<std::int64_t>(std::floor(t)));
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  return tm;
}

}  // namespace

std::string iso8601(double t, bool micros) {
  const std::tm tm = utc_tm(t);
  std::string s = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                              tm.tm_hour, tm.tm_min, tm.tm_sec);
  if (micros) s += fmt::format(".{:06}", static_cast<long>(std::llround((t - std::floor(t)) * 1e6) % 1000000));
  return s + "+00:00";
}

std::string ls_time(double t) {
  const std::tm tm = utc_tm(t);
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                     tm.tm_min, tm.tm_sec);
}

bool is_resource_id(std::string_view id, std::string_view prefix) {
  if (id.substr(0, prefix.size()) != prefix || id.size() <= prefix.size() || id[prefix.size()] != '-') return false;
  const std::string_view hex = id.substr(prefix.size() + 1);
  if (hex.size() != 8 && hex.size() != 17) return false;
  return std::all_of(hex.begin(), hex.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::string hex_id(const std::string& seed, std::size_t digits) {
  std::string hex = sha256_hex(seed);
  while (hex.size() < digits) hex += sha256_hex(hex);
  return hex.substr(0, digits);
}

std::string uuid_from(const std::string& seed) {
  const std::string h = hex_id(seed, 32);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20, 12);
}

bool glob_match(std::string_view pattern, std::string_view text) {
  std::size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

Json as_list(const Json& value) {
  if (value.is_array()) return value;
  if (value.is_null()) return Json::array();
  return Json::array({value});
}

double as_number(const Json& value) {
  if (value.is_number()) return value.get<double>();
  if (!value.is_string()) throw std::invalid_argument("not a number");
  const std::string s = value.get<std::string>();
  std::size_t used = 0;
  const double d = std::stod(s, &used);
  if (used != s.size()) throw std::invalid_argument("not a number: " + s);
  return d;
}

std::string str_or(const Json& obj, const char* name, const std::string& fallback) {
  if (!obj.is_object()) return fallback;
  const auto it = obj.find(name);
  if (it == obj.end() || !it->is_string()) return fallback;
  return it->get<std::string>();
}

}  // namespace spotcheck::fakes::world
