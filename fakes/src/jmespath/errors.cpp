// Internal to the fake aws: JMESPath error kinds and messages worded like the real CLI's.
#include <string>

#include "jmespath/jmespath.hpp"
#include "jmespath/lexer.hpp"

namespace spotcheck::fakes::jmespath {
namespace {

// Columns count characters (code points), not UTF-8 bytes, as Python does.
std::size_t column_of(std::string_view expression, std::size_t offset) {
  std::size_t column = 0;
  for (std::size_t i = 0; i < offset && i < expression.size(); ++i)
    if ((static_cast<unsigned char>(expression[i]) & 0xC0) != 0x80) ++column;
  return column;
}

// `"EXPR"` on one line and a caret under the offending character on the next.
std::string quoted_with_caret(std::string_view expression, std::size_t column) {
  return "\"" + std::string(expression) + "\"\n" + std::string(column + 1, ' ') + "^";
}

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

}  // namespace

std::string_view to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::Syntax:
      return "syntax";
    case ErrorKind::InvalidType:
      return "invalid-type";
    case ErrorKind::InvalidValue:
      return "invalid-value";
    case ErrorKind::InvalidArity:
      return "invalid-arity";
    case ErrorKind::UnknownFunction:
      return "unknown-function";
  }
  return "unknown";
}

Error::Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}

std::string parse_error_message(std::string_view expression, const Token& token, std::string_view reason) {
  std::size_t column = column_of(expression, token.start);
  return std::string(reason) + ": Parse error at column " + std::to_string(column) + ", token \"" +
         std::string(token.text) + "\" (" + upper(token_type_name(token.type)) + "), for expression:\n" +
         quoted_with_caret(expression, column);
}

std::string lex_error_message(std::string_view expression, std::size_t offset, std::string_view reason) {
  std::size_t column = column_of(expression, offset);
  return "Bad jmespath expression: " + std::string(reason) + " at column " + std::to_string(column) +
         ", for expression:\n" + quoted_with_caret(expression, column);
}

}  // namespace spotcheck::fakes::jmespath
