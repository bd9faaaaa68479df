// String helpers shared by the sources.
#include "spot_launch/strings.hpp"

namespace spot_launch {

std::string join(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (const auto& item : items) {
    if (&item != &items.front()) out += sep;
    out += item;
  }
  return out;
}

std::string chomp(std::string text) {
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

}  // namespace spot_launch
