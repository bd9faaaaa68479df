// Text helpers the harness and the fakes share: ASCII lower-casing (URL schemes and hosts, ssh keywords
// and values), joining words with a separator (fmt::join underneath) and splitting at one (no streams:
// the fake's calls never construct one, bench/README.md).
#pragma once
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

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

// The pieces of `text` between `separator`s, as std::getline reads them: "a,,b" is {"a", "", "b"},
// "a," is {"a"} and "" is {}.
inline std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> pieces;
  for (std::size_t start = 0; start < text.size();) {
    const std::size_t end = std::min(text.find(separator, start), text.size());
    pieces.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return pieces;
}

}  // namespace spotcheck
