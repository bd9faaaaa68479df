// Internal: the small string helpers the sources share.
#pragma once

#include <string>
#include <vector>

namespace spot_launch {

// ITEMS joined by SEP ("${items[*]}" for the default " ").
std::string join(const std::vector<std::string>& items, const std::string& sep = " ");
// TEXT without its trailing newlines, as $(...) gives it.
std::string chomp(std::string text);

}  // namespace spot_launch
