// Internal to the World model: SSM managed nodes (the agent on each instance) and Run Command's commands and
// their per-instance invocations, in state/ssm-commands.json.
#pragma once
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "spotcheck/fakes/context.hpp"
#include "spotcheck/fakes/world/instances.hpp"

namespace spotcheck::fakes::world {

// The agent's ping status on `instance` at `now`: "Online", "ConnectionLost" (stopped), or "" when SSM does
// not list the instance (this world's instances run no registered agent, the agent is not up yet, or the
// instance is shutting down or terminated: its agent went away with it).
std::string agent_ping_status(const RunPaths& paths, const Instance& instance, double now);

// One invocation (a command on one instance), as state/ssm-commands.json keeps it:
//   {"instance_id", "visible_at", "started_at", "ended_at", "outcome": "Success|Failed|TimedOut",
//    "response_code", "stdout", "stderr", "cancelled_at"?}
// An invocation runs from started_at to ended_at (virtual time) and then has its outcome, unless it was
// cancelled before it ended.
struct InvocationStatus {
  std::string status;   // Pending | InProgress | Success | Failed | TimedOut | Cancelled
  std::string details;  // Pending | InProgress | Success | Failed | ExecutionTimedOut | Canceled
  int response_code = -1;
  bool ended = false;
};
InvocationStatus invocation_status(const nlohmann::json& invocation, double now);

// The command's status over its invocations (list-commands): the first one not yet ended, else the first
// one that did not succeed, else Success.
InvocationStatus command_status(const nlohmann::json& command, double now);

// state/ssm-commands.json: {"commands": [ {"id", "requested_at", ..., "invocations": [...]} ]}, oldest first.
nlohmann::json read_ssm_commands(const RunPaths& paths);
void update_ssm_commands(const RunPaths& paths, const std::function<void(nlohmann::json&)>& mutate);
// The command with `id`, or nullopt.
std::optional<nlohmann::json> find_ssm_command(const RunPaths& paths, const std::string& id);

}  // namespace spotcheck::fakes::world
