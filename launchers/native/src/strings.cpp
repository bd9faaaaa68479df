// String helpers shared by the sources.
#include "spot_launch/strings.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace spot_launch {

std::string join(const std::vector<std::string>& items, const std::string& sep) {
  return fmt::format("{}", fmt::join(items, sep));
}

std::string chomp(std::string text) {
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

}  // namespace spot_launch
