// Behaviour rules: scenario-given overrides of the fakes' defaults (match host/tool/argv -> answer).
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "spotcheck/call_pattern.hpp"
#include "spotcheck/fakes/context.hpp"

namespace spotcheck::fakes {

// The call pattern expectations use too (spotcheck/call_pattern.hpp), plus what only a rule can see.
struct RuleMatch : CallPattern {
  std::optional<std::string> stdin_contains;  // stdin text contains (ssh heredocs)
};

struct RuleAnswer {
  std::optional<std::string> stdout_text;
  std::optional<std::string> stderr_text;
  std::optional<int> exit;
  double delay = 0;                   // virtual seconds the call takes
  bool hang = false;                  // never returns (until an enclosing timeout fires or the run is killed)
  bool passthrough = false;           // run the default behaviour after the delay (e.g. only slow it down)
  bool reclaim = false;               // the spot this call runs on is reclaimed: instance terminated, call killed
  std::optional<std::string> signal;  // "TERM", "INT", "HUP", "KILL": sent to the caller's process group
};

struct Rule {
  std::string id;  // the rule's "id", or "rule#N" (its index in the file)
  RuleMatch match;
  std::optional<int> nth;    // only the Nth matching call (1-based)
  std::optional<int> times;  // only the first N matching calls
  RuleAnswer answer;
};

// Parses a rules document (array of rules, or {"rules": [...]}) found in FILE at `pointer` (a scenario's
// "/fakes"); errors name FILE: /json/pointer (spotcheck::JsonError).
std::vector<Rule> parse_rules(const nlohmann::json& doc, const std::string& file, const std::string& pointer = "");
std::vector<Rule> load_rules(const std::filesystem::path& file);  // absent file -> no rules

struct CallView {
  const std::string& host;
  const std::string& tool;
  const std::vector<std::string>& argv;
  const std::string* stdin_text = nullptr;
};
bool rule_matches(const RuleMatch& match, const CallView& call);

// Finds the rule that answers this call, counting matches per rule in state/rule-counts.json.
std::optional<Rule> select_rule(const RunPaths& paths, const CallView& call);
// The same over rules already loaded (the dispatcher reads rules.json once per call).
std::optional<Rule> select_rule(const RunPaths& paths, const std::vector<Rule>& rules, const CallView& call);

}  // namespace spotcheck::fakes
