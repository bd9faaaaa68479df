// Internal to the fake aws: bodies of the JMESPath built-in functions; numbers follow jmespath.py (int stays int).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "jmespath/eval.hpp"
#include "jmespath/functions.hpp"
#include "jmespath/jmespath.hpp"
#include "jmespath/values.hpp"

namespace spotcheck::fakes::jmespath {
namespace {

const std::string& str(const Json& v) {
  return v.get_ref<const std::string&>();
}

// Python's math.ceil/floor give ints: keep integral results integral when they fit.
Json integral_if_exact(double d) {
  constexpr double kLimit = 9223372036854775808.0;  // 2^63
  if (std::isfinite(d) && d == std::trunc(d) && d >= -kLimit && d < kLimit) return static_cast<std::int64_t>(d);
  return d;
}

// --- numbers ---
Json fn_abs(const Arguments& a) {
  const Json& v = a[0].value;
  if (v.is_number_unsigned()) return v;
  if (v.is_number_float()) return std::fabs(v.get<double>());
  std::int64_t i = v.get<std::int64_t>();
  if (i >= 0) return i;
  return static_cast<std::uint64_t>(-(i + 1)) + 1u;
}

Json fn_ceil(const Arguments& a) {
  const Json& v = a[0].value;
  return v.is_number_float() ? integral_if_exact(std::ceil(v.get<double>())) : v;
}

Json fn_floor(const Arguments& a) {
  const Json& v = a[0].value;
  return v.is_number_float() ? integral_if_exact(std::floor(v.get<double>())) : v;
}

// Integer sum while every term is an integer that fits, as Python's sum(); otherwise floating point.
Json sum_of(const Json& numbers) {
  std::int64_t total = 0;
  bool integral = true;
  for (const Json& n : numbers) {
    bool fits = n.is_number_integer() && !(n.is_number_unsigned() && n.get<std::uint64_t>() > INT64_MAX);
    if (!fits || __builtin_add_overflow(total, n.get<std::int64_t>(), &total)) integral = false;
    if (!integral) break;
  }
  if (integral) return total;
  double sum = 0;
  for (const Json& n : numbers) sum += n.get<double>();
  return sum;
}

Json fn_sum(const Arguments& a) {
  return sum_of(a[0].value);
}

Json fn_avg(const Arguments& a) {
  const Json& numbers = a[0].value;
  if (numbers.empty()) return nullptr;
  return sum_of(numbers).get<double>() / static_cast<double>(numbers.size());
}

// --- strings and containers ---
Json fn_contains(const Arguments& a) {
  const Json& subject = a[0].value;
  const Json& search = a[1].value;
  if (subject.is_string()) return search.is_string() && str(subject).find(str(search)) != std::string::npos;
  return std::any_of(subject.begin(), subject.end(), [&](const Json& e) { return deep_equal(e, search); });
}

Json fn_starts_with(const Arguments& a) {
  return str(a[0].value).starts_with(str(a[1].value));
}
Json fn_ends_with(const Arguments& a) {
  return str(a[0].value).ends_with(str(a[1].value));
}

Json fn_join(const Arguments& a) {
  const Json& parts = a[1].value;
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += str(a[0].value);
    out += str(parts[i]);
  }
  return out;
}

Json fn_length(const Arguments& a) {
  const Json& v = a[0].value;
  return v.is_string() ? code_point_count(str(v)) : v.size();
}

// Reverses code points, not bytes, so multi-byte characters survive.
std::string reverse_utf8(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  std::size_t end = text.size();
  while (end > 0) {
    std::size_t start = end - 1;
    while (start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) --start;
    out.append(text, start, end - start);
    end = start;
  }
  return out;
}

Json fn_reverse(const Arguments& a) {
  const Json& v = a[0].value;
  if (v.is_string()) return reverse_utf8(str(v));
  Json out = Json::array();
  for (auto it = v.rbegin(); it != v.rend(); ++it) out.push_back(*it);
  return out;
}

Json fn_keys(const Arguments& a) {
  Json out = Json::array();
  for (const auto& [key, value] : a[0].value.items()) out.push_back(key);
  return out;
}

Json fn_values(const Arguments& a) {
  Json out = Json::array();
  for (const auto& [key, value] : a[0].value.items()) out.push_back(value);
  return out;
}

Json fn_merge(const Arguments& a) {
  Json out = Json::object();
  for (const Argument& object : a)
    for (const auto& [key, value] : object.value.items()) out[key] = value;
  return out;
}

Json fn_not_null(const Arguments& a) {
  for (const Argument& arg : a)
    if (!arg.value.is_null()) return arg.value;
  return nullptr;
}

// --- ordering ---
// The first greatest (or least) element, as Python's max()/min() pick it.
Json extreme(const Json& values, bool greatest) {
  if (values.empty()) return nullptr;
  const Json* best = &values.front();
  for (const Json& v : values) {
    int order = compare_ordered(v, *best);
    if (greatest ? order > 0 : order < 0) best = &v;
  }
  return *best;
}

Json fn_max(const Arguments& a) {
  return extreme(a[0].value, true);
}
Json fn_min(const Arguments& a) {
  return extreme(a[0].value, false);
}

Json fn_sort(const Arguments& a) {
  Json out = a[0].value;
  std::stable_sort(out.begin(), out.end(), [](const Json& x, const Json& y) { return compare_ordered(x, y) < 0; });
  return out;
}

// &expr applied to each element; every key must be a number, or every key a string.
std::vector<Json> sort_keys(std::string_view function, const Arguments& a) {
  std::vector<Json> keys;
  for (const Json& element : a[0].value) {
    Json key = evaluate(*a[1].expref, element);
    bool same_kind = keys.empty() ? (key.is_number() || key.is_string()) : is_ordered_pair(keys.front(), key);
    if (!same_kind)
      throw_type_error(function, key, keys.empty() || keys.front().is_number() ? "['number']" : "['string']");
    keys.push_back(std::move(key));
  }
  return keys;
}

Json fn_sort_by(const Arguments& a) {
  std::vector<Json> keys = sort_keys("sort_by", a);
  std::vector<std::size_t> order(keys.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t x, std::size_t y) { return compare_ordered(keys[x], keys[y]) < 0; });
  Json out = Json::array();
  for (std::size_t i : order) out.push_back(a[0].value[i]);
  return out;
}

Json extreme_by(std::string_view function, const Arguments& a, bool greatest) {
  std::vector<Json> keys = sort_keys(function, a);
  if (keys.empty()) return nullptr;
  std::size_t best = 0;
  for (std::size_t i = 1; i < keys.size(); ++i) {
    int order = compare_ordered(keys[i], keys[best]);
    if (greatest ? order > 0 : order < 0) best = i;
  }
  return a[0].value[best];
}

Json fn_max_by(const Arguments& a) {
  return extreme_by("max_by", a, true);
}
Json fn_min_by(const Arguments& a) {
  return extreme_by("min_by", a, false);
}

Json fn_map(const Arguments& a) {
  Json out = Json::array();
  for (const Json& element : a[1].value) out.push_back(evaluate(*a[0].expref, element));
  return out;
}

// --- conversions ---
Json fn_to_array(const Arguments& a) {
  if (a[0].value.is_array()) return a[0].value;
  Json out = Json::array();
  out.push_back(a[0].value);
  return out;
}

// Compact JSON with non-ASCII escaped, like Python's json.dumps(separators=(',', ':')).
Json fn_to_string(const Arguments& a) {
  const Json& v = a[0].value;
  return v.is_string() ? v : Json(v.dump(-1, ' ', true, Json::error_handler_t::replace));
}

// jmespath.py: int() when there is no '.', else float(); anything unparsable is null.
Json parse_number(const std::string& text) {
  Json parsed = Json::parse(text, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_number()) return nullptr;
  if (text.find('.') != std::string::npos && parsed.is_number_integer()) return parsed.get<double>();
  return parsed;
}

Json fn_to_number(const Arguments& a) {
  const Json& v = a[0].value;
  if (v.is_number()) return v;
  if (v.is_string()) return parse_number(str(v));
  return nullptr;
}

Json fn_type(const Arguments& a) {
  return std::string(type_name(a[0].value));
}

}  // namespace

const std::vector<Function>& builtin_functions() {
  static const std::vector<Function> table = {
      {"abs", {kNumber}, false, fn_abs},
      {"avg", {kArrayOfNumbers}, false, fn_avg},
      {"ceil", {kNumber}, false, fn_ceil},
      {"contains", {kArray | kString, kAny}, false, fn_contains},
      {"ends_with", {kString, kString}, false, fn_ends_with},
      {"floor", {kNumber}, false, fn_floor},
      {"join", {kString, kArrayOfStrings}, false, fn_join},
      {"keys", {kObject}, false, fn_keys},
      {"length", {kString | kArray | kObject}, false, fn_length},
      {"map", {kExpref, kArray}, false, fn_map},
      {"max", {kArrayOfNumbers | kArrayOfStrings}, false, fn_max},
      {"max_by", {kArray, kExpref}, false, fn_max_by},
      {"merge", {kObject}, true, fn_merge},
      {"min", {kArrayOfNumbers | kArrayOfStrings}, false, fn_min},
      {"min_by", {kArray, kExpref}, false, fn_min_by},
      {"not_null", {kAny}, true, fn_not_null},
      {"reverse", {kString | kArray}, false, fn_reverse},
      {"sort", {kArrayOfNumbers | kArrayOfStrings}, false, fn_sort},
      {"sort_by", {kArray, kExpref}, false, fn_sort_by},
      {"starts_with", {kString, kString}, false, fn_starts_with},
      {"sum", {kArrayOfNumbers}, false, fn_sum},
      {"to_array", {kAny}, false, fn_to_array},
      {"to_number", {kAny}, false, fn_to_number},
      {"to_string", {kAny}, false, fn_to_string},
      {"type", {kAny}, false, fn_type},
      {"values", {kObject}, false, fn_values},
  };
  return table;
}

}  // namespace spotcheck::fakes::jmespath
