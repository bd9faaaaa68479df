// Internal: the small string helpers the sources share.
#pragma once

#include <string>
#include <vector>

namespace spot_launch {

// ITEMS joined by SEP ("${items[*]}" for the default " ").
std::string join(const std::vector<std::string>& items, const std::string& sep = " ");
// TEXT without its trailing newlines, as $(...) gives it.
std::string chomp(std::string text);
// TEXT from its first non-space character (bash's ${x#"${x%%[![:space:]]*}"}).
std::string trim_leading_space(const std::string& text);
// TEXT with every space removed (bash's ${x//[[:space:]]/}).
std::string without_space(const std::string& text);
// The words of TEXT's first line, split at spaces and tabs (bash's `read -r -a` with the default IFS).
std::vector<std::string> split_words(const std::string& text);

}  // namespace spot_launch
