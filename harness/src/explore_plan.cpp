// Explore's plan: fault points from a baseline recording, the faults each admits, the rule injecting one,
// and the invariants every run is held to (as expectations, so violations read like scenario failures).
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

json aws_error(const FaultPoint& p, const std::string& code, const std::string& message, int exit) {
  const std::string op = p.shape.at(0) == "s3" ? "PutObject" : pascal_case(p.shape.at(1));
  const std::string prefix = p.shape.at(0) == "s3" ? "fatal error: " : "\n";
  return {{"exit", exit},
          {"stderr", prefix + "An error occurred (" + code + ") when calling the " + op +
                         " operation (reached max retries: 2): " + message + "\n"}};
}

Expectations invariant(const std::string& name, bool preflight) {
  Expectations e;
  if (name == "instances-terminated") e.all_instances_terminated = true;
  if (name == "cleanup-last") e.cleanup_last = true;
  if (name == "preflight-writes-nothing" && preflight) {
    // Writes only: an instance left running is instances-terminated's to report.
    for (const auto& kind : kWorldChangeKinds)
      if (kind != "ec2.left_running") e.world_changes[kind] = CountBound{0, std::nullopt, std::nullopt};
    for (const auto& w : kWriteEffects) e.effects[w] = CountBound{0, std::nullopt, std::nullopt};
  }
  if (name == "no-heartbeat-on-failure") e.effects["metric.write"] = CountBound{0, std::nullopt, std::nullopt};
  return e;
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

// Whether every instance the run left running had its watchdog (and at least one was left).
bool only_watchdogs_left(const Observed& run) {
  if (run.world_changes == nullptr) return false;
  bool any = false;
  for (const auto& c : *run.world_changes) {
    if (c.kind != "ec2.left_running") continue;
    any = true;
    if (!has_watchdog(*run.records, c.name)) return false;
  }
  return any;
}

}  // namespace

std::string FaultPoint::describe() const {
  std::string s = host + " " + tool;
  for (const auto& w : shape) s += " " + w;
  return s + " #" + std::to_string(occurrence);
}

std::vector<FaultPoint> fault_points(const std::vector<Record>& baseline) {
  std::vector<FaultPoint> out;
  std::map<std::string, int> seen;
  for (const auto& r : baseline) {
    const auto shape = shape_of(r);
    if (!shape) continue;
    FaultPoint p{r.host == "dispatcher" ? "dispatcher" : "spot", r.tool, *shape, 1, r.seq};
    p.occurrence = ++seen[p.host + " " + p.tool + " " + join(p.shape, " ")];
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<Fault> faults_for(const FaultPoint& p, const std::vector<std::string>& kinds) {
  std::vector<Fault> all;
  if (p.tool == "aws") {
    all.push_back({"throttle", aws_error(p, "RequestLimitExceeded", "Request limit exceeded.", 254)});
    all.push_back({"internal-error", aws_error(p, "InternalError", "An internal error has occurred", 255)});
    all.push_back({"hang", {{"hang", true}}});
  } else if (p.tool == "ssh" || p.tool == "scp") {
    all.push_back({"drop", {{"exit", 255}, {"stderr", "Connection to 203.0.113.10 closed by remote host.\n"}}});
    all.push_back({"hang", {{"hang", true}}});
  } else {
    all.push_back({"fail", {{"exit", 1}, {"stderr", "spotcheck explore: injected failure of " + p.describe() + "\n"}}});
    all.push_back({"reclaim", {{"reclaim", true}}});
    all.push_back({"hang", {{"hang", true}}});
  }
  // An outage: from this call on, every call like it fails (a retry loop must give up, not spin).
  if (p.occurrence == 1 && !all.empty() && all.front().kind != "hang") {
    Fault outage{"outage", all.front().answer};
    outage.answer["stderr"] = "spotcheck explore: outage from " + p.describe() +
                              " on: " + outage.answer.value("stderr", std::string("unavailable\n"));
    all.push_back(std::move(outage));
  }
  if (p.host == "dispatcher") all.push_back({"sigterm", {{"signal", "TERM"}}});
  if (kinds.empty()) return all;
  std::vector<Fault> chosen;
  for (auto& f : all)
    if (std::find(kinds.begin(), kinds.end(), f.kind) != kinds.end()) chosen.push_back(std::move(f));
  return chosen;
}

json fault_rule(const FaultPoint& p, const Fault& f) {
  json match = {{"host", p.host}, {"tool", p.tool}};
  if (!p.shape.empty()) match["argv_contains"] = p.shape;
  json rule = {{"id", "explore: " + f.kind + " at " + p.describe()}, {"match", match}};
  if (f.kind != "outage") rule["nth"] = p.occurrence;  // an outage answers every such call
  for (const auto& [k, v] : f.answer.items()) rule[k] = v;
  return rule;
}

std::vector<Violation> check_invariants(const Observed& run, bool preflight, const std::vector<WorldChange>* baseline) {
  std::vector<Violation> out;
  for (const char* name : {"instances-terminated", "cleanup-last", "preflight-writes-nothing"}) {
    if (std::string(name) == "preflight-writes-nothing" && !preflight) continue;
    if (std::string(name) == "cleanup-last" &&
        std::none_of(run.records->begin(), run.records->end(), [](const Record& r) {
          return r.exit == 0 && std::find(r.effects.begin(), r.effects.end(), "ec2.launch") != r.effects.end();
        }))
      continue;  // nothing launched: nothing to clean up
    auto failures = evaluate(invariant(name, preflight), run);
    if (failures.empty()) continue;
    // Weaker only when the run lost control (killed at its limit): a launcher that ended by itself and left
    // an instance running had every chance to terminate it.
    const bool weaker = std::string(name) == "instances-terminated" && run.timed_out && only_watchdogs_left(run);
    out.push_back({name, std::move(failures), weaker});
  }
  if (run.exit != 0 && !run.timed_out) {
    auto failures = evaluate(invariant("no-heartbeat-on-failure", preflight), run);
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
  if (run.timed_out)
    out.push_back({"ends-in-time",
                   {Failure{"ends-in-time", "the run ends by itself", "still running at its time limit: killed", {}}},
                   false});
  return out;
}

}  // namespace spotcheck::harness
