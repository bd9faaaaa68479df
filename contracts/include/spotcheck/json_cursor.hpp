// Validating reads of JSON input: every error names FILE: /json/pointer: what was expected (STYLE.md 8).
#pragma once
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace spotcheck {

class JsonCursor {
 public:
  JsonCursor(const nlohmann::json& value, std::string file, std::string pointer = "")
      : value_(&value), file_(std::move(file)), pointer_(std::move(pointer)) {}

  const nlohmann::json& value() const { return *value_; }
  const std::string& pointer() const { return pointer_; }
  const std::string& file() const { return file_; }

  [[noreturn]] void fail(const std::string& expected) const;
  bool has(const std::string& key) const { return value_->is_object() && value_->contains(key); }
  JsonCursor at(const std::string& key) const;  // requires an object with `key`
  JsonCursor at(std::size_t index) const;

  // Requires an object whose keys are all in `known`; names the first unknown key.
  void require_object(const std::set<std::string>& known) const;
  std::string string() const;
  int integer(int min = INT32_MIN) const;
  double number(double min) const;
  bool boolean() const;
  std::vector<std::string> strings() const;
  std::map<std::string, std::string> string_map() const;
  std::size_t array_size() const;  // requires an array

  std::optional<std::string> optional_string(const std::string& key) const;

 private:
  const nlohmann::json* value_;
  std::string file_;
  std::string pointer_;
};

// Parses a JSON file; a syntax error names the file and the byte offset.
nlohmann::json read_json_file(const std::string& file);

}  // namespace spotcheck
