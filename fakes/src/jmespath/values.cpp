// Internal to the fake aws: JMESPath's view of JSON values (types, truth, equality, ordering).
#include "jmespath/values.hpp"

#include <cstdint>
#include <limits>

namespace spotcheck::fakes::jmespath {
namespace {

template <typename T>
int sign(T a, T b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

// Signed against unsigned without overflow: any negative is smaller.
int compare_integers(const Json& a, const Json& b) {
  if (a.is_number_unsigned() && b.is_number_unsigned()) return sign(a.get<std::uint64_t>(), b.get<std::uint64_t>());
  if (!a.is_number_unsigned() && !b.is_number_unsigned()) return sign(a.get<std::int64_t>(), b.get<std::int64_t>());
  if (a.is_number_unsigned()) return -compare_integers(b, a);
  std::int64_t left = a.get<std::int64_t>();
  if (left < 0) return -1;
  return sign(static_cast<std::uint64_t>(left), b.get<std::uint64_t>());
}

bool objects_equal(const Json& a, const Json& b) {
  if (a.size() != b.size()) return false;
  for (const auto& [key, value] : a.items()) {
    auto other = b.find(key);
    if (other == b.end() || !deep_equal(value, *other)) return false;
  }
  return true;
}

bool arrays_equal(const Json& a, const Json& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!deep_equal(a[i], b[i])) return false;
  return true;
}

}  // namespace

std::string_view type_name(const Json& value) {
  if (value.is_number()) return "number";
  if (value.is_string()) return "string";
  if (value.is_boolean()) return "boolean";
  if (value.is_array()) return "array";
  if (value.is_object()) return "object";
  return "null";
}

bool is_truthy(const Json& value) {
  if (value.is_null()) return false;
  if (value.is_boolean()) return value.get<bool>();
  if (value.is_string()) return !value.get_ref<const std::string&>().empty();
  if (value.is_array() || value.is_object()) return !value.empty();
  return true;
}

int compare_numbers(const Json& a, const Json& b) {
  if (a.is_number_integer() && b.is_number_integer()) return compare_integers(a, b);
  return sign(a.get<double>(), b.get<double>());
}

bool deep_equal(const Json& a, const Json& b) {
  if (a.is_number() && b.is_number()) return compare_numbers(a, b) == 0;
  if (a.type() != b.type()) return false;
  if (a.is_object()) return objects_equal(a, b);
  if (a.is_array()) return arrays_equal(a, b);
  return a == b;
}

bool is_ordered_pair(const Json& a, const Json& b) {
  return (a.is_number() && b.is_number()) || (a.is_string() && b.is_string());
}

int compare_ordered(const Json& a, const Json& b) {
  if (a.is_number()) return compare_numbers(a, b);
  int order = a.get_ref<const std::string&>().compare(b.get_ref<const std::string&>());
  return order < 0 ? -1 : (order > 0 ? 1 : 0);
}

std::size_t code_point_count(std::string_view text) {
  std::size_t count = 0;
  for (char c : text)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  return count;
}

}  // namespace spotcheck::fakes::jmespath
