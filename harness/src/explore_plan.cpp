// Explore's plan: fault points from a baseline recording, the rule injecting a fault (the faults themselves:
// explore_faults.cpp), the invariants every run is held to (as expectations, so violations read like scenario
// failures).
#include <algorithm>
#include <cctype>
#include <map>
#include <span>

#include "spotcheck/aws_grammar.hpp"
#include "spotcheck/catalog.hpp"
#include "spotcheck/explore.hpp"
#include "spotcheck/text.hpp"
#include "spotcheck/world_changes.hpp"

namespace spotcheck::harness {
namespace {

using nlohmann::json;

const std::vector<std::string> kSpotTools = {"pip", "git", "dnf", "yum"};

bool spot_tool(const std::string& tool) {
  return is_python_tool(tool) || std::any_of(kSpotTools.begin(), kSpotTools.end(), [&](const std::string& t) {
           return tool == t || (t == "pip" && tool.starts_with("pip"));
         });
}

// The words that say what a call is (empty: the call is no fault point).
std::optional<std::vector<std::string>> shape_of(const Record& r) {
  const bool on_spot = r.host != "dispatcher";
  if (r.tool == "aws") {
    const AwsArgs a = split_aws_args(std::span<const std::string>(r.argv).subspan(1));
    if (a.service.empty() || a.operation.empty()) return std::nullopt;
    return std::vector<std::string>{a.service, a.operation};
  }
  if ((r.tool == "ssh" || r.tool == "scp") && !on_spot) return std::vector<std::string>{};
  if (!on_spot || !spot_tool(r.tool)) return std::nullopt;
  if (is_python_tool(r.tool)) {
    const PythonCommand c = parse_python_command(r.argv);
    if (c.kind == PythonCommand::Kind::Script) return std::vector<std::string>{c.target};
    if (c.kind == PythonCommand::Kind::Module) return std::vector<std::string>{"-m", c.target};
    return std::nullopt;
  }
  for (std::size_t i = 1; i < r.argv.size(); ++i)
    if (!r.argv[i].starts_with("-")) return std::vector<std::string>{r.argv[i]};  // pip install, git clone
  return std::vector<std::string>{};
}

Expectations invariant(const std::string& name, bool preflight) {
  Expectations e;
  if (name == "instances-terminated") e.all_instances_terminated = true;
  if (name == "cleanup-last") e.cleanup_last = true;
  if (name == "preflight-writes-nothing" && preflight) {
    // Writes only: an instance left running is instances-terminated's to report. S3 is judged by what
    // lasts (the World's objects): a copy staged and removed again, as Run Command transports do, is no
    // write; the other writes cannot be taken back, so the calls themselves count.
    for (const auto& kind : kWorldChangeKinds)
      if (kind != "ec2.left_running") e.world_changes[kind] = CountBound{0, std::nullopt, std::nullopt};
    for (const auto& w : preflight_forbidden_writes()) e.effects[w] = CountBound{0, std::nullopt, std::nullopt};
  }
  if (name == "no-heartbeat-on-failure") e.effects["metric.write"] = CountBound{0, std::nullopt, std::nullopt};
  return e;
}

// What of `e` the run broke, less "it timed out": ends-in-time reports that once, not every invariant.
std::vector<Failure> broken(const Expectations& e, const Observed& run) {
  auto failures = evaluate(e, run);
  if (run.timed_out) std::erase_if(failures, [](const Failure& f) { return f.check == "exit"; });
  return failures;
}

// A spot-side watchdog on `instance`: a delayed shutdown it scheduled (systemd-run ... shutdown, shutdown +N).
bool has_watchdog(const std::vector<Record>& records, const std::string& instance) {
  return std::any_of(records.begin(), records.end(), [&](const Record& r) {
    if (r.host != instance || r.exit != 0) return false;
    const std::string line = join(r.argv, " ");
    if (r.tool == "systemd-run")
      return line.find("shutdown") != std::string::npos || line.find("poweroff") != std::string::npos;
    return r.tool == "shutdown" && line.find('+') != std::string::npos;
  });
}

// Whether the run retried terminating `instance`: two terminate-instances calls or more naming it (they
// failed, or it would not have been left running). One failed call is no effort against a transient error.
bool terminate_retried(const std::vector<Record>& records, const std::string& instance) {
  return std::count_if(records.begin(), records.end(), [&](const Record& r) {
           return std::find(r.effects.begin(), r.effects.end(), "ec2.terminate") != r.effects.end() &&
                  std::find(r.argv.begin(), r.argv.end(), instance) != r.argv.end();
         }) >= 2;
}

// Whether every instance the run left running had its watchdog (and at least one was left), and, with
// `tried`, terminate calls that failed again when retried.
bool only_watchdogs_left(const Observed& run, bool tried) {
  if (run.world_changes == nullptr) return false;
  bool any = false;
  for (const auto& c : *run.world_changes) {
    if (c.kind != "ec2.left_running") continue;
    any = true;
    if (!has_watchdog(*run.records, c.name)) return false;
    if (tried && !terminate_retried(*run.records, c.name)) return false;
  }
  return any;
}

// Letters and digits only, lower-cased: "TerminateInstances" and "terminate-instances" are the same name.
std::string squeezed(const std::string& text) {
  std::string out;
  for (const char c : text)
    if (std::isalnum(static_cast<unsigned char>(c)))
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// What a log may say to name a failed step: the step's name, the error code it printed, or that error's text.
std::vector<std::string> step_names(const FaultStep& step) {
  std::vector<std::string> out{step_name(step.point)};
  const std::string err = step.fault.answer.value("stderr", std::string());
  if (const auto open = err.find("An error occurred ("); open != std::string::npos) {
    const auto from = open + std::string("An error occurred (").size();
    out.push_back(err.substr(from, err.find(')', from) - from));
  }
  const auto start = err.find_first_not_of(" \t\n");
  if (start != std::string::npos) out.push_back(err.substr(start, err.find('\n', start) - start));
  return out;
}

}  // namespace

std::vector<std::string> preflight_forbidden_writes() {
  std::vector<std::string> out;
  for (const auto& w : kWriteEffects)
    if (w != "s3.write") out.push_back(w);
  return out;
}

std::string FaultPoint::describe() const {
  std::string s = host + " " + tool;
  for (const auto& w : shape) s += " " + w;
  return s + " #" + std::to_string(occurrence);
}

bool fired(const FaultStep& step, const std::vector<Record>& records) {
  const std::string id = step.rule_id();
  return std::any_of(records.begin(), records.end(), [&](const Record& r) { return r.rule && *r.rule == id; });
}

std::string step_name(const FaultPoint& p) {
  if (!p.shape.empty() && p.shape.back() != "-m") return p.shape.back();  // the operation, the script, the subcommand
  return p.tool;
}

std::vector<FaultPoint> fault_points(const std::vector<Record>& baseline) {
  std::vector<FaultPoint> out;
  std::map<std::string, int> seen;
  for (const auto& r : baseline) {
    const auto shape = shape_of(r);
    if (!shape) continue;
    FaultPoint p{r.host == "dispatcher" ? "dispatcher" : "spot", r.tool, *shape, 1, r.seq, r.argv};
    p.occurrence = ++seen[p.host + " " + p.tool + " " + join(p.shape, " ")];
    out.push_back(std::move(p));
  }
  return out;
}

std::string FaultStep::describe() const {
  return fault.kind + " at " + point.describe();
}

std::string FaultStep::rule_id() const {
  return "explore: " + describe();
}

json fault_rule(const FaultStep& step) {
  return fault_rule(step.point, step.fault);
}

json fault_rule(const FaultPoint& p, const Fault& f) {
  json match = {{"host", p.host}, {"tool", p.tool}};
  if (!p.shape.empty()) match["argv_contains"] = p.shape;
  json rule = {{"id", FaultStep{p, f}.rule_id()}, {"match", match}};
  if (f.kind != "outage") rule["nth"] = p.occurrence;  // an outage answers every such call
  for (const auto& [k, v] : f.answer.items()) rule[k] = v;
  return rule;
}

std::vector<Violation> check_invariants(const Observed& run, bool preflight, const std::vector<WorldChange>* baseline,
                                        const std::vector<UserInvariant>& extra, const std::vector<FaultStep>& faults) {
  std::vector<Violation> out;
  for (const char* name : {"instances-terminated", "cleanup-last", "preflight-writes-nothing"}) {
    if (std::string(name) == "preflight-writes-nothing" && !preflight) continue;
    if (std::string(name) == "cleanup-last" &&
        std::none_of(run.records->begin(), run.records->end(), [](const Record& r) {
          return r.exit == 0 && std::find(r.effects.begin(), r.effects.end(), "ec2.launch") != r.effects.end();
        }))
      continue;  // nothing launched: nothing to clean up
    auto failures = broken(invariant(name, preflight), run);
    if (failures.empty()) continue;
    // Weaker only when the run lost control (killed at its limit), or did all it could: its terminate calls
    // failed again when retried (an outage of the API) and it said so, exiting non-zero. A launcher that
    // ended by itself and never tried, gave up after one call, or exited 0 had every chance.
    const bool weaker = std::string(name) == "instances-terminated" &&
                        ((run.timed_out && only_watchdogs_left(run, false)) ||
                         (!run.timed_out && run.exit != 0 && only_watchdogs_left(run, true)));
    out.push_back({name, std::move(failures), weaker});
  }
  {
    // Cleanup at most once: an instance terminated twice means the cleanup ran twice (a trap on a signal and
    // again on EXIT), which also repeats its other steps. A failed terminate retried is not counted.
    std::map<std::string, int> times;
    for (const auto& id : terminated_instances(*run.records)) ++times[id];
    std::vector<std::string> twice;
    for (const auto& [id, n] : times)
      if (n > 1) twice.push_back(id + " terminated " + std::to_string(n) + " times");
    if (!twice.empty())
      out.push_back(
          {"cleanup-once", {Failure{"cleanup-once", "each instance terminated once", join(twice, ", "), {}}}, false});
  }
  if (run.exit != 0 && !run.timed_out) {
    auto failures = broken(invariant("no-heartbeat-on-failure", preflight), run);
    if (!failures.empty()) out.push_back({"no-heartbeat-on-failure", std::move(failures), false});
  }
  if (run.exit == 0 && !run.timed_out && run.world_changes) {
    // Success must mean what it meant without the fault: nothing left running, every write made.
    std::vector<std::string> lost;
    for (const auto& c : *run.world_changes)
      if (c.kind == "ec2.left_running") lost.push_back(c.name + " left running");
    for (const auto& c : baseline ? *baseline : std::vector<WorldChange>{}) {
      if (c.kind == "ec2.left_running") continue;
      const bool made = std::any_of(run.world_changes->begin(), run.world_changes->end(),
                                    [&](const WorldChange& m) { return m.kind == c.kind && m.name == c.name; });
      if (!made) lost.push_back(c.kind + " " + c.name + " not made");
    }
    if (!lost.empty())
      out.push_back({"no-silent-failure",
                     {Failure{"no-silent-failure",
                              "a run that exits 0 did everything the baseline did",
                              "exit 0, but " + join(lost, ", "),
                              {}}},
                     false});
  }
  if (run.exit != 0 && !run.timed_out) {
    // A run a fault made fail says which step failed: its log names the step, or passes on the error the step
    // printed. Only faults that print one (a hang or a reclaim prints nothing; a signal is no step's failure).
    const std::string log = squeezed(run.launcher_stderr + "\n" + run.launcher_stdout);
    for (const auto& step : faults) {
      if (!step.fault.answer.contains("stderr")) continue;
      if (!fired(step, *run.records)) continue;
      const auto names = step_names(step);
      if (std::any_of(names.begin(), names.end(),
                      [&](const std::string& n) { return log.find(squeezed(n)) != std::string::npos; }))
        continue;
      out.push_back({"failure-names-step",
                     {Failure{"failure-names-step",
                              "the log of a failed run names the failed step (" + step.point.describe() +
                                  "): one of \"" + join(names, "\", \"") + "\"",
                              "exit " + std::to_string(run.exit) + ", and its output names none of them",
                              {}}},
                     false});
      break;
    }
  }
  if (run.survivors && !run.survivors->empty())  // the sandbox killed them; in production they live on
    out.push_back({"no-process-outlives-run",
                   {Failure{"no-process-outlives-run",
                            "every process the launcher started ended with it",
                            "still running when it exited: " + join(*run.survivors, "; "),
                            {}}},
                   false});
  if (run.timed_out) {
    // Where it hung: the calls that never returned (recorded with exit -1), else the last call it made.
    std::vector<std::string> where;
    for (const auto& r : *run.records)
      if (r.exit == -1) where.push_back(describe_record(r));
    std::string at = where.empty() ? "" : "; hung in " + join(where, ", ");
    if (where.empty() && !run.records->empty()) at = "; its last call " + describe_record(run.records->back());
    out.push_back(
        {"ends-in-time",
         {Failure{"ends-in-time", "the run ends by itself", "still running at its time limit: killed" + at, {}}},
         false});
  }
  for (const auto& inv : extra) {
    if ((inv.when == "failure" && (run.exit == 0 || run.timed_out)) || (inv.when == "success" && run.exit != 0))
      continue;
    auto failures = broken(inv.expect, run);
    if (!failures.empty()) out.push_back({inv.name, std::move(failures), false});
  }
  return out;
}

bool counted(const std::vector<Violation>& violations) {
  return std::any_of(violations.begin(), violations.end(), [](const Violation& v) { return !v.watchdog_only; });
}

bool FaultRun::violated() const {
  return !error.empty() || counted(violations);
}

std::string FaultRun::outcome() const {
  if (violated()) return "VIOLATION";
  return violations.empty() ? "pass" : "watchdog";
}

std::string FaultRun::describe() const {
  return then ? first.describe() + ", then " + then->describe() : first.describe();
}

std::vector<FaultStep> FaultRun::steps() const {
  std::vector<FaultStep> out{first};
  if (then) out.push_back(*then);
  return out;
}

std::vector<FaultRun> plan_second_faults(const std::vector<Record>& baseline, const std::vector<FaultRun>& firsts,
                                         const std::vector<std::string>& kinds, std::size_t budget) {
  std::vector<std::string> baseline_names;
  for (const auto& p : fault_points(baseline)) baseline_names.push_back(p.describe());
  // Per first fault, its second faults in order: calls the baseline never made, then the rest of its path.
  std::vector<std::vector<FaultRun>> per_first;
  for (const auto& first : firsts) {
    if (first.then || !first.error.empty()) continue;
    const std::string id = first.first.rule_id();
    const auto faulted = std::find_if(first.records.begin(), first.records.end(),
                                      [&](const Record& r) { return r.rule && *r.rule == id; });
    if (faulted == first.records.end()) continue;  // the fault never fired
    const std::vector<FaultPoint> points = fault_points(first.records);
    std::vector<std::string> names;
    for (const auto& p : points)
      if (p.seq != faulted->seq) names.push_back(p.describe());
    std::vector<std::string> expected = baseline_names;
    std::erase(expected, first.first.point.describe());
    if (names == expected) continue;  // masked: the run took the baseline's path; depth 1 covers its calls
    std::vector<FaultRun> unseen, seen;
    for (const auto& p : points) {
      if (p.seq <= faulted->seq) continue;
      const bool in_baseline =
          std::find(baseline_names.begin(), baseline_names.end(), p.describe()) != baseline_names.end();
      for (auto& f : faults_for(p, kinds)) {
        FaultRun run;
        run.first = first.first;
        run.then = FaultStep{p, std::move(f)};
        (in_baseline ? seen : unseen).push_back(std::move(run));
      }
    }
    for (auto& r : seen) unseen.push_back(std::move(r));
    if (!unseen.empty()) per_first.push_back(std::move(unseen));
  }
  std::vector<FaultRun> out;
  for (std::size_t round = 0; out.size() < budget; ++round) {
    bool any = false;
    for (auto& list : per_first) {
      if (round >= list.size() || out.size() >= budget) continue;
      out.push_back(std::move(list[round]));
      any = true;
    }
    if (!any) break;
  }
  return out;
}

}  // namespace spotcheck::harness
