// How a scenario names calls, in its expectations and in its behaviour rules: one meaning for both, so a
// rule that answers "python on a spot" and an expectation about "python on a spot" pick the same calls.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace spotcheck {

struct CallPattern {
  std::optional<std::string> host;         // "dispatcher", an instance id, or "spot" (any instance)
  std::optional<std::string> tool;         // basename; "python" matches python3.12 too, "pip" pip3
  std::vector<std::string> argv_prefix;    // argv[1..] starts with these
  std::vector<std::string> argv_contains;  // each appears somewhere in argv[1..]
  std::optional<std::string> argv_regex;   // ECMAScript regex over argv[1..] joined by spaces
};

// "spot" names every instance; anything else names one host exactly.
inline bool host_matches(std::string_view pattern, std::string_view host) {
  return pattern == host || (pattern == "spot" && host != "dispatcher");
}

// "python" names every interpreter spelling (python3, python3.12), "pip" every pip; else exact.
inline bool tool_matches(std::string_view pattern, std::string_view tool) {
  return pattern == tool || ((pattern == "python" || pattern == "pip") && tool.starts_with(pattern));
}

// Whether a call (host, tool basename, full argv with argv[0]) is one the pattern names.
bool matches(const CallPattern& pattern, const std::string& host, const std::string& tool,
             const std::vector<std::string>& argv);

}  // namespace spotcheck
