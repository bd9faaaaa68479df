// Internal to the fake aws: JMESPath tokenizer (token kinds named as jmespath.py names them in errors).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ordered_json.hpp"

namespace spotcheck::fakes::jmespath {

enum class TokenType {
  UnquotedIdentifier,
  QuotedIdentifier,
  Literal,
  Number,
  Dot,
  Star,
  Flatten,
  Filter,
  LBracket,
  RBracket,
  LBrace,
  RBrace,
  LParen,
  RParen,
  Comma,
  Colon,
  Pipe,
  Or,
  And,
  Not,
  Expref,
  Current,
  Eq,
  Ne,
  Lt,
  Le,
  Gt,
  Ge,
  Eof,
};

struct Token {
  TokenType type;
  std::size_t start;      // byte offset into the expression
  std::string_view text;  // the source text of the token
  std::string name;       // identifier name (quoted identifiers unescaped)
  Json value;             // Literal value (backtick JSON or raw string)
  std::int64_t number = 0;
};

// "unquoted_identifier", "eof", ... as in the real CLI's messages.
std::string_view token_type_name(TokenType type);

// Throws Error(Syntax) with the column on a bad character or an unclosed delimiter.
std::vector<Token> tokenize(std::string_view expression);

// The message format of the real CLI's parse errors, column counted in characters.
std::string parse_error_message(std::string_view expression, const Token& token, std::string_view reason);
std::string lex_error_message(std::string_view expression, std::size_t offset, std::string_view reason);

}  // namespace spotcheck::fakes::jmespath
