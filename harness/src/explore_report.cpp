// explore's reports: terminal summary and table, JSON, JUnit, HTML, and the reproducing scenario files.
#include "spotcheck/explore_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "spotcheck/report_html.hpp"
#include "spotcheck/result.hpp"
#include "spotcheck/text.hpp"
#include "spotcheck/world_changes.hpp"
#include "spotcheck/world_config.hpp"

namespace spotcheck::harness {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// "invariant: what it saw;" lines, one per broken invariant.
std::vector<std::string> evidence_lines(const std::vector<Violation>& violations) {
  std::vector<std::string> out;
  for (const auto& v : violations) {
    std::string line = v.invariant + (v.watchdog_only ? " (each left instance has its watchdog)" : "") + ":";
    for (const auto& e : v.evidence) line += " " + e.actual + ";";
    out.push_back(line);
  }
  return out;
}

std::vector<std::string> evidence_lines(const FaultRun& r) {
  std::vector<std::string> out;
  if (!r.error.empty()) out.push_back("harness: " + r.error);
  for (auto& line : evidence_lines(r.violations)) out.push_back(std::move(line));
  return out;
}

json violations_json(const std::vector<Violation>& violations) {
  json out = json::array();
  for (const auto& v : violations) {
    json evidence = json::array();
    for (const auto& e : v.evidence) evidence.push_back(e.check + ": expected " + e.expected + "; " + e.actual);
    out.push_back({{"invariant", v.invariant}, {"watchdog_only", v.watchdog_only}, {"evidence", evidence}});
  }
  return out;
}

const std::vector<Violation>& baseline_violations(const ExploreSummary& s) {
  static const std::vector<Violation> none;
  return s.baseline_violations ? *s.baseline_violations : none;
}

// An object merged into `into`, objects merged key by key (an invariant's "effects" beside another's).
void merge_into(json& into, const json& from) {
  for (const auto& [k, v] : from.items()) {
    if (v.is_object() && into.contains(k) && into[k].is_object())
      merge_into(into[k], v);
    else
      into[k] = v;
  }
}

}  // namespace

double run_limit(const ExploreOptions& o, const FaultRun& run) {
  double limit = o.timeout_seconds;
  for (const auto& step : run.steps()) {
    if (step.fault.kind == "hang") limit = std::min(limit, o.hang_seconds);
    if (step.fault.kind == "outage") limit = std::min(limit, o.outage_seconds);
  }
  return limit;
}

json reproducing_scenario(const ExploreOptions& o, const FaultRun& r) {
  json expect = json::object();
  for (const auto& v : r.violations) {
    if (v.invariant == "instances-terminated") expect["all_instances_terminated"] = true;
    if (v.invariant == "cleanup-last") expect["cleanup_last"] = true;
    if (v.invariant == "preflight-writes-nothing") {
      for (const auto& kind : kWorldChangeKinds)
        if (kind != "ec2.left_running") expect["world_changes"][kind] = 0;
      for (const auto& w : preflight_forbidden_writes()) expect["effects"][w] = 0;
    }
    if (v.invariant == "no-heartbeat-on-failure") expect["effects"]["metric.write"] = 0;
    if (v.invariant == "no-silent-failure") expect["exit"] = "nonzero";  // what it lost must show as a failure
    if (v.invariant == "failure-names-step")  // the step's own name: a log naming it another way edits this
      for (const auto& step : r.steps())
        if (step.fault.answer.contains("stderr") && fired(step, r.records))
          expect["stderr_contains"].push_back(step_name(step.point));
    // ends-in-time needs no expectation: the scenario's timeout is the limit the run was killed at.
    for (const auto& inv : o.invariants)
      if (inv.name == v.invariant) merge_into(expect, inv.expect_json);
  }
  json rules = json::array();
  for (const auto& step : r.steps()) rules.push_back(fault_rule(step));
  for (const auto& rule : o.rules) rules.push_back(rule);
  json s = {{"v", 1},
            {"name", "explore: " + r.describe()},
            {"description", "found by spotcheck explore: " + r.describe() + " (baseline call #" +
                                std::to_string(r.first.point.seq) + ")"},
            {"launcher", fs::absolute(o.launcher).string()},
            {"fakes", rules},
            {"timeout", run_limit(o, r)},
            {"expect", expect}};
  if (!o.args.empty()) s["args"] = o.args;
  if (!o.env.empty()) s["env"] = o.env;
  // The world the run had (its files and layers merged), inline: the scenario reproduces the run wherever it
  // is put, and inside the project the same layers merged again change nothing.
  if (const auto layers = world_layers(o.world_files, o.world_layers); !layers.empty())
    s["world"] = merge_world(layers);
  return s;
}

std::string scenario_file_name(const FaultRun& r, std::size_t index) {
  std::string name = fmt::format("explore-{:03}-{}", index, r.describe());
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') c = '-';
  return name + ".json";
}

std::string render_explore_console(const ExploreSummary& s) {
  std::string out;
  if (!baseline_violations(s).empty()) {
    out += fmt::format("BASELINE VIOLATION: with no fault injected: exit {}\n", s.baseline_exit);
    for (const auto& line : evidence_lines(baseline_violations(s))) out += "  " + line + "\n";
  }
  std::size_t violations = 0, watchdogs = 0, second = 0;
  for (const auto& r : *s.runs) {
    second += r.then.has_value();
    const std::string outcome = r.outcome();
    if (outcome == "pass") continue;
    if (outcome == "watchdog") {
      ++watchdogs;
      out += fmt::format(
          "WATCHDOG: {} (baseline #{}): exit {}: instances left running, each with its spot-side watchdog "
          "installed\n",
          r.describe(), r.first.point.seq, r.exit);
      continue;
    }
    ++violations;
    out += fmt::format("VIOLATION: {} (baseline #{}): exit {}{}\n", r.describe(), r.first.point.seq, r.exit,
                       r.timed_out ? " (killed at its time limit)" : "");
    for (const auto& line : evidence_lines(r)) out += "  " + line + "\n";
    if (!r.scenario_file.empty()) out += "  reproduce: spotcheck check " + r.scenario_file + "\n";
  }
  // The table: a row per fault point of the depth-1 runs, a column per kind.
  out += "\nfault point" + std::string(44, ' ');
  for (const auto& k : kFaultKinds) out += fmt::format(" {:>9.9}", k);
  out += "\n";
  const auto& runs = *s.runs;
  for (std::size_t i = 0; i < runs.size();) {
    if (runs[i].then) {
      ++i;
      continue;
    }
    const std::string point = runs[i].first.point.describe();
    std::map<std::string, std::string> cells;
    for (; i < runs.size() && !runs[i].then && runs[i].first.point.describe() == point; ++i)
      cells[runs[i].first.fault.kind] = runs[i].outcome();
    out += fmt::format("{:<55.55}", point);
    for (const auto& k : kFaultKinds) out += fmt::format(" {:>9}", cells.count(k) ? cells[k] : "-");
    out += "\n";
  }
  out += fmt::format(
      "\n{} fault runs ({} with two faults) in {:.1f} s: {} with violations, {} left instances to "
      "their watchdog\n",
      runs.size(), second, s.seconds, violations, watchdogs);
  return out;
}

json explore_json(const ExploreSummary& s) {
  const ExploreOptions& o = *s.options;
  json report = {{"launcher", o.launcher.string()},
                 {"args", o.args},
                 {"baseline_exit", s.baseline_exit},
                 {"baseline_calls", s.baseline_calls},
                 {"baseline_violations", violations_json(baseline_violations(s))},
                 {"fault_points", s.points},
                 {"depth", o.depth},
                 {"runs", json::array()},
                 {"seconds", s.seconds}};
  std::size_t violations = 0, watchdogs = 0;
  for (const auto& r : *s.runs) {
    json entry = {{"point", r.first.point.describe()}, {"baseline_seq", r.first.point.seq},
                  {"fault", r.first.fault.kind},       {"exit", r.exit},
                  {"timed_out", r.timed_out},          {"violations", json::array()}};
    if (r.then) entry["then"] = {{"point", r.then->point.describe()}, {"fault", r.then->fault.kind}};
    if (!r.error.empty()) entry["error"] = r.error;
    entry["violations"] = violations_json(r.violations);
    entry["outcome"] = r.outcome();
    if (!r.scenario_file.empty()) entry["scenario"] = r.scenario_file;
    violations += r.outcome() == "VIOLATION";
    watchdogs += r.outcome() == "watchdog";
    report["runs"].push_back(entry);
  }
  report["violations"] = violations;
  report["watchdog_only"] = watchdogs;
  return report;
}

std::string explore_junit(const ExploreSummary& s) {
  const auto& baseline = baseline_violations(s);
  std::size_t failures = baseline.empty() ? 0 : 1, errors = 0;
  for (const auto& r : *s.runs) {
    errors += !r.error.empty();
    failures += r.error.empty() && r.violated();
  }
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format(
      "<testsuites name=\"spotcheck explore\" tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"{:.3f}\">\n",
      s.runs->size() + 1, failures, errors, s.seconds);
  out +=
      fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"{:.3f}\">\n",
                  xml_escape("explore " + s.options->launcher.filename().string() + " " + join(s.options->args, " ")),
                  s.runs->size() + 1, failures, errors, s.seconds);
  // The run with no fault first: every fault run is measured against it.
  out += "    <testcase classname=\"baseline\" name=\"no fault\"";
  if (baseline.empty()) {
    out += "/>\n";
  } else {
    std::vector<std::string> broken;
    for (const auto& v : baseline) broken.push_back(v.invariant);
    out += ">\n      <failure message=\"" + xml_escape("broke " + join(broken, ", ")) + "\">" +
           xml_escape(join(evidence_lines(baseline), "\n")) + "</failure>\n    </testcase>\n";
  }
  for (const auto& r : *s.runs) {
    out += fmt::format("    <testcase classname=\"{}\" name=\"{}\"", xml_escape(r.first.point.describe()),
                       xml_escape(r.describe()));
    if (r.outcome() == "pass") {
      out += "/>\n";
      continue;
    }
    out += ">\n";
    const std::string body = xml_escape(join(evidence_lines(r), "\n"));
    std::vector<std::string> broken;
    for (const auto& v : r.violations) broken.push_back(v.invariant);
    if (!r.error.empty())
      out += "      <error message=\"harness error\">" + body + "</error>\n";
    else if (r.violated())
      out += "      <failure message=\"" + xml_escape("broke " + join(broken, ", ")) + "\">" + body + "</failure>\n";
    else  // watchdog only: reported, not counted
      out += "      <system-out>" + body + "</system-out>\n";
    out += "    </testcase>\n";
  }
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

std::string explore_html(const ExploreSummary& s) {
  ExploreHtml page;
  page.launcher = s.options->launcher.string();
  page.args = s.options->args;
  page.baseline_exit = s.baseline_exit;
  page.baseline_calls = s.baseline_calls;
  page.baseline_violations = evidence_lines(baseline_violations(s));
  page.seconds = s.seconds;
  page.kinds = kFaultKinds;
  for (const auto& r : *s.runs) {
    ExploreHtmlRun run;
    run.point = r.first.point.describe();
    run.kind = r.then ? r.first.fault.kind + " then " + r.then->describe() : r.first.fault.kind;
    run.outcome = r.outcome();
    run.exit = r.exit;
    run.timed_out = r.timed_out;
    run.violations = evidence_lines(r);
    run.scenario_file = r.scenario_file;
    if (run.outcome != "pass") {
      run.records = &r.records;
      run.world_changes = &r.world_changes;
    }
    page.runs.push_back(std::move(run));
  }
  return render_explore_html(page);
}

}  // namespace spotcheck::harness
