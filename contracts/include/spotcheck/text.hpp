// Text helpers the harness and the fakes share: ASCII lower-casing (URL schemes and hosts, ssh keywords
// and values) and joining words with a separator (fmt::join underneath).
#pragma once
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <string>
#include <string_view>

namespace spotcheck {

// Lower-cases A-Z only, as the tools being faked do (no locale: "I" is "i" everywhere).
inline std::string ascii_lowercase(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](char c) { return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c; });
  return out;
}

// The items with `separator` between them: join({"a", "b"}, ", ") is "a, b".
template <class Range>
std::string join(const Range& items, std::string_view separator) {
  return fmt::format("{}", fmt::join(items, separator));
}

}  // namespace spotcheck
