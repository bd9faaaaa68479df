// Internal to the fake aws: the JMESPath built-in function table (signatures, type checks, bodies).
#pragma once
#include <cstddef>
#include <string_view>
#include <vector>

#include "jmespath/ast.hpp"

namespace spotcheck::fakes::jmespath {

// Argument types a parameter accepts, as a bit set.
enum TypeMask : unsigned {
  kNumber = 1u << 0,
  kString = 1u << 1,
  kBoolean = 1u << 2,
  kNull = 1u << 3,
  kArray = 1u << 4,
  kObject = 1u << 5,
  kExpref = 1u << 6,
  kArrayOfNumbers = 1u << 7,
  kArrayOfStrings = 1u << 8,
  kAny = kNumber | kString | kBoolean | kNull | kArray | kObject,
};

// An evaluated argument, or the expression of an `&expr` argument.
struct Argument {
  Json value;
  const Node* expref = nullptr;
};
using Arguments = std::vector<Argument>;

struct Function {
  std::string_view name;
  std::vector<unsigned> parameters;  // TypeMask per parameter
  bool variadic;                     // the last parameter repeats (at least once)
  Json (*body)(const Arguments& args);
};

// Every built-in of the JMESPath specification (jmespath_builtins.cpp).
const std::vector<Function>& builtin_functions();

// nullptr when no built-in has that name.
const Function* find_function(std::string_view name);

// Throws Error(InvalidArity) when `count` arguments do not fit the signature.
void check_arity(const Function& function, std::size_t count);

// Evaluates the call's arguments against `current`, type-checks them and runs the body.
Json call_function(const Node& call, const Json& current);

// For bodies: a type error worded like the real CLI's.
[[noreturn]] void throw_type_error(std::string_view function, const Json& value, std::string_view expected);

}  // namespace spotcheck::fakes::jmespath
