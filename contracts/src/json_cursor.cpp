// Validating reads of JSON input with located errors.
#include "spotcheck/json_cursor.hpp"

#include <fstream>

#include "spotcheck/error.hpp"

namespace spotcheck {

namespace {
std::string kind_of(const nlohmann::json& v) {
  if (v.is_null()) return "null";
  if (v.is_boolean()) return "a boolean";
  if (v.is_number()) return "a number";
  if (v.is_string()) return "a string";
  if (v.is_array()) return "an array";
  return "an object";
}
}  // namespace

void JsonCursor::fail(const std::string& expected) const {
  throw bad_input(file_, (pointer_.empty() ? "/" : pointer_) + ": " + expected);
}

JsonCursor JsonCursor::at(const std::string& key) const {
  if (!has(key)) JsonCursor(*value_, file_, pointer_ + "/" + key).fail("required key is missing");
  return JsonCursor((*value_)[key], file_, pointer_ + "/" + key);
}

JsonCursor JsonCursor::at(std::size_t index) const {
  return JsonCursor((*value_)[index], file_, pointer_ + "/" + std::to_string(index));
}

void JsonCursor::require_object(const std::set<std::string>& known) const {
  if (!value_->is_object()) fail("expected an object, got " + kind_of(*value_));
  for (const auto& [key, v] : value_->items()) {
    if (known.count(key)) continue;
    std::string list;
    for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
    JsonCursor(v, file_, pointer_ + "/" + key).fail("unknown key (expected one of: " + list + ")");
  }
}

std::string JsonCursor::string() const {
  if (!value_->is_string()) fail("expected a string, got " + kind_of(*value_));
  return value_->get<std::string>();
}

int JsonCursor::integer(int min) const {
  if (!value_->is_number_integer()) fail("expected an integer, got " + kind_of(*value_));
  const auto v = value_->get<long long>();
  if (v < min || v > INT32_MAX) fail("expected an integer >= " + std::to_string(min));
  return static_cast<int>(v);
}

double JsonCursor::number(double min) const {
  if (!value_->is_number()) fail("expected a number, got " + kind_of(*value_));
  const double v = value_->get<double>();
  if (v < min) fail("expected a number >= " + std::to_string(min));
  return v;
}

bool JsonCursor::boolean() const {
  if (!value_->is_boolean()) fail("expected true or false, got " + kind_of(*value_));
  return value_->get<bool>();
}

std::size_t JsonCursor::array_size() const {
  if (!value_->is_array()) fail("expected an array, got " + kind_of(*value_));
  return value_->size();
}

std::vector<std::string> JsonCursor::strings() const {
  if (!value_->is_array()) fail("expected an array of strings, got " + kind_of(*value_));
  std::vector<std::string> out;
  for (std::size_t i = 0; i < value_->size(); ++i) out.push_back(at(i).string());
  return out;
}

std::map<std::string, std::string> JsonCursor::string_map() const {
  if (!value_->is_object()) fail("expected an object of strings, got " + kind_of(*value_));
  std::map<std::string, std::string> out;
  for (const auto& [k, v] : value_->items()) out[k] = JsonCursor(v, file_, pointer_ + "/" + k).string();
  return out;
}

std::optional<std::string> JsonCursor::optional_string(const std::string& key) const {
  if (!has(key)) return std::nullopt;
  return at(key).string();
}

nlohmann::json read_json_file(const std::string& file) {
  std::ifstream in(file);
  if (!in) throw bad_input(file, "can't read the file: no such file or not readable");
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::parse_error& e) {
    throw bad_input(file, "invalid JSON at byte " + std::to_string(e.byte) + ": " + e.what());
  }
}

}  // namespace spotcheck
