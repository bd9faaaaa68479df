// Internal to the fake aws: JMESPath tokenizer.
#include "jmespath/lexer.hpp"

#include <array>
#include <charconv>
#include <limits>
#include <utility>

#include "jmespath/jmespath.hpp"

namespace spotcheck::fakes::jmespath {
namespace {

bool is_identifier_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_identifier_char(char c) {
  return is_identifier_start(c) || is_digit(c);
}
bool is_whitespace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// Bytes in the UTF-8 sequence `lead` starts, so messages show whole characters.
std::size_t utf8_length(char lead) {
  auto byte = static_cast<unsigned char>(lead);
  if (byte >= 0xF0) return 4;
  if (byte >= 0xE0) return 3;
  if (byte >= 0xC0) return 2;
  return 1;
}

// Replaces every occurrence of `from` by `to`.
std::string replace_all(std::string_view text, std::string_view from, std::string_view to) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    if (text.substr(i, from.size()) == from) {
      out += to;
      i += from.size();
    } else {
      out += text[i++];
    }
  }
  return out;
}

class Lexer {
 public:
  explicit Lexer(std::string_view expression) : expr_(expression) {}

  std::vector<Token> run() {
    std::vector<Token> tokens;
    while (true) {
      while (pos_ < expr_.size() && is_whitespace(expr_[pos_])) ++pos_;
      if (pos_ >= expr_.size()) break;
      tokens.push_back(next());
    }
    tokens.push_back(make(TokenType::Eof, expr_.size(), expr_.size()));
    return tokens;
  }

 private:
  Token make(TokenType type, std::size_t start, std::size_t end) const {
    Token t{type, start, expr_.substr(start, end - start), {}, {}, 0};
    return t;
  }

  [[noreturn]] void fail(std::size_t at, std::string_view reason) const {
    throw Error(ErrorKind::Syntax, lex_error_message(expr_, at, reason));
  }

  char peek(std::size_t ahead = 1) const { return pos_ + ahead < expr_.size() ? expr_[pos_ + ahead] : '\0'; }

  Token next() {
    char c = expr_[pos_];
    if (is_identifier_start(c)) return identifier();
    if (is_digit(c) || c == '-') return number();
    if (c == '"') return quoted_identifier();
    if (c == '\'') return raw_string();
    if (c == '`') return json_literal();
    if (c == '[') return bracket();
    return operator_token();
  }

  Token single(TokenType type) {
    ++pos_;
    return make(type, pos_ - 1, pos_);
  }

  // One or two characters: `first` alone, or `first` followed by `second`.
  Token one_or_two(char second, TokenType two, TokenType one) {
    std::size_t start = pos_;
    if (peek() == second) {
      pos_ += 2;
      return make(two, start, pos_);
    }
    ++pos_;
    return make(one, start, pos_);
  }

  Token operator_token() {
    static constexpr std::array<std::pair<char, TokenType>, 10> singles{{{'.', TokenType::Dot},
                                                                         {'*', TokenType::Star},
                                                                         {']', TokenType::RBracket},
                                                                         {'{', TokenType::LBrace},
                                                                         {'}', TokenType::RBrace},
                                                                         {'(', TokenType::LParen},
                                                                         {')', TokenType::RParen},
                                                                         {',', TokenType::Comma},
                                                                         {':', TokenType::Colon},
                                                                         {'@', TokenType::Current}}};
    char c = expr_[pos_];
    for (const auto& [ch, type] : singles)
      if (ch == c) return single(type);
    switch (c) {
      case '|':
        return one_or_two('|', TokenType::Or, TokenType::Pipe);
      case '&':
        return one_or_two('&', TokenType::And, TokenType::Expref);
      case '!':
        return one_or_two('=', TokenType::Ne, TokenType::Not);
      case '<':
        return one_or_two('=', TokenType::Le, TokenType::Lt);
      case '>':
        return one_or_two('=', TokenType::Ge, TokenType::Gt);
      case '=':
        if (peek() != '=') fail(pos_, "Unknown token '=', did you mean '=='?");
        return one_or_two('=', TokenType::Eq, TokenType::Eq);
      default:
        fail(pos_, "Unknown character '" + std::string(expr_.substr(pos_, utf8_length(c))) + "'");
    }
  }

  Token bracket() {
    if (peek() == ']') return one_or_two(']', TokenType::Flatten, TokenType::LBracket);
    if (peek() == '?') return one_or_two('?', TokenType::Filter, TokenType::LBracket);
    return single(TokenType::LBracket);
  }

  Token identifier() {
    std::size_t start = pos_;
    while (pos_ < expr_.size() && is_identifier_char(expr_[pos_])) ++pos_;
    Token t = make(TokenType::UnquotedIdentifier, start, pos_);
    t.name = std::string(t.text);
    return t;
  }

  Token number() {
    std::size_t start = pos_;
    if (expr_[pos_] == '-') ++pos_;
    std::size_t digits = pos_;
    while (pos_ < expr_.size() && is_digit(expr_[pos_])) ++pos_;
    if (digits == pos_) fail(start, "Unknown token '-'");
    Token t = make(TokenType::Number, start, pos_);
    t.number = saturating_integer(t.text);
    return t;
  }

  // Huge indices behave like "out of range" either way, so clamping is exact for JMESPath.
  static std::int64_t saturating_integer(std::string_view text) {
    std::int64_t value = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    (void)ptr;
    if (ec == std::errc::result_out_of_range)
      return text[0] == '-' ? std::numeric_limits<std::int64_t>::min() : std::numeric_limits<std::int64_t>::max();
    return value;
  }

  // Consumes up to the closing `delim`, skipping backslash-escaped characters; returns the body.
  std::string_view delimited(char delim) {
    std::size_t start = pos_++;
    while (pos_ < expr_.size() && expr_[pos_] != delim) {
      if (expr_[pos_] == '\\' && pos_ + 1 < expr_.size()) ++pos_;
      ++pos_;
    }
    if (pos_ >= expr_.size()) fail(start, std::string("Unclosed ") + delim + " delimiter");
    ++pos_;
    return expr_.substr(start + 1, pos_ - start - 2);
  }

  Token quoted_identifier() {
    std::size_t start = pos_;
    std::string_view body = delimited('"');
    Token t = make(TokenType::QuotedIdentifier, start, pos_);
    Json parsed = Json::parse("\"" + std::string(body) + "\"", nullptr, false);
    if (parsed.is_discarded() || !parsed.is_string()) fail(start, "Invalid quoted identifier " + std::string(t.text));
    t.name = parsed.get<std::string>();
    return t;
  }

  // 'raw strings': only \' is an escape, every other backslash is kept.
  Token raw_string() {
    std::size_t start = pos_;
    std::string_view body = delimited('\'');
    Token t = make(TokenType::Literal, start, pos_);
    t.value = replace_all(body, "\\'", "'");
    return t;
  }

  // `json`: \` is an escaped backtick; invalid JSON falls back to a string, as jmespath.py does.
  Token json_literal() {
    std::size_t start = pos_;
    std::string body = replace_all(delimited('`'), "\\`", "`");
    Token t = make(TokenType::Literal, start, pos_);
    t.value = Json::parse(body, nullptr, false);
    if (!t.value.is_discarded()) return t;
    std::size_t first = body.find_first_not_of(" \t\n\r");
    std::string legacy = "\"" + (first == std::string::npos ? std::string() : body.substr(first)) + "\"";
    t.value = Json::parse(legacy, nullptr, false);
    if (t.value.is_discarded()) fail(start, "Bad token " + std::string(t.text));
    return t;
  }

  std::string_view expr_;
  std::size_t pos_ = 0;
};

}  // namespace

std::string_view token_type_name(TokenType type) {
  static constexpr std::array<std::string_view, 29> names{"unquoted_identifier",
                                                          "quoted_identifier",
                                                          "literal",
                                                          "number",
                                                          "dot",
                                                          "star",
                                                          "flatten",
                                                          "filter",
                                                          "lbracket",
                                                          "rbracket",
                                                          "lbrace",
                                                          "rbrace",
                                                          "lparen",
                                                          "rparen",
                                                          "comma",
                                                          "colon",
                                                          "pipe",
                                                          "or",
                                                          "and",
                                                          "not",
                                                          "expref",
                                                          "current",
                                                          "eq",
                                                          "ne",
                                                          "lt",
                                                          "lte",
                                                          "gt",
                                                          "gte",
                                                          "eof"};
  return names.at(static_cast<std::size_t>(type));
}

std::vector<Token> tokenize(std::string_view expression) {
  return Lexer(expression).run();
}

}  // namespace spotcheck::fakes::jmespath
