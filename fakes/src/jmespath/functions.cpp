// Internal to the fake aws: JMESPath function lookup, arity and argument type checks, dispatch.
#include "jmespath/functions.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "jmespath/eval.hpp"
#include "jmespath/jmespath.hpp"
#include "jmespath/values.hpp"

namespace spotcheck::fakes::jmespath {
namespace {

bool all_elements(const Json& array, bool (Json::*predicate)() const noexcept) {
  for (const Json& element : array)
    if (!(element.*predicate)()) return false;
  return true;
}

bool accepts(unsigned mask, const Argument& arg) {
  if (arg.expref != nullptr) return (mask & kExpref) != 0;
  const Json& v = arg.value;
  if (v.is_number()) return (mask & kNumber) != 0;
  if (v.is_string()) return (mask & kString) != 0;
  if (v.is_boolean()) return (mask & kBoolean) != 0;
  if (v.is_null()) return (mask & kNull) != 0;
  if (v.is_object()) return (mask & kObject) != 0;
  if ((mask & kArray) != 0) return true;
  return ((mask & kArrayOfNumbers) != 0 && all_elements(v, &Json::is_number)) ||
         ((mask & kArrayOfStrings) != 0 && all_elements(v, &Json::is_string));
}

// "['array-number', 'array-string']", the way jmespath.py lists expected types.
std::string describe(unsigned mask) {
  static constexpr std::pair<unsigned, std::string_view> names[] = {{kNumber, "number"},
                                                                    {kString, "string"},
                                                                    {kBoolean, "boolean"},
                                                                    {kNull, "null"},
                                                                    {kArray, "array"},
                                                                    {kObject, "object"},
                                                                    {kExpref, "expref"},
                                                                    {kArrayOfNumbers, "array-number"},
                                                                    {kArrayOfStrings, "array-string"}};
  if ((mask & kAny) == kAny) return "['any']";
  std::string out = "[";
  for (const auto& [bit, name] : names) {
    if ((mask & bit) == 0) continue;
    if (out.size() > 1) out += ", ";
    out += "'" + std::string(name) + "'";
  }
  return out + "]";
}

std::string plural(std::size_t n) {
  return n == 1 ? "argument" : "arguments";
}

Arguments evaluate_arguments(const Node& call, const Json& current) {
  Arguments args;
  args.reserve(call.children.size());
  for (const NodePtr& child : call.children) {
    if (child->kind == NodeKind::ExpressionRef)
      args.push_back({Json(), child->children[0].get()});
    else
      args.push_back({evaluate(*child, current), nullptr});
  }
  return args;
}

void check_types(const Function& function, const Arguments& args) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    unsigned mask = function.parameters[std::min(i, function.parameters.size() - 1)];
    if (accepts(mask, args[i])) continue;
    if (args[i].expref != nullptr)
      throw Error(ErrorKind::InvalidType, "In function " + std::string(function.name) +
                                              "(), invalid type for value: an expression reference, expected one of: " +
                                              describe(mask) + ", received: \"expref\"");
    throw_type_error(function.name, args[i].value, describe(mask));
  }
}

}  // namespace

const Function* find_function(std::string_view name) {
  for (const Function& function : builtin_functions())
    if (function.name == name) return &function;
  return nullptr;
}

void check_arity(const Function& function, std::size_t count) {
  std::size_t expected = function.parameters.size();
  if (function.variadic ? count >= expected : count == expected) return;
  std::string bound = function.variadic ? "at least " : "";
  throw Error(ErrorKind::InvalidArity, "Expected " + bound + std::to_string(expected) + " " + plural(expected) +
                                           " for function " + std::string(function.name) + "(), received " +
                                           std::to_string(count));
}

Json call_function(const Node& call, const Json& current) {
  const Function& function = *call.function;
  Arguments args = evaluate_arguments(call, current);
  check_types(function, args);
  return function.body(args);
}

void throw_type_error(std::string_view function, const Json& value, std::string_view expected) {
  throw Error(ErrorKind::InvalidType, "In function " + std::string(function) + "(), invalid type for value: " +
                                          value.dump(-1, ' ', false, Json::error_handler_t::replace) +
                                          ", expected one of: " + std::string(expected) + ", received: \"" +
                                          std::string(type_name(value)) + "\"");
}

}  // namespace spotcheck::fakes::jmespath
