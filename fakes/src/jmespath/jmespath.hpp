// Internal to the fake aws: JMESPath query engine behind `--query` (lexer, parser, evaluator, functions).
#pragma once
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "ordered_json.hpp"

namespace spotcheck::fakes::jmespath {

// The error classes of the JMESPath compliance suite.
enum class ErrorKind { Syntax, InvalidType, InvalidValue, InvalidArity, UnknownFunction };

// "syntax", "invalid-type", "invalid-value", "invalid-arity", "unknown-function".
std::string_view to_string(ErrorKind kind);

// A compile or evaluation failure; what() is the human-readable message.
class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message);
  ErrorKind kind() const { return kind_; }

 private:
  ErrorKind kind_;
};

struct Node;  // the AST, defined in jmespath_ast.hpp

// A compiled expression: immutable, cheap to copy, reusable across documents.
class Expression {
 public:
  explicit Expression(std::shared_ptr<const Node> root);
  Json search(const Json& data) const;  // throws Error on type/value errors

 private:
  std::shared_ptr<const Node> root_;
};

Expression compile(std::string_view expression);  // throws Error (Syntax, InvalidArity, ...)
Json search(std::string_view expression, const Json& data);

}  // namespace spotcheck::fakes::jmespath
