// Scenario files (schema v1): strict loading, located errors, launcher resolution.
#include "spotcheck/scenario.hpp"

#include <algorithm>

#include "spotcheck/effects.hpp"
#include "spotcheck/error.hpp"
#include "spotcheck/install_layout.hpp"
#include "spotcheck/json_cursor.hpp"
#include "spotcheck/text.hpp"
#include "spotcheck/world_changes.hpp"

namespace spotcheck::harness {
namespace {

namespace fs = std::filesystem;

std::string effect_name(const JsonCursor& c) {
  return c.one_of(effect_names());
}

// A count is an integer (exactly) or {"exactly"|"at_least"|"at_most": N}.
CountBound parse_bound(const JsonCursor& c) {
  CountBound b;
  if (c.value().is_number_integer()) {
    b.exactly = c.integer(0);
    return b;
  }
  c.require_object({"exactly", "at_least", "at_most"});
  if (c.has("exactly")) b.exactly = c.at("exactly").integer(0);
  if (c.has("at_least")) b.at_least = c.at("at_least").integer(0);
  if (c.has("at_most")) b.at_most = c.at("at_most").integer(0);
  if (!b.exactly && !b.at_least && !b.at_most) c.fail("expected an integer or one of exactly / at_least / at_most");
  return b;
}

CallMatcher parse_matcher(const JsonCursor& c) {
  c.require_object({"host", "tool", "argv_prefix", "argv_contains", "argv_regex", "effect"});
  CallMatcher m;
  m.host = c.optional_string("host");
  m.tool = c.optional_string("tool");
  if (c.has("argv_prefix")) m.argv_prefix = c.at("argv_prefix").strings();
  if (c.has("argv_contains")) m.argv_contains = c.at("argv_contains").strings();
  if (c.has("argv_regex")) m.argv_regex = c.at("argv_regex").regex();
  if (c.has("effect")) m.effect = effect_name(c.at("effect"));
  return m;
}

CallExpectation parse_call(const JsonCursor& c) {
  c.require_object({"host", "tool", "argv_prefix", "argv_contains", "argv_regex", "effect", "count"});
  nlohmann::json matcher = c.value();
  matcher.erase("count");
  CallExpectation e{parse_matcher(JsonCursor(matcher, c.file(), c.pointer())), {}};
  e.count.at_least = 1;
  if (c.has("count")) e.count = parse_bound(c.at("count"));
  return e;
}

std::vector<OrderGroup> parse_order(const JsonCursor& c) {
  std::vector<OrderGroup> groups;
  const std::size_t n = c.array_size();
  if (n < 2) c.fail("expected an array of at least two groups");
  for (std::size_t i = 0; i < n; ++i) {
    const auto g = c.at(i);
    if (g.value().is_string()) {  // shorthand: an effect name
      groups.push_back({g.string(), {}});
      groups.back().match.effect = effect_name(g);
      continue;
    }
    g.require_object({"label", "host", "tool", "argv_prefix", "argv_contains", "argv_regex", "effect"});
    nlohmann::json matcher = g.value();
    matcher.erase("label");
    OrderGroup group{g.optional_string("label").value_or(""),
                     parse_matcher(JsonCursor(matcher, g.file(), g.pointer()))};
    if (group.label.empty()) group.label = group.match.describe();
    groups.push_back(group);
  }
  return groups;
}

void parse_exit(const JsonCursor& c, Expectations& e) {
  if (c.value().is_string()) {
    if (c.string() != "nonzero") c.fail("expected an integer exit status or \"nonzero\"");
    e.exit_nonzero = true;
  } else {
    e.exit = c.integer(0, 255);
  }
}

Expectations parse_expect(const JsonCursor& c) {
  c.require_object({"exit", "effects", "calls", "no_calls", "order", "cleanup_last", "all_instances_terminated",
                    "stdout_contains", "stderr_contains", "world_unchanged", "world_changes", "world_ignore"});
  Expectations e;
  if (c.has("exit")) parse_exit(c.at("exit"), e);
  if (c.has("effects")) {
    const auto fx = c.at("effects");
    fx.require_object(std::set<std::string>(effect_names().begin(), effect_names().end()));
    for (const auto& [name, v] : fx.value().items()) e.effects[name] = parse_bound(fx.at(name));
  }
  if (c.has("calls")) {
    for (std::size_t i = 0; i < c.at("calls").array_size(); ++i) e.calls.push_back(parse_call(c.at("calls").at(i)));
  }
  if (c.has("no_calls")) {
    for (std::size_t i = 0; i < c.at("no_calls").array_size(); ++i)
      e.no_calls.push_back(parse_matcher(c.at("no_calls").at(i)));
  }
  if (c.has("order")) {
    const auto o = c.at("order");
    const bool nested = o.array_size() > 0 && o.value()[0].is_array();
    if (nested) {
      for (std::size_t i = 0; i < o.array_size(); ++i) e.order.push_back(parse_order(o.at(i)));
    } else {
      e.order.push_back(parse_order(o));
    }
  }
  if (c.has("cleanup_last")) e.cleanup_last = c.at("cleanup_last").boolean();
  if (c.has("all_instances_terminated")) e.all_instances_terminated = c.at("all_instances_terminated").boolean();
  if (c.has("stdout_contains")) e.stdout_contains = c.at("stdout_contains").strings();
  if (c.has("stderr_contains")) e.stderr_contains = c.at("stderr_contains").strings();
  if (c.has("world_unchanged")) e.world_unchanged = c.at("world_unchanged").boolean();
  if (c.has("world_changes")) {
    const auto wc = c.at("world_changes");
    const auto& kinds = kWorldChangeKinds;
    wc.require_object(std::set<std::string>(kinds.begin(), kinds.end()));
    for (const auto& [kind, v] : wc.value().items()) e.world_changes[kind] = parse_bound(wc.at(kind));
  }
  if (c.has("world_ignore")) e.world_ignore = c.at("world_ignore").strings();
  return e;
}

}  // namespace

std::vector<WorldLayer> base_world_layers(const Project& project) {
  std::vector<WorldLayer> layers;
  const std::string builtin = builtin_world_path().string();
  layers.push_back({read_json_file(builtin), builtin, ""});
  for (const auto& world : project.worlds) layers.push_back({read_json_file(world.string()), world.string(), ""});
  return layers;
}

bool CountBound::holds(int n) const {
  if (exactly && n != *exactly) return false;
  if (at_least && n < *at_least) return false;
  if (at_most && n > *at_most) return false;
  return true;
}

std::string CountBound::describe() const {
  if (exactly) return "exactly " + std::to_string(*exactly);
  if (at_least && at_most) return "between " + std::to_string(*at_least) + " and " + std::to_string(*at_most);
  if (at_least) return "at least " + std::to_string(*at_least);
  if (at_most) return "at most " + std::to_string(*at_most);
  return "any number";
}

std::string CallMatcher::describe() const {
  std::string s = "a";
  if (tool) s += " " + *tool;
  s += " call";
  if (host) s += *host == "spot" ? " on a spot" : " on " + *host;
  if (effect) s += " with effect " + *effect;
  if (!argv_prefix.empty()) s += " whose argv starts [" + join(argv_prefix, ", ") + "]";
  if (!argv_contains.empty()) s += " whose argv contains [" + join(argv_contains, ", ") + "]";
  if (argv_regex) s += " whose argv matches /" + *argv_regex + "/";
  return s;
}

CallMatcher parse_call_matcher(const nlohmann::json& j, const std::string& file, const std::string& pointer) {
  return parse_matcher(JsonCursor(j, file, pointer));
}

std::vector<UserInvariant> parse_invariants(const nlohmann::json& j, const std::string& file,
                                            const std::string& pointer) {
  const JsonCursor c(j, file, pointer);
  std::vector<UserInvariant> out;
  for (std::size_t i = 0; i < c.array_size(); ++i) {
    const auto item = c.at(i);
    item.require_object({"name", "when", "expect", "description"});
    UserInvariant inv;
    inv.name = item.at("name").non_empty_string();
    if (item.has("when")) inv.when = item.at("when").one_of({"always", "failure", "success"});
    inv.expect = parse_expect(item.at("expect"));
    inv.expect_json = item.at("expect").value();
    inv.source = file + ": " + pointer + "/" + std::to_string(i);
    for (const auto& other : out)
      if (other.name == inv.name) item.at("name").fail("expected a name no other invariant has (\"" + inv.name + "\")");
    out.push_back(std::move(inv));
  }
  return out;
}

Scenario load_scenario(const fs::path& file) {
  const nlohmann::json doc = read_json_file(file.string());
  const JsonCursor c(doc, file.string());
  c.require_object({"$schema", "v", "name", "module", "launcher", "args", "env", "files", "world", "fakes", "strict",
                    "timeout", "xfail", "expect", "description", "native", "invariants"});
  if (c.has("v") && c.at("v").integer() != 1) c.at("v").fail("expected schema version 1");
  Scenario s;
  s.file = file;
  s.name = c.at("name").string();
  s.module = c.optional_string("module").value_or("");
  s.project = project_for(file);
  const fs::path launcher = c.at("launcher").non_empty_string();
  s.launcher = (launcher.is_absolute() ? launcher : s.project.root / launcher).lexically_normal();
  if (c.has("args")) s.args = c.at("args").strings();
  if (c.has("env")) s.env = c.at("env").string_map();
  if (c.has("world")) s.world_layers.push_back({doc["world"], s.file.string(), "/world"});
  if (c.has("files")) s.world_layers.push_back({{{"files", c.at("files").value()}}, s.file.string(), ""});
  std::vector<WorldLayer> layers = base_world_layers(s.project);
  layers.insert(layers.end(), s.world_layers.begin(), s.world_layers.end());
  merge_world(layers);
  if (c.has("fakes")) {
    c.at("fakes").array_size();
    s.fakes = doc["fakes"];
  }
  if (c.has("strict")) s.strict = c.at("strict").boolean();
  if (c.has("timeout")) s.timeout_seconds = c.at("timeout").number(1);
  s.xfail = c.optional_string("xfail");
  s.expect = parse_expect(c.at("expect"));
  if (c.has("native")) {
    const auto n = c.at("native");
    n.require_object({"why", "expect", "equivalent", "only"});
    NativeDifference d;
    d.why = n.at("why").string();
    if (d.why.empty()) n.at("why").fail("expected a non-empty reason");
    if (n.has("expect")) d.expect = parse_expect(n.at("expect"));
    if (n.has("equivalent")) d.equivalent = n.at("equivalent").boolean();
    if (n.has("only")) d.only = n.at("only").boolean();
    if (s.module.empty()) c.fail("expected a \"module\" for a scenario with a \"native\" difference");
    s.native = std::move(d);
  }
  if (c.has("invariants")) s.invariants = parse_invariants(doc["invariants"], file.string(), "/invariants");
  if (std::error_code ec; !fs::exists(s.launcher, ec))  // last: every other mistake in the file is named first
    c.at("launcher")
        .fail("no such file: " + s.launcher.string() +
              (launcher.is_absolute() ? std::string() : " (" + s.project.relative_to() + ")"));
  return s;
}

fs::path Scenario::golden_file() const {
  fs::path g = file;
  g.replace_extension(".expected.jsonl");
  return g;
}

std::vector<fs::path> find_scenario_files(const std::vector<fs::path>& paths) {
  std::vector<fs::path> files;
  for (const auto& p : paths) {
    if (!fs::is_directory(p)) {
      files.push_back(p);
      continue;
    }
    for (const auto& entry : fs::recursive_directory_iterator(p)) {
      const auto& path = entry.path();
      const std::string s = "/" + path.lexically_relative(p).generic_string();  // only below the searched path
      if (path.extension() != ".json" || s.find("/workloads/") != std::string::npos ||
          s.find("/worlds/") != std::string::npos || s.find(".expected.") != std::string::npos)
        continue;
      files.push_back(path);
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace spotcheck::harness
