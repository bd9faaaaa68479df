// Scenario expectations over a recording, with FileCheck-style explanations of each failure.
#include "spotcheck/expectations.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <regex>
#include <set>

#include "spotcheck/text.hpp"
#include "spotcheck/timeline.hpp"

namespace spotcheck::harness {
namespace {

bool has_effect(const Record& r, const std::string& e) {
  return std::find(r.effects.begin(), r.effects.end(), e) != r.effects.end();
}

std::string args_line(const Record& r) {
  std::string s;
  for (std::size_t i = 1; i < r.argv.size(); ++i) s += (i > 1 ? " " : "") + r.argv[i];
  return s;
}

// How far a record is from matching: missing argv tokens, or the first differing prefix position.
std::string difference(const CallMatcher& m, const Record& r) {
  std::vector<std::string> why;
  if (m.host && !host_matches(*m.host, r.host)) why.push_back("host is " + r.host);
  if (m.tool && !tool_matches(*m.tool, r.tool)) why.push_back("tool is " + r.tool);
  for (std::size_t i = 0; i < m.argv_prefix.size(); ++i) {
    if (i + 1 >= r.argv.size()) {
      why.push_back("argv ends before [" + std::to_string(i + 1) + "]");
      break;
    }
    if (r.argv[i + 1] != m.argv_prefix[i]) {
      why.push_back("argv differs at [" + std::to_string(i + 1) + "]: `" + r.argv[i + 1] + "` vs `" + m.argv_prefix[i] +
                    "`");
      break;
    }
  }
  for (const auto& t : m.argv_contains) {
    if (std::find(r.argv.begin(), r.argv.end(), t) == r.argv.end()) why.push_back("argv lacks `" + t + "`");
  }
  if (m.effect && !has_effect(r, *m.effect))
    why.push_back("effects are [" + [&] {
      std::string s;
      for (const auto& e : r.effects) s += (s.empty() ? "" : ", ") + e;
      return s;
    }() + "]");
  if (m.argv_regex && !std::regex_search(args_line(r), std::regex(*m.argv_regex)))
    why.push_back("argv does not match /" + *m.argv_regex + "/");
  std::string s;
  for (const auto& w : why) s += (s.empty() ? "" : "; ") + w;
  return s;
}

int closeness(const CallMatcher& m, const Record& r) {
  int score = 0;
  if (m.tool && tool_matches(*m.tool, r.tool)) score += 100;
  for (const auto& t : m.argv_contains) score += std::find(r.argv.begin(), r.argv.end(), t) != r.argv.end() ? 10 : 0;
  for (std::size_t i = 0; i < m.argv_prefix.size() && i + 1 < r.argv.size(); ++i) {
    if (r.argv[i + 1] != m.argv_prefix[i]) break;
    score += 10;
  }
  if (m.effect && has_effect(r, *m.effect)) score += 50;
  return score;
}

std::vector<std::string> nearest_miss(const CallMatcher& m, const std::vector<Record>& records) {
  std::vector<std::string> notes;
  notes.push_back(records.empty() ? "the recording is empty"
                                  : "searched all " + std::to_string(records.size()) + " records from #" +
                                        std::to_string(records.front().seq));
  const Record* best = nullptr;
  int best_score = 0;
  for (const auto& r : records) {
    const int s = closeness(m, r);
    if (s > best_score) best = &r, best_score = s;
  }
  if (best) notes.push_back("nearest: " + describe_record(*best) + " — " + difference(m, *best));
  return notes;
}

int count_matches(const CallMatcher& m, const std::vector<Record>& records) {
  return static_cast<int>(
      std::count_if(records.begin(), records.end(), [&](const Record& r) { return matches(m, r); }));
}

// The last `n` bytes or fewer, starting on a UTF-8 character boundary.
std::string stderr_tail(const std::string& s, std::size_t n) {
  std::size_t start = s.size() > n ? s.size() - n : 0;
  while (start < s.size() && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) ++start;
  return s.substr(start);
}

void check_exit(const Expectations& e, const Observed& o, std::vector<Failure>& out) {
  if (o.timed_out)
    out.push_back({"exit", "the launcher to finish", "it timed out and was killed", {}});
  else if (e.exit && o.exit != *e.exit)
    out.push_back({"exit",
                   "exit status " + std::to_string(*e.exit),
                   "exit status " + std::to_string(o.exit),
                   {"last lines of stderr: " + stderr_tail(o.launcher_stderr, 400)}});
  else if (e.exit_nonzero && o.exit == 0)
    out.push_back({"exit", "a non-zero exit status (the run failed)", "exit status 0: the failure was swallowed", {}});
}

void check_effects(const Expectations& e, const Observed& o, std::vector<Failure>& out) {
  const auto counts = effect_counts(*o.records);
  for (const auto& [name, bound] : e.effects) {
    const int n = counts.count(name) ? counts.at(name) : 0;
    if (bound.holds(n)) continue;
    Failure f{"effects." + name, bound.describe() + " " + name, std::to_string(n) + " " + name, {}};
    for (const auto& r : *o.records) {
      if (has_effect(r, name) && f.notes.size() < 5) f.notes.push_back("here: " + describe_record(r));
    }
    out.push_back(f);
  }
}

void check_calls(const Expectations& e, const Observed& o, std::vector<Failure>& out) {
  for (std::size_t i = 0; i < e.calls.size(); ++i) {
    const auto& c = e.calls[i];
    const int n = count_matches(c.match, *o.records);
    if (c.count.holds(n)) continue;
    out.push_back({"calls[" + std::to_string(i) + "]", c.count.describe() + " × " + c.match.describe(),
                   std::to_string(n) + " such calls",
                   n == 0 ? nearest_miss(c.match, *o.records) : std::vector<std::string>{}});
  }
  for (std::size_t i = 0; i < e.no_calls.size(); ++i) {
    Failure f{"no_calls[" + std::to_string(i) + "]", "no " + e.no_calls[i].describe(), "", {}};
    for (const auto& r : *o.records) {
      if (matches(e.no_calls[i], r)) f.notes.push_back("here: " + describe_record(r));
    }
    if (f.notes.empty()) continue;
    f.actual = std::to_string(f.notes.size()) + " such calls";
    out.push_back(f);
  }
}

void check_order(const std::vector<OrderGroup>& groups, std::size_t index, const Observed& o,
                 std::vector<Failure>& out) {
  const std::string name = "order[" + std::to_string(index) + "]";
  for (std::size_t g = 0; g + 1 < groups.size(); ++g) {
    const Record* last_before = nullptr;
    const Record* first_after = nullptr;
    for (const auto& r : *o.records) {
      if (matches(groups[g].match, r)) last_before = &r;
      if (!first_after && matches(groups[g + 1].match, r)) first_after = &r;
    }
    if (!last_before || !first_after) {
      const auto& missing = last_before ? groups[g + 1] : groups[g];
      out.push_back({name, groups[g].label + " < " + groups[g + 1].label, "no call of group `" + missing.label + "`",
                     nearest_miss(missing.match, *o.records)});
      continue;
    }
    if (last_before->seq < first_after->seq) continue;
    out.push_back({name,
                   "every `" + groups[g].label + "` call before every `" + groups[g + 1].label + "` call",
                   "`" + groups[g + 1].label + "` started before `" + groups[g].label + "` was done",
                   {"first " + groups[g + 1].label + ": " + describe_record(*first_after),
                    "last " + groups[g].label + ": " + describe_record(*last_before)}});
  }
}

void check_cleanup(const Expectations& e, const Observed& o, std::vector<Failure>& out) {
  if (e.cleanup_last) {
    const Record* last = nullptr;
    for (const auto& r : *o.records) {
      if (is_world_call(r)) last = &r;
    }
    if (!last || !has_effect(*last, "ec2.terminate"))
      out.push_back({"cleanup_last",
                     "the last world call to be an ec2.terminate",
                     last ? "the last world call was " + describe_record(*last) : "no world calls",
                     {}});
  }
  if (e.all_instances_terminated) {
    const auto terminated = terminated_instances(*o.records);
    for (const auto& id : launched_instances(*o.records)) {
      if (std::find(terminated.begin(), terminated.end(), id) == terminated.end())
        out.push_back({"all_instances_terminated",
                       "every launched instance terminated",
                       id + " was launched and never terminated",
                       {}});
    }
  }
}

void check_output(const Expectations& e, const Observed& o, std::vector<Failure>& out) {
  for (const auto& s : e.stdout_contains) {
    if (o.launcher_stdout.find(s) == std::string::npos)
      out.push_back({"stdout_contains",
                     "stdout containing `" + s + "`",
                     "not found in " + std::to_string(o.launcher_stdout.size()) + " bytes of stdout",
                     {}});
  }
  for (const auto& s : e.stderr_contains) {
    if (o.launcher_stderr.find(s) == std::string::npos)
      out.push_back({"stderr_contains",
                     "stderr containing `" + s + "`",
                     "not found in " + std::to_string(o.launcher_stderr.size()) + " bytes of stderr",
                     {}});
  }
}

std::vector<std::string> instance_ids(const std::string& text) {
  static const std::regex id(R"(\bi-[0-9a-f]{8,17}\b)");
  std::vector<std::string> ids;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), id); it != std::sregex_iterator(); ++it) {
    if (std::find(ids.begin(), ids.end(), it->str()) == ids.end()) ids.push_back(it->str());
  }
  return ids;
}

}  // namespace

bool matches(const CallMatcher& m, const Record& r) {
  const CallPattern& pattern = m;
  return matches(pattern, r.host, r.tool, r.argv) && (!m.effect || has_effect(r, *m.effect));
}

bool is_world_call(const Record& r) {
  if (r.tool == "aws") return true;
  for (const auto& e : r.effects) {
    if (e != "sleep" && e != "remote.exec" && e != "remote.copy") return true;
  }
  return false;
}

std::vector<std::string> launched_instances(const std::vector<Record>& records) {
  std::vector<std::string> ids;
  for (const auto& r : records) {
    if (!has_effect(r, "ec2.launch") || r.exit != 0) continue;
    for (const auto& id : instance_ids(r.stdout_text)) ids.push_back(id);
  }
  return ids;
}

std::vector<std::string> terminated_instances(const std::vector<Record>& records) {
  std::vector<std::string> ids;
  for (const auto& r : records) {
    if (!has_effect(r, "ec2.terminate") || r.exit != 0) continue;
    for (const auto& a : r.argv) {
      for (const auto& id : instance_ids(a)) ids.push_back(id);
    }
  }
  return ids;
}

std::string describe_record(const Record& r) {
  return "#" + std::to_string(r.seq) + " " + r.tool + " on " + r.host + " `" + shorten_argv(r.argv, 90) + "` exit " +
         std::to_string(r.exit);
}

namespace {

void check_world(const Expectations& e, const Observed& o, std::vector<Failure>& out) {
  if (!e.world_unchanged && e.world_changes.empty()) return;
  if (!o.world_changes) {
    out.push_back({"world", "the run's World changes", "none observed (no snapshot was taken)", {}});
    return;
  }
  std::vector<const WorldChange*> kept;
  for (const auto& change : *o.world_changes) {
    const bool ignored = std::any_of(e.world_ignore.begin(), e.world_ignore.end(), [&](const std::string& glob) {
      return ::fnmatch(glob.c_str(), change.name.c_str(), 0) == 0;
    });
    if (!ignored) kept.push_back(&change);
  }
  const auto describe = [](const WorldChange& c) {
    return c.kind + " " + c.name + (c.detail.empty() ? "" : " (" + c.detail + ")");
  };
  const std::string ignoring = e.world_ignore.empty() ? "" : " apart from " + join(e.world_ignore, ", ");
  if (e.world_unchanged && !kept.empty()) {
    Failure f{"world_unchanged",
              "the World unchanged" + ignoring,
              std::to_string(kept.size()) + " change" + (kept.size() == 1 ? "" : "s"),
              {}};
    for (const auto* c : kept) {
      if (f.notes.size() < 8) f.notes.push_back(describe(*c));
    }
    out.push_back(f);
  }
  for (const auto& [kind, bound] : e.world_changes) {
    std::vector<std::string> named;
    for (const auto* c : kept) {
      if (c->kind == kind) named.push_back(describe(*c));
    }
    const int n = static_cast<int>(named.size());
    if (bound.holds(n)) continue;
    Failure f{"world_changes." + kind, bound.describe() + " " + kind + ignoring, std::to_string(n) + " " + kind, {}};
    for (std::size_t i = 0; i < named.size() && i < 8; ++i) f.notes.push_back(named[i]);
    out.push_back(f);
  }
}

}  // namespace

std::vector<Failure> evaluate(const Expectations& e, const Observed& o) {
  std::vector<Failure> out;
  check_exit(e, o, out);
  check_effects(e, o, out);
  check_calls(e, o, out);
  for (std::size_t i = 0; i < e.order.size(); ++i) check_order(e.order[i], i, o, out);
  check_cleanup(e, o, out);
  check_output(e, o, out);
  check_world(e, o, out);
  return out;
}

}  // namespace spotcheck::harness
