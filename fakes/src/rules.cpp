// Behaviour rules: parsing (errors name FILE: /json/pointer), matching, and per-rule call counting.
#include "spotcheck/fakes/rules.hpp"

#include <fstream>
#include <regex>
#include <set>

#include "spotcheck/error.hpp"
#include "spotcheck/fakes/state.hpp"

namespace spotcheck::fakes {
namespace {

using nlohmann::json;

struct Cursor {
  const std::string& file;
  std::string pointer;
  [[noreturn]] void fail(const std::string& what) const {
    throw bad_input(file, (pointer.empty() ? "/" : pointer) + ": " + what);
  }
  Cursor at(const std::string& key) const { return {file, pointer + "/" + key}; }
};

void reject_unknown(const json& j, const std::set<std::string>& known, const Cursor& c) {
  for (const auto& [key, value] : j.items()) {
    if (!known.count(key)) c.at(key).fail("unknown key (expected one of the documented rule keys)");
  }
}

std::string get_string(const json& j, const Cursor& c) {
  if (!j.is_string()) c.fail("expected a string");
  return j.get<std::string>();
}

std::vector<std::string> get_strings(const json& j, const Cursor& c) {
  if (!j.is_array()) c.fail("expected an array of strings");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < j.size(); ++i) out.push_back(get_string(j[i], c.at(std::to_string(i))));
  return out;
}

int get_int(const json& j, const Cursor& c, int min) {
  if (!j.is_number_integer() || j.get<int>() < min) c.fail("expected an integer >= " + std::to_string(min));
  return j.get<int>();
}

RuleMatch parse_match(const json& j, const Cursor& c) {
  if (!j.is_object()) c.fail("expected an object");
  reject_unknown(j, {"host", "tool", "argv_prefix", "argv_contains", "argv_regex", "stdin_contains"}, c);
  RuleMatch m;
  if (j.contains("host")) m.host = get_string(j["host"], c.at("host"));
  if (j.contains("tool")) m.tool = get_string(j["tool"], c.at("tool"));
  if (j.contains("argv_prefix")) m.argv_prefix = get_strings(j["argv_prefix"], c.at("argv_prefix"));
  if (j.contains("argv_contains")) m.argv_contains = get_strings(j["argv_contains"], c.at("argv_contains"));
  if (j.contains("argv_regex")) {
    m.argv_regex = get_string(j["argv_regex"], c.at("argv_regex"));
    try {
      std::regex probe(*m.argv_regex);
    } catch (const std::regex_error& e) {
      c.at("argv_regex").fail(std::string("expected a valid ECMAScript regex: ") + e.what());
    }
  }
  if (j.contains("stdin_contains")) m.stdin_contains = get_string(j["stdin_contains"], c.at("stdin_contains"));
  return m;
}

Rule parse_rule(const json& j, const Cursor& c, std::size_t index) {
  if (!j.is_object()) c.fail("expected a rule object");
  reject_unknown(
      j,
      {"id", "match", "nth", "times", "stdout", "stderr", "exit", "delay", "hang", "passthrough", "reclaim", "signal"},
      c);
  if (!j.contains("match")) c.at("match").fail("required: what calls this rule answers");
  Rule r;
  r.id = j.contains("id") ? get_string(j["id"], c.at("id")) : "rule#" + std::to_string(index);
  r.match = parse_match(j["match"], c.at("match"));
  if (j.contains("nth")) r.nth = get_int(j["nth"], c.at("nth"), 1);
  if (j.contains("times")) r.times = get_int(j["times"], c.at("times"), 1);
  if (j.contains("stdout")) r.answer.stdout_text = get_string(j["stdout"], c.at("stdout"));
  if (j.contains("stderr")) r.answer.stderr_text = get_string(j["stderr"], c.at("stderr"));
  if (j.contains("exit")) r.answer.exit = get_int(j["exit"], c.at("exit"), 0);
  if (j.contains("delay")) {
    if (!j["delay"].is_number() || j["delay"].get<double>() < 0)
      c.at("delay").fail("expected a number of virtual seconds >= 0");
    r.answer.delay = j["delay"].get<double>();
  }
  if (j.contains("hang")) {
    if (!j["hang"].is_boolean()) c.at("hang").fail("expected true or false");
    r.answer.hang = j["hang"].get<bool>();
  }
  if (j.contains("passthrough")) {
    if (!j["passthrough"].is_boolean()) c.at("passthrough").fail("expected true or false");
    r.answer.passthrough = j["passthrough"].get<bool>();
  }
  if (j.contains("reclaim")) {
    if (!j["reclaim"].is_boolean()) c.at("reclaim").fail("expected true or false");
    r.answer.reclaim = j["reclaim"].get<bool>();
  }
  if (j.contains("signal")) {
    r.answer.signal = get_string(j["signal"], c.at("signal"));
    static const std::set<std::string> names = {"TERM", "INT", "HUP", "KILL"};
    if (!names.count(*r.answer.signal)) c.at("signal").fail("expected one of TERM, INT, HUP, KILL");
  }
  return r;
}

}  // namespace

std::vector<Rule> parse_rules(const json& doc, const std::string& file) {
  const Cursor top{file, ""};
  const json* list = &doc;
  if (doc.is_object()) {
    reject_unknown(doc, {"rules"}, top);
    if (!doc.contains("rules")) top.at("rules").fail("required: an array of rules");
    list = &doc["rules"];
  }
  const Cursor root = doc.is_object() ? top.at("rules") : top;
  if (!list->is_array()) root.fail("expected an array of rules");
  std::vector<Rule> rules;
  for (std::size_t i = 0; i < list->size(); ++i) rules.push_back(parse_rule((*list)[i], root.at(std::to_string(i)), i));
  return rules;
}

std::vector<Rule> load_rules(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) return {};
  try {
    return parse_rules(json::parse(in), file.string());
  } catch (const json::parse_error& e) {
    throw bad_input(file.string(), std::string("invalid JSON: ") + e.what());
  }
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
