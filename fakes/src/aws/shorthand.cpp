// AWS CLI shorthand syntax (`Name=x,Values=a,b`, `Spot={MaxPrice=1}`, `Tags=[{Key=k,Value=v}]`) read into JSON.
#include <cctype>

#include "aws/cli_args.hpp"
#include "aws/cli_errors.hpp"

namespace spotcheck::fakes::aws {
namespace {

// A recursive-descent reader over one value, following botocore's ShorthandParser grammar.
class ShorthandReader {
 public:
  ShorthandReader(std::string_view text, std::string_view param) : text_(text), param_(param) {}

  Json parse() {
    Json result = keyvals('\0');
    skip_space();
    if (!at_end()) fail("Expected: ',', received: '" + std::string(1, peek()) + "'");
    return result;
  }

 private:
  std::string_view text_;
  std::string_view param_;
  std::size_t pos_ = 0;

  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }
  void skip_space() {
    while (!at_end() && std::isspace(static_cast<unsigned char>(peek()))) ++pos_;
  }

  [[noreturn]] void fail(const std::string& why) const {
    throw usage_error("Error parsing parameter '--" + std::string(param_) + "': " + why + "\n" + std::string(text_) +
                      "\n" + std::string(pos_, ' ') + "^");
  }

  void expect(char c) {
    skip_space();
    if (peek() != c) fail("Expected: '" + std::string(1, c) + "', received: '" + std::string(1, peek()) + "'");
    ++pos_;
  }

  // key=value[,key=value...] up to `close` ('}' inside a hash literal, end of text at top level).
  Json keyvals(char close) {
    Json obj = Json::object();
    for (;;) {
      skip_space();
      const std::string key = read_key();
      expect('=');
      obj[key] = values(close);
      skip_space();
      if (peek() != ',') return obj;
      ++pos_;
    }
  }

  std::string read_key() {
    const std::size_t start = pos_;
    while (!at_end() && peek() != '=' && peek() != ',' && peek() != '}') ++pos_;
    std::string key(text_.substr(start, pos_ - start));
    while (!key.empty() && std::isspace(static_cast<unsigned char>(key.back()))) key.pop_back();
    if (key.empty()) fail("Expected: '<key>', received: '" + std::string(1, peek()) + "'");
    return key;
  }

  // After `key=`: a list, a hash, or comma-separated scalars (a list when more than one).
  Json values(char close) {
    skip_space();
    if (peek() == '[') return explicit_list();
    if (peek() == '{') return hash_literal();
    Json first = scalar(close);
    Json list = Json::array({first});
    while (peek() == ',') {
      const std::size_t comma = pos_;
      ++pos_;
      skip_space();
      if (next_is_key(close)) {
        pos_ = comma;  // the comma starts the next key=value pair
        break;
      }
      list.push_back(peek() == '[' ? explicit_list() : peek() == '{' ? hash_literal() : scalar(close));
    }
    return list.size() == 1 ? first : list;
  }

  // Looks ahead for `word=` without consuming it.
  bool next_is_key(char close) const {
    std::size_t p = pos_;
    while (p < text_.size() && text_[p] != ',' && text_[p] != close && text_[p] != '=' && text_[p] != '[' &&
           text_[p] != '{' && text_[p] != '\'' && text_[p] != '"') {
      ++p;
    }
    return p < text_.size() && text_[p] == '=' && p > pos_;
  }

  Json explicit_list() {
    expect('[');
    Json list = Json::array();
    skip_space();
    if (peek() == ']') {
      ++pos_;
      return list;
    }
    for (;;) {
      skip_space();
      if (peek() == '{') {
        list.push_back(hash_literal());
      } else if (peek() == '[') {
        list.push_back(explicit_list());
      } else {
        list.push_back(scalar(']'));
      }
      skip_space();
      if (peek() == ']') break;
      expect(',');
    }
    ++pos_;
    return list;
  }

  Json hash_literal() {
    expect('{');
    skip_space();
    if (peek() == '}') {
      ++pos_;
      return Json::object();
    }
    Json obj = keyvals('}');
    expect('}');
    return obj;
  }

  std::string quoted() {
    const char quote = peek();
    ++pos_;
    std::string out;
    while (!at_end() && peek() != quote) {
      if (peek() == '\\' && pos_ + 1 < text_.size()) ++pos_;
      out += text_[pos_++];
    }
    if (at_end()) fail("Expected: '" + std::string(1, quote) + "', received: 'EOF'");
    ++pos_;
    return out;
  }

  // A bare or quoted value; ends at ',' or a close bracket. A backslash escapes the next char.
  Json scalar(char close) {
    skip_space();
    if (peek() == '\'' || peek() == '"') return quoted();
    std::string out;
    while (!at_end() && peek() != ',' && peek() != close && peek() != '}' && peek() != ']') {
      if (peek() == '\\' && pos_ + 1 < text_.size()) ++pos_;
      out += text_[pos_++];
    }
    while (!out.empty() && std::isspace(static_cast<unsigned char>(out.back()))) out.pop_back();
    return out;
  }
};

}  // namespace

Json parse_shorthand(std::string_view text, std::string_view param) {
  return ShorthandReader(text, param).parse();
}

Json parse_structure(std::string_view text, std::string_view param) {
  std::size_t first = 0;
  while (first < text.size() && std::isspace(static_cast<unsigned char>(text[first]))) ++first;
  if (first < text.size() && (text[first] == '{' || text[first] == '[' || text[first] == '"')) {
    Json parsed = Json::parse(text, nullptr, false);
    if (!parsed.is_discarded()) return parsed;
    if (text[first] == '{' || text[first] == '"') {
      throw usage_error("Error parsing parameter '--" + std::string(param) + "': Invalid JSON:\n" + std::string(text));
    }
  }
  return parse_shorthand(text, param);
}

}  // namespace spotcheck::fakes::aws
