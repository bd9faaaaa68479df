// Behaviour rules: parsing (errors name FILE: /json/pointer), matching, and per-rule call counting.
#include "spotcheck/fakes/rules.hpp"

#include "spotcheck/fakes/state.hpp"
#include "spotcheck/json_cursor.hpp"

namespace spotcheck::fakes {
namespace {

using nlohmann::json;

RuleMatch parse_match(const JsonCursor& c) {
  c.require_object({"host", "tool", "argv_prefix", "argv_contains", "argv_regex", "stdin_contains"});
  RuleMatch m;
  m.host = c.optional_string("host");
  m.tool = c.optional_string("tool");
  if (c.has("argv_prefix")) m.argv_prefix = c.at("argv_prefix").strings();
  if (c.has("argv_contains")) m.argv_contains = c.at("argv_contains").strings();
  if (c.has("argv_regex")) m.argv_regex = c.at("argv_regex").regex();
  m.stdin_contains = c.optional_string("stdin_contains");
  return m;
}

Rule parse_rule(const JsonCursor& c, std::size_t index) {
  c.require_object(
      {"id", "match", "nth", "times", "stdout", "stderr", "exit", "delay", "hang", "passthrough", "reclaim", "signal"});
  Rule r;
  r.id = c.optional_string("id").value_or("rule#" + std::to_string(index));
  r.match = parse_match(c.at("match"));
  if (c.has("nth")) r.nth = c.at("nth").integer(1);
  if (c.has("times")) r.times = c.at("times").integer(1);
  r.answer.stdout_text = c.optional_string("stdout");
  r.answer.stderr_text = c.optional_string("stderr");
  if (c.has("exit")) r.answer.exit = c.at("exit").integer(0, 255);
  if (c.has("delay")) r.answer.delay = c.at("delay").number(0);
  if (c.has("hang")) r.answer.hang = c.at("hang").boolean();
  if (c.has("passthrough")) r.answer.passthrough = c.at("passthrough").boolean();
  if (c.has("reclaim")) r.answer.reclaim = c.at("reclaim").boolean();
  if (c.has("signal")) r.answer.signal = c.at("signal").one_of({"TERM", "INT", "HUP", "KILL"});
  return r;
}

}  // namespace

std::vector<Rule> parse_rules(const json& doc, const std::string& file, const std::string& pointer) {
  const JsonCursor top(doc, file, pointer);
  if (doc.is_object()) top.require_object({"rules"});
  const JsonCursor list = doc.is_object() ? top.at("rules") : top;
  if (!list.value().is_array()) list.expected("an array of rules");
  std::vector<Rule> rules;
  for (const auto& item : list.elements()) rules.push_back(parse_rule(item, rules.size()));
  return rules;
}

std::vector<Rule> load_rules(const std::filesystem::path& file) {
  if (!std::filesystem::exists(file)) return {};
  return parse_rules(read_json_file(file.string()), file.string());
}

bool rule_matches(const RuleMatch& m, const CallView& call) {
  if (!spotcheck::matches(m, call.host, call.tool, call.argv)) return false;
  if (m.stdin_contains && (!call.stdin_text || call.stdin_text->find(*m.stdin_contains) == std::string::npos))
    return false;
  return true;
}

std::optional<Rule> select_rule(const RunPaths& paths, const CallView& call) {
  if (!std::filesystem::exists(paths.rules())) return std::nullopt;
  return select_rule(paths, load_rules(paths.rules()), call);
}

std::optional<Rule> select_rule(const RunPaths& paths, const std::vector<Rule>& rules, const CallView& call) {
  if (rules.empty()) return std::nullopt;
  std::optional<Rule> chosen;
  update_state(paths, "rule-counts", [&](json& counts) {
    for (const auto& rule : rules) {
      if (!rule_matches(rule.match, call)) continue;
      const int n = counts.value(rule.id, 0) + 1;
      counts[rule.id] = n;
      const bool applies = rule.nth ? n == *rule.nth : (!rule.times || n <= *rule.times);
      if (applies && !chosen) chosen = rule;
    }
  });
  return chosen;
}

}  // namespace spotcheck::fakes
