// bash's printf %q (lib/sh/shquote.c: sh_backslash_quote, and $'...' when a byte is not printable).
#include "spot_launch/quote.hpp"

#include <fmt/core.h>

namespace spot_launch {
namespace {

bool needs_ansi_c(const std::string& s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

std::string ansi_c_quote(const std::string& s) {
  std::string out = "$'";
  for (unsigned char c : s) {
    switch (c) {
      case '\a':
        out += "\\a";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\v':
        out += "\\v";
        break;
      case 0x1b:
        out += "\\E";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\'':
        out += "\\'";
        break;
      default:
        if (c < 0x20 || c == 0x7f)
          out += fmt::format("\\{:03o}", c);
        else
          out += static_cast<char>(c);
    }
  }
  return out + "'";
}

bool always_escaped(char c) {
  switch (c) {
    case ' ':
    case '\t':
    case '\n':
    case '\'':
    case '"':
    case '\\':
    case '|':
    case '&':
    case ';':
    case '(':
    case ')':
    case '<':
    case '>':
    case '!':
    case '{':
    case '}':
    case '*':
    case '[':
    case '?':
    case ']':
    case '^':
    case '$':
    case '`':
    case ',':
      return true;
    default:
      return false;
  }
}

}  // namespace

std::string shell_quote(const std::string& word) {
  if (word.empty()) return "''";
  if (needs_ansi_c(word)) return ansi_c_quote(word);
  std::string out;
  for (std::size_t i = 0; i < word.size(); ++i) {
    const char c = word[i];
    const bool first = i == 0;
    if (always_escaped(c) || (c == '#' && first) || (c == '~' && (first || word[i - 1] == '=' || word[i - 1] == ':')))
      out += '\\';
    out += c;
  }
  return out;
}

}  // namespace spot_launch
