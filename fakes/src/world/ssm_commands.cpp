// SSM managed nodes and Run Command invocations in the World (see world/ssm_commands.hpp).
#include "world/ssm_commands.hpp"

#include "spotcheck/fakes/state.hpp"
#include "world/world_config.hpp"

namespace spotcheck::fakes::world {

std::string agent_ping_status(const RunPaths& paths, const Instance& instance, double now) {
  const WorldConfig& world = world_config(paths);
  if (!world.ssm_agent) return "";
  const std::string state = state_at(instance, now);
  if (state == "stopped" || state == "stopping") return "ConnectionLost";
  if (state != "running" || now < instance.launched_at + world.ssm_agent_online_after) return "";
  return "Online";
}

InvocationStatus invocation_status(const nlohmann::json& invocation, double now) {
  const double ended_at = invocation.value("ended_at", 0.0);
  if (invocation.contains("cancelled_at")) {
    const double cancelled_at = invocation["cancelled_at"].get<double>();
    if (cancelled_at < ended_at && now >= cancelled_at) return {"Cancelled", "Canceled", -1, true};
  }
  if (now < invocation.value("started_at", 0.0)) return {"Pending", "Pending", -1, false};
  if (now < ended_at) return {"InProgress", "InProgress", -1, false};
  const std::string outcome = invocation.value("outcome", "Failed");
  const std::string details = outcome == "TimedOut" ? "ExecutionTimedOut" : outcome;
  return {outcome, details, invocation.value("response_code", -1), true};
}

InvocationStatus command_status(const nlohmann::json& command, double now) {
  std::optional<InvocationStatus> unsuccessful;
  for (const auto& invocation : command.value("invocations", nlohmann::json::array())) {
    InvocationStatus status = invocation_status(invocation, now);
    if (!status.ended) return status;
    if (status.status != "Success" && !unsuccessful) unsuccessful = status;
  }
  return unsuccessful.value_or(InvocationStatus{"Success", "Success", 0, true});
}

nlohmann::json read_ssm_commands(const RunPaths& paths) {
  return read_state(paths, "ssm-commands", {{"commands", nlohmann::json::array()}});
}

void update_ssm_commands(const RunPaths& paths, const std::function<void(nlohmann::json&)>& mutate) {
  update_state(paths, "ssm-commands", mutate, {{"commands", nlohmann::json::array()}});
}

std::optional<nlohmann::json> find_ssm_command(const RunPaths& paths, const std::string& id) {
  const nlohmann::json state = read_ssm_commands(paths);  // held: a temporary's member would dangle in the loop
  for (const auto& command : state["commands"]) {
    if (command.value("id", "") == id) return command;
  }
  return std::nullopt;
}

}  // namespace spotcheck::fakes::world
