// `aws ec2 wait ...`: botocore's EC2 waiters, polling the World in virtual time (15 s x 40 by default).
#include <optional>

#include "aws/cli_errors.hpp"
#include "aws/ec2_view.hpp"
#include "aws/service.hpp"
#include "world/ec2_store.hpp"

namespace spotcheck::fakes::aws {
namespace {

// One waiter: which states end it and how it polls (botocore's ec2 waiters-2.json, reduced).
struct WaiterDef {
  std::string_view cli_name;              // instance-running
  std::string_view name;                  // InstanceRunning
  std::vector<std::string_view> success;  // all instances in one of these
  std::vector<std::string_view> failure;  // any instance in one of these
  bool status_checks = false;             // instance-status-ok / system-status-ok
  bool exists_only = false;               // instance-exists
  double delay = 15;
  int max_attempts = 40;
};

const std::vector<WaiterDef>& waiters() {
  static const std::vector<WaiterDef> table = {
      {"instance-running", "InstanceRunning", {"running"}, {"shutting-down", "terminated", "stopping"}},
      {"instance-terminated", "InstanceTerminated", {"terminated"}, {"pending", "stopping"}},
      {"instance-stopped", "InstanceStopped", {"stopped"}, {"pending", "terminated"}},
      {"instance-exists", "InstanceExists", {}, {}, false, true, 5, 40},
      {"instance-status-ok", "InstanceStatusOk", {}, {}, true},
      {"system-status-ok", "SystemStatusOk", {}, {}, true},
  };
  return table;
}

enum class Outcome { Success, Failure, Retry };

struct Poll {
  Outcome outcome = Outcome::Retry;
  std::string explanation;  // the acceptor that matched, as botocore words it
};

bool contains(const std::vector<std::string_view>& states, const std::string& s) {
  return std::find(states.begin(), states.end(), s) != states.end();
}

Poll judge_states(const WaiterDef& w, const std::vector<std::string>& states) {
  const std::string expr = "\"Reservations[].Instances[].State.Name\"";
  for (const auto& s : states) {
    if (contains(w.failure, s)) {
      return {Outcome::Failure, "For expression " + expr + " we matched expected path: \"" + s + "\" at least once"};
    }
  }
  const bool all = !states.empty() && std::all_of(states.begin(), states.end(),
                                                  [&](const std::string& s) { return contains(w.success, s); });
  if (all) return {Outcome::Success, ""};
  return {Outcome::Retry, ""};
}

Poll poll_once(const WaiterDef& w, Invocation& inv, const Params& p) {
  const double now = virtual_now(inv.paths);
  const std::string api = w.status_checks ? "DescribeInstanceStatus" : "DescribeInstances";
  std::vector<nlohmann::json> records;
  try {
    records = select_instances(inv.paths, inv.region, p, api, now);
  } catch (const CliFailure& failure) {
    if (failure.stderr_text.find("InvalidInstanceID.NotFound") == std::string::npos) throw;
    return {Outcome::Retry, "Matched expected service error code: InvalidInstanceID.NotFound"};
  }
  if (w.exists_only) return {records.empty() ? Outcome::Retry : Outcome::Success, ""};
  if (w.status_checks) {
    const bool all_ok = !records.empty() && std::all_of(records.begin(), records.end(), [&](const nlohmann::json& r) {
      return world::effective_state(r, now) == "running" && now >= r.value("ssh_ready_at", 0.0);
    });
    return {all_ok ? Outcome::Success : Outcome::Retry, ""};
  }
  std::vector<std::string> states;
  for (const auto& r : records) states.push_back(world::effective_state(r, now));
  return judge_states(w, states);
}

const WaiterDef* find_waiter(std::string_view name) {
  for (const auto& w : waiters()) {
    if (w.cli_name == name) return &w;
  }
  return nullptr;
}

std::vector<std::string> waiter_names() {
  std::vector<std::string> names;
  for (const auto& w : waiters()) names.emplace_back(w.cli_name);
  return names;
}

// An enclosing `timeout` would kill the waiter once its budget is spent (exit 124, as coreutils).
bool out_of_time(const Invocation& inv, double waited, double next_delay) {
  const auto& budget = inv.call.ctx().timeout;
  return budget && waited + next_delay > *budget;
}

}  // namespace

int run_ec2_wait(Invocation& inv) {
  if (inv.args.empty()) throw usage_error("the following arguments are required: subcommand");
  const WaiterDef* w = find_waiter(inv.args.front());
  if (!w) throw invalid_choice("subcommand", inv.args.front(), waiter_names());
  const std::vector<std::string> rest(inv.args.begin() + 1, inv.args.end());
  const Params p =
      parse_params(rest, w->status_checks ? ec2_describe_instance_status_params() : ec2_describe_instances_params());
  inv.settle();
  std::string last_accepted;
  double waited = 0;
  for (int attempt = 1;; ++attempt) {
    const Poll poll = poll_once(*w, inv, p);
    if (poll.outcome == Outcome::Success) return 0;
    const std::string name(w->name);
    if (poll.outcome == Outcome::Failure) {
      throw waiter_failed(name, "Waiter encountered a terminal failure state: " + poll.explanation);
    }
    if (!poll.explanation.empty()) last_accepted = poll.explanation;
    if (attempt >= w->max_attempts) {
      throw waiter_failed(name, last_accepted.empty()
                                    ? "Max attempts exceeded"
                                    : "Max attempts exceeded. Previously accepted state: " + last_accepted);
    }
    if (out_of_time(inv, waited, w->delay)) {
      advance_clock(inv.paths, *inv.call.ctx().timeout - waited);
      return 124;
    }
    advance_clock(inv.paths, w->delay);
    waited += w->delay;
  }
}

}  // namespace spotcheck::fakes::aws
