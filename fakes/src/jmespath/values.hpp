// Internal to the fake aws: JMESPath's view of JSON values (types, truth, equality, ordering).
#pragma once
#include <cstddef>
#include <string_view>

#include "ordered_json.hpp"

namespace spotcheck::fakes::jmespath {

// "number", "string", "boolean", "array", "object", "null".
std::string_view type_name(const Json& value);

// false, null, "", [] and {} are false; everything else (0 included) is true.
bool is_truthy(const Json& value);

// Deep equality: 1 == 1.0, object member order ignored, booleans never equal numbers.
bool deep_equal(const Json& a, const Json& b);

// <0, 0, >0 for two numbers; integers compare exactly, otherwise as doubles.
int compare_numbers(const Json& a, const Json& b);

// Numbers by value, strings by code point (the order of UTF-8 bytes); other pairs are not ordered.
bool is_ordered_pair(const Json& a, const Json& b);
int compare_ordered(const Json& a, const Json& b);

// JMESPath counts strings in code points.
std::size_t code_point_count(std::string_view text);

}  // namespace spotcheck::fakes::jmespath
