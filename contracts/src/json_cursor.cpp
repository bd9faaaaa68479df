// The one JSON validator: typed reads, RFC 6901 pointers, unknown keys with their nearest miss.
#include "spotcheck/json_cursor.hpp"

#include <algorithm>

#include "spotcheck/error.hpp"
#include "spotcheck/file_io.hpp"
#include "spotcheck/text.hpp"

namespace spotcheck {

namespace {

using nlohmann::json;

// What a value is, for "got ...": its kind, and a scalar's text (clipped).
std::string describe(const json& v) {
  if (v.is_null()) return "null";
  if (v.is_object()) return "an object";
  if (v.is_array()) return "an array";
  std::string text = v.dump(-1, ' ', false, json::error_handler_t::replace);
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  if (v.is_boolean()) return text;
  return (v.is_number() ? "the number " : "the string ") + text;
}

// Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions.
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

std::string did_you_mean(const std::string& got, const std::vector<std::string>& candidates) {
  const auto best = closest_match(got, candidates);
  return best ? " (did you mean " + json(*best).dump() + "?)" : "";
}

std::string integer_range(long long min, long long max) {
  if (min == INT32_MIN && max == INT32_MAX) return "an integer";
  if (max == INT32_MAX) return "an integer >= " + std::to_string(min);
  return "an integer in " + std::to_string(min) + ".." + std::to_string(max);
}

}  // namespace

std::string json_pointer_token(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

std::optional<std::string> closest_match(const std::string& got, const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  std::size_t best_distance = 3;  // farther than 2 edits is not a typo
  for (const auto& candidate : candidates) {
    const std::size_t distance = edit_distance(got, candidate);
    if (distance < best_distance && distance * 3 <= std::max(got.size(), candidate.size())) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

JsonError::JsonError(std::string file, std::string pointer, std::string message)
    : Error(ErrorKind::BadInput, std::move(file), (pointer.empty() ? "(root)" : pointer) + ": " + message),
      pointer_(std::move(pointer)),
      message_(std::move(message)) {}

void JsonCursor::fail(const std::string& message) const {
  throw JsonError(file_, pointer_, message);
}

void JsonCursor::expected(const std::string& what) const {
  fail("expected " + what + ", got " + describe(*value_));
}

JsonCursor JsonCursor::at(const std::string& key) const {
  if (!value_->is_object()) expected("an object");
  const std::string pointer = pointer_ + "/" + json_pointer_token(key);
  const auto it = value_->find(key);
  if (it == value_->end()) JsonCursor(*value_, file_, pointer).fail("required key is missing");
  return JsonCursor(*it, file_, pointer);
}

JsonCursor JsonCursor::at(std::size_t index) const {
  if (!value_->is_array()) expected("an array");
  const std::string pointer = pointer_ + "/" + std::to_string(index);
  if (index >= value_->size()) JsonCursor(*value_, file_, pointer).fail("required element is missing");
  return JsonCursor((*value_)[index], file_, pointer);
}

void JsonCursor::require_object(const std::set<std::string>& known) const {
  if (!value_->is_object()) expected("an object");
  for (const auto& [key, v] : value_->items()) {
    if (known.count(key)) continue;
    const std::vector<std::string> names(known.begin(), known.end());
    JsonCursor(v, file_, pointer_ + "/" + json_pointer_token(key))
        .fail("unknown key; expected one of " + join(names, ", ") + did_you_mean(key, names));
  }
}

std::vector<JsonCursor> JsonCursor::elements() const {
  if (!value_->is_array()) expected("an array");
  std::vector<JsonCursor> out;
  for (std::size_t i = 0; i < value_->size(); ++i) out.push_back(at(i));
  return out;
}

std::vector<std::pair<std::string, JsonCursor>> JsonCursor::members() const {
  if (!value_->is_object()) expected("an object");
  std::vector<std::pair<std::string, JsonCursor>> out;
  for (const auto& [key, v] : value_->items())
    out.emplace_back(key, JsonCursor(v, file_, pointer_ + "/" + json_pointer_token(key)));
  return out;
}

std::size_t JsonCursor::array_size() const {
  if (!value_->is_array()) expected("an array");
  return value_->size();
}

std::string JsonCursor::string() const {
  if (!value_->is_string()) expected("a string");
  return value_->get<std::string>();
}

std::string JsonCursor::non_empty_string() const {
  if (!value_->is_string() || value_->get_ref<const std::string&>().empty()) expected("a non-empty string");
  return value_->get<std::string>();
}

std::string JsonCursor::one_of(const std::vector<std::string>& names) const {
  const std::string expectation = "one of " + join(names, ", ");
  if (!value_->is_string()) expected(expectation);
  std::string name = value_->get<std::string>();
  if (std::find(names.begin(), names.end(), name) == names.end())
    fail("expected " + expectation + ", got " + describe(*value_) + did_you_mean(name, names));
  return name;
}

std::string JsonCursor::regex(std::regex::flag_type syntax) const {
  const std::string dialect = (syntax & std::regex::extended) == std::regex::extended ? "POSIX extended" : "ECMAScript";
  if (!value_->is_string()) expected("a " + dialect + " regular expression");
  std::string text = value_->get<std::string>();
  try {
    std::regex probe(text, syntax);
  } catch (const std::regex_error& e) {
    fail("expected a valid " + dialect + " regular expression, got " + describe(*value_) + " (" + e.what() + ")");
  }
  return text;
}

int JsonCursor::integer(int min, int max) const {
  if (!value_->is_number_integer()) expected(integer_range(min, max));
  const bool huge = value_->is_number_unsigned() && value_->get<std::uint64_t>() > INT64_MAX;
  const auto v = huge ? INT64_MAX : value_->get<std::int64_t>();
  if (v < min || v > max) expected(integer_range(min, max));
  return static_cast<int>(v);
}

std::int64_t JsonCursor::integer64(std::int64_t min) const {
  const std::string what = min == INT64_MIN ? "an integer" : "an integer >= " + std::to_string(min);
  if (!value_->is_number_integer() || (value_->is_number_unsigned() && value_->get<std::uint64_t>() > INT64_MAX))
    expected(what);
  const auto v = value_->get<std::int64_t>();
  if (v < min) expected(what);
  return v;
}

double JsonCursor::number(double min) const {
  const std::string what = fmt::format("a number >= {}", min);
  if (!value_->is_number()) expected(what);
  const double v = value_->get<double>();
  if (v < min) expected(what);
  return v;
}

bool JsonCursor::boolean() const {
  if (!value_->is_boolean()) expected("true or false");
  return value_->get<bool>();
}

std::vector<std::string> JsonCursor::strings() const {
  if (!value_->is_array()) expected("an array of strings");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < value_->size(); ++i) out.push_back(at(i).string());
  return out;
}

std::map<std::string, std::string> JsonCursor::string_map() const {
  if (!value_->is_object()) expected("an object of strings");
  std::map<std::string, std::string> out;
  for (const auto& [key, c] : members()) out[key] = c.string();
  return out;
}

std::optional<std::string> JsonCursor::optional_string(const std::string& key) const {
  if (!has(key)) return std::nullopt;
  return at(key).string();
}

nlohmann::json parse_json(const std::string& text, const std::string& file) {
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    std::string reason = e.what();  // "[json.exception.parse_error.101] parse error at line 1, ..."
    if (const auto bracket = reason.find("] "); reason.starts_with("[json.exception") && bracket != std::string::npos)
      reason = reason.substr(bracket + 2);
    throw bad_input(file, "invalid JSON at byte " + std::to_string(e.byte) + ": " + reason);
  }
}

nlohmann::json read_json_file(const std::string& file) {
  // POSIX reads, no streams: the fake reads its world and rules with this once per call (file_io.hpp).
  const auto text = read_file_bytes(file);
  if (!text) throw bad_input(file, "can't read the file: " + errno_message());
  return parse_json(*text, file);
}

}  // namespace spotcheck
