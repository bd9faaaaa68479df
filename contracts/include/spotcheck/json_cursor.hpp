// The one validator of JSON input: every error reads FILE: /json/pointer: what was expected (STYLE.md 8).
//
// The wording, everywhere: `FILE: POINTER: expected WHAT, got WHAT-IT-IS`; an unknown key is
// `FILE: POINTER: unknown key; expected one of a, b, c (did you mean "b"?)`; a missing one is
// `FILE: POINTER: required key is missing`. POINTER is RFC 6901 (a key's "~" is written "~0", its "/"
// "~1"); the document itself is written `(root)`, since "/" is the pointer of the key "".
#pragma once
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "spotcheck/error.hpp"

namespace spotcheck {

// One key or index as a JSON pointer reference token: "a/b~c" is "a~1b~0c".
std::string json_pointer_token(std::string_view key);

// The candidate `got` is most likely a typo of: at most 2 edits (Damerau-Levenshtein: a transposition is
// one) and at most a third of the longer word's length. Nothing when none is that close.
std::optional<std::string> closest_match(const std::string& got, const std::vector<std::string>& candidates);

// A bad value: `where()` is the file, `pointer()` the value inside it, `message()` what was expected.
class JsonError : public Error {
 public:
  JsonError(std::string file, std::string pointer, std::string message);
  const std::string& pointer() const { return pointer_; }
  const std::string& message() const { return message_; }

 private:
  std::string pointer_;
  std::string message_;
};

class JsonCursor {
 public:
  JsonCursor(const nlohmann::json& value, std::string file, std::string pointer = "")
      : value_(&value), file_(std::move(file)), pointer_(std::move(pointer)) {}

  const nlohmann::json& value() const { return *value_; }
  const std::string& pointer() const { return pointer_; }
  const std::string& file() const { return file_; }

  // Throws JsonError: FILE: POINTER: message (by convention "expected ...").
  [[noreturn]] void fail(const std::string& message) const;
  // "expected WHAT, got a string ("x")": the value's kind (and a scalar's text) follow.
  [[noreturn]] void expected(const std::string& what) const;

  bool has(const std::string& key) const { return value_->is_object() && value_->contains(key); }
  JsonCursor at(const std::string& key) const;  // requires an object with `key`
  JsonCursor at(std::size_t index) const;       // requires an array with `index`

  // Requires an object whose keys are all in `known`; names the first unknown key and its nearest miss.
  void require_object(const std::set<std::string>& known) const;
  std::vector<JsonCursor> elements() const;                         // requires an array
  std::vector<std::pair<std::string, JsonCursor>> members() const;  // requires an object
  std::size_t array_size() const;                                   // requires an array

  std::string string() const;
  std::string non_empty_string() const;
  std::string one_of(const std::vector<std::string>& names) const;  // a string among `names`
  // A string that compiles as a regular expression of `syntax` (ECMAScript or POSIX extended).
  std::string regex(std::regex::flag_type syntax = std::regex::ECMAScript) const;
  int integer(int min = INT32_MIN, int max = INT32_MAX) const;
  std::int64_t integer64(std::int64_t min = INT64_MIN) const;
  double number(double min) const;
  bool boolean() const;
  std::vector<std::string> strings() const;
  std::map<std::string, std::string> string_map() const;

  std::optional<std::string> optional_string(const std::string& key) const;

 private:
  const nlohmann::json* value_;
  std::string file_;
  std::string pointer_;
};

// Parses JSON text from `file`; a syntax error names the file and the byte offset.
nlohmann::json parse_json(const std::string& text, const std::string& file);
// Reads and parses a JSON file (the same errors, and one for a file that can't be read).
nlohmann::json read_json_file(const std::string& file);

}  // namespace spotcheck
