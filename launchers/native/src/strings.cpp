// String helpers shared by the sources.
#include "spot_launch/strings.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cctype>

namespace spot_launch {

std::string join(const std::vector<std::string>& items, const std::string& sep) {
  return fmt::format("{}", fmt::join(items, sep));
}

std::string chomp(std::string text) {
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

namespace {
bool is_space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}
}  // namespace

std::string trim_leading_space(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\n\r\f\v");
  return first == std::string::npos ? "" : text.substr(first);
}

std::string without_space(const std::string& text) {
  std::string out;
  for (char c : text)
    if (!is_space(c)) out += c;
  return out;
}

std::vector<std::string> split_words(const std::string& text) {
  std::vector<std::string> words;
  const std::string line = text.substr(0, text.find('\n'));  // `read` takes one line
  std::string word;
  for (char c : line) {
    if (c == ' ' || c == '\t') {
      if (!word.empty()) words.push_back(word), word.clear();
    } else {
      word += c;
    }
  }
  if (!word.empty()) words.push_back(word);
  return words;
}

}  // namespace spot_launch
