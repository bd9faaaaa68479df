// SSM Run Command in the World: managed nodes (describe-instance-information), send-command with
// AWS-RunShellScript, get-command-invocation / list-command-invocations / list-commands / cancel-command, and
// `aws ssm wait command-executed`.
//
// Time: a command is sent at T0; the agent picks it up kAgentPickup virtual seconds later and the script runs
// then, for real, in the instance's host sandbox (as a keeper session, like ssh). The script's own calls move
// the clock (its sleeps, its waits) from T0 + pickup to T_end; the clock is then put back to T0, because the
// dispatcher did not wait: it sees Pending, then InProgress until its own clock passes T_end, then the outcome.
// So the remote calls are recorded with the send-command as their parent and their own virtual times, which
// overlap the dispatcher's polls as they would in production.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <tuple>

#include "aws/cli_errors.hpp"
#include "aws/service.hpp"
#include "spotcheck/digest.hpp"
#include "spotcheck/fakes/state.hpp"
#include "spotcheck/fakes/world/instances.hpp"
#include "spotcheck/text.hpp"
#include "world/common.hpp"
#include "world/ec2_store.hpp"
#include "world/s3_store.hpp"
#include "world/ssm_commands.hpp"
#include "world/world_config.hpp"

namespace spotcheck::fakes::aws {
namespace {

constexpr double kAgentPickup = 1;                 // send-command -> the agent starts the script
constexpr double kDefaultExecutionTimeout = 3600;  // AWS-RunShellScript's executionTimeout default
constexpr double kMaxExecutionTimeout = 172800;    // its maximum (48 h)
constexpr std::size_t kStdoutInlineLimit = 24000;  // get-command-invocation StandardOutputContent
constexpr std::size_t kStderrInlineLimit = 8000;   // get-command-invocation StandardErrorContent
constexpr std::size_t kListOutputLimit = 2500;     // list-command-invocations --details Output
constexpr const char* kRunShellScript = "AWS-RunShellScript";
constexpr const char* kPluginName = "aws:runShellScript";
constexpr const char* kAgentVersion = "3.3.1142.0";

std::string timestamp(double t) {
  return world::iso8601(t, true);
}

// "PT1.5S", as Run Command reports ExecutionElapsedTime.
std::string elapsed_text(double seconds) {
  std::string s = fmt::format("{:.3f}", std::max(0.0, seconds));
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return "PT" + s + "S";
}

// ---- the command line's values ---------------------------------------------------------------

// SendCommand's Parameters: map<string, list<string>>; shorthand `commands=x` gives one string.
nlohmann::json document_parameters(const Params& p) {
  nlohmann::json out = nlohmann::json::object();
  if (!p.contains("parameters")) return out;
  const Json& given = p["parameters"];
  if (!given.is_object()) throw service_error("InvalidParameters", "SendCommand", "");
  for (const auto& [name, value] : given.items()) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& v : world::as_list(value)) {
      if (!v.is_string()) throw service_error("InvalidParameters", "SendCommand", "");
      list.push_back(v.get<std::string>());
    }
    out[name] = list;
  }
  return out;
}

std::string script_of(const nlohmann::json& parameters) {
  std::string script;
  for (const auto& line : parameters.value("commands", nlohmann::json::array()))
    script += line.get<std::string>() + "\n";
  return script;
}

// AWS-RunShellScript's parameters: commands (required), workingDirectory, executionTimeout (1..172800).
double execution_timeout(const nlohmann::json& parameters) {
  for (const auto& [name, value] : parameters.items()) {
    if (name != "commands" && name != "workingDirectory" && name != "executionTimeout")
      throw service_error("InvalidParameters", "SendCommand", "");
  }
  if (!parameters.contains("commands") || parameters["commands"].empty())
    throw service_error("InvalidParameters", "SendCommand", "");
  if (!parameters.contains("executionTimeout")) return kDefaultExecutionTimeout;
  const std::string text =
      parameters["executionTimeout"].empty() ? "" : parameters["executionTimeout"][0].get<std::string>();
  const bool digits = !text.empty() && text.size() <= 6 && text.find_first_not_of("0123456789") == std::string::npos;
  const double seconds = digits ? std::stod(text) : 0;
  if (seconds < 1 || seconds > kMaxExecutionTimeout) throw service_error("InvalidParameters", "SendCommand", "");
  return seconds;
}

// The instances a command targets: --instance-ids, or --targets Key=InstanceIds,Values=... (other target keys
// select nothing here: the World keeps no tags for Run Command targeting).
std::vector<std::string> target_instances(Invocation& inv, const Params& p) {
  std::vector<std::string> ids;
  if (p.contains("instance-ids")) {
    for (const auto& id : p["instance-ids"]) ids.push_back(id.get<std::string>());
  }
  if (p.contains("targets")) {
    for (const auto& target : p["targets"]) {
      const std::string key = world::str_or(target, "Key");
      if (key != "InstanceIds") {
        inv.call.mark_unscripted();
        continue;
      }
      for (const auto& v : world::as_list(target.value("Values", Json::array()))) ids.push_back(v.get<std::string>());
    }
  }
  if (ids.empty() && !p.contains("targets")) {
    throw service_error("ValidationException", "SendCommand",
                        "Either InstanceIds or Targets must be specified.");  // not captured from the service
  }
  return ids;
}

void check_command_id(const std::string& id, const std::string& operation) {
  if (id.size() < 36)
    throw service_error("ValidationException", operation,
                        "1 validation error detected: Value '" + id +
                            "' at 'commandId' failed to satisfy constraint: Member must have length greater than or "
                            "equal to 36");
  if (id.size() > 36)
    throw service_error("ValidationException", operation,
                        "1 validation error detected: Value '" + id +
                            "' at 'commandId' failed to satisfy constraint: Member must have length less than or "
                            "equal to 36");
}

// ---- running the step ------------------------------------------------------------------------

struct StepOutcome {
  double started_at = 0;
  double ended_at = 0;
  std::string outcome;  // Success | Failed | TimedOut
  int response_code = -1;
  std::string stdout_text;
  std::string stderr_text;
};

std::string with_failure_line(std::string stderr_text, int exit) {
  if (exit == 0) return stderr_text;
  if (!stderr_text.empty() && stderr_text.back() != '\n') stderr_text += '\n';
  return stderr_text + "failed to run commands: exit status " + std::to_string(exit) + "\n";
}

StepOutcome finished(double started_at, double ended_at, double timeout, int exit, std::string out,
                     const std::string& err) {
  if (ended_at - started_at > timeout) return {started_at, started_at + timeout, "TimedOut", -1, std::move(out), err};
  return {started_at, ended_at, exit == 0 ? "Success" : "Failed", exit, std::move(out), with_failure_line(err, exit)};
}

// Runs one invocation: the rule's answer for the step when a rule matched the send-command, else the
// script itself. Leaves the clock where it found it.
StepOutcome run_step(Invocation& inv, const RemoteStep& step) {
  const double t0 = virtual_now(inv.paths);
  double start = t0 + kAgentPickup;
  const auto& answer = inv.call.step_answer();
  if (answer) {
    start += answer->delay;
    if (answer->hang) return {start, start + step.execution_timeout, "TimedOut", -1, "", ""};
    if (answer->reclaim) {
      // The spot goes away under the step: the agent never reports back; the service gives up at the timeout.
      advance_clock(inv.paths, start - t0);
      world::set_instance_state(inv.paths, step.instance_id, "terminated");
      set_clock_back(inv.paths, t0);
      return {start, start + step.execution_timeout, "TimedOut", -1, "", ""};
    }
    if (!answer->passthrough) {
      return finished(start, start, step.execution_timeout, answer->exit.value_or(0), answer->stdout_text.value_or(""),
                      answer->stderr_text.value_or(""));
    }
  }
  advance_clock(inv.paths, start - t0);
  const RemoteStepResult result = inv.run_remote_step(step);
  const double end = virtual_now(inv.paths);
  set_clock_back(inv.paths, t0);
  return finished(start, end, step.execution_timeout, result.exit, result.stdout_text, result.stderr_text);
}

std::string output_key(const nlohmann::json& command, const std::string& instance_id, const std::string& stream) {
  std::string prefix = command.value("output_s3_key_prefix", "");
  if (!prefix.empty() && prefix.back() != '/') prefix += '/';
  return prefix + command.value("id", "") + "/" + instance_id + "/awsrunShellScript/0.awsrunShellScript/" + stream;
}

std::string output_url(const nlohmann::json& command, const std::string& instance_id, const std::string& stream) {
  const std::string bucket = command.value("output_s3_bucket_name", "");
  if (bucket.empty()) return "";
  return "https://s3." + command.value("output_s3_region", "us-east-1") + ".amazonaws.com/" + bucket + "/" +
         output_key(command, instance_id, stream);
}

// The agent uploads the whole output (stdout, and stderr when there is some) to --output-s3-bucket-name.
void upload_output(const RunPaths& paths, const nlohmann::json& command, const std::string& instance_id,
                   const StepOutcome& outcome) {
  const std::string bucket = command.value("output_s3_bucket_name", "");
  if (bucket.empty()) return;
  world::S3Store store(paths);
  if (!store.bucket_exists(bucket)) return;  // the agent's upload fails; the invocation is unaffected
  store.put(bucket, output_key(command, instance_id, "stdout"), outcome.stdout_text, outcome.ended_at);
  if (!outcome.stderr_text.empty())
    store.put(bucket, output_key(command, instance_id, "stderr"), outcome.stderr_text, outcome.ended_at);
}

// ---- the views -------------------------------------------------------------------------------

Json notification_config() {
  return {{"NotificationArn", ""}, {"NotificationEvents", Json::array()}, {"NotificationType", ""}};
}

Json cloudwatch_config(const nlohmann::json& command) {
  return {{"CloudWatchLogGroupName", command.value("cloudwatch_log_group", "")},
          {"CloudWatchOutputEnabled", command.value("cloudwatch_output_enabled", false)}};
}

Json command_json(const nlohmann::json& command, double now) {
  const world::InvocationStatus status = world::command_status(command, now);
  int completed = 0;
  int errors = 0;
  int timed_out = 0;
  for (const auto& invocation : command["invocations"]) {
    const auto s = world::invocation_status(invocation, now);
    if (!s.ended) continue;
    ++completed;
    if (s.status == "Failed") ++errors;
    if (s.status == "TimedOut") ++errors, ++timed_out;
  }
  Json targets = Json::array();
  for (const auto& t : command.value("targets", nlohmann::json::array())) targets.push_back(Json(t));
  return {{"CommandId", command["id"]},
          {"DocumentName", command["document_name"]},
          {"DocumentVersion", "$DEFAULT"},
          {"Comment", command.value("comment", "")},
          {"ExpiresAfter", timestamp(command.value("requested_at", 0.0) + command.value("timeout_seconds", 3600.0) +
                                     command.value("execution_timeout", kDefaultExecutionTimeout))},
          {"Parameters", Json(command["parameters"])},
          {"InstanceIds", Json(command["instance_ids"])},
          {"Targets", targets},
          {"RequestedDateTime", timestamp(command.value("requested_at", 0.0))},
          {"Status", status.status},
          {"StatusDetails", status.details},
          {"OutputS3Region", command.value("output_s3_region", "")},
          {"OutputS3BucketName", command.value("output_s3_bucket_name", "")},
          {"OutputS3KeyPrefix", command.value("output_s3_key_prefix", "")},
          {"MaxConcurrency", command.value("max_concurrency", "50")},
          {"MaxErrors", command.value("max_errors", "0")},
          {"TargetCount", command["invocations"].size()},
          {"CompletedCount", completed},
          {"ErrorCount", errors},
          {"DeliveryTimedOutCount", 0},
          {"ServiceRole", command.value("service_role", "")},
          {"NotificationConfig", notification_config()},
          {"CloudWatchOutputConfig", cloudwatch_config(command)},
          {"TimeoutSeconds", command.value("timeout_seconds", 3600)},
          {"AlarmConfiguration", {{"IgnorePollAlarmFailure", false}, {"Alarms", Json::array()}}},
          {"TriggeredAlarms", Json::array()}};
}

std::string inline_text(const nlohmann::json& invocation, const char* stream, std::size_t limit,
                        const world::InvocationStatus& status) {
  if (!status.ended || status.status == "Cancelled") return "";
  const std::string text = invocation.value(stream, "");
  return text.substr(0, std::min(limit, text.size()));
}

Json invocation_json(const nlohmann::json& command, const nlohmann::json& invocation, double now) {
  const auto status = world::invocation_status(invocation, now);
  const std::string instance_id = invocation["instance_id"];
  const bool started = now >= invocation.value("started_at", 0.0) && status.status != "Pending";
  const double end = std::min(now, invocation.value("ended_at", 0.0));
  const double started_at = invocation.value("started_at", 0.0);
  return {{"CommandId", command["id"]},
          {"InstanceId", instance_id},
          {"Comment", command.value("comment", "")},
          {"DocumentName", command["document_name"]},
          {"DocumentVersion", "$DEFAULT"},
          {"PluginName", kPluginName},
          {"ResponseCode", status.response_code},
          {"ExecutionStartDateTime", started ? timestamp(started_at) : ""},
          {"ExecutionElapsedTime", started ? elapsed_text(end - started_at) : ""},
          {"ExecutionEndDateTime", status.ended ? timestamp(end) : ""},
          {"Status", status.status},
          {"StatusDetails", status.details},
          {"StandardOutputContent", inline_text(invocation, "stdout", kStdoutInlineLimit, status)},
          {"StandardOutputUrl", output_url(command, instance_id, "stdout")},
          {"StandardErrorContent", inline_text(invocation, "stderr", kStderrInlineLimit, status)},
          {"StandardErrorUrl", output_url(command, instance_id, "stderr")},
          {"CloudWatchOutputConfig", cloudwatch_config(command)}};
}

// list-command-invocations --details: the plugin's Output, stdout then stderr, cut at 2,500 characters.
std::string plugin_output(const nlohmann::json& invocation, const world::InvocationStatus& status) {
  if (!status.ended || status.status == "Cancelled") return "";
  std::string text = invocation.value("stdout", "");
  const std::string err = invocation.value("stderr", "");
  if (!err.empty()) text += "\n----------ERROR-------\n" + err;
  if (text.size() > kListOutputLimit) text = text.substr(0, kListOutputLimit) + "\n---Output truncated---";
  return text;
}

Json list_invocation_json(const nlohmann::json& command, const nlohmann::json& invocation, double now, bool details,
                          const RunPaths& paths) {
  const auto status = world::invocation_status(invocation, now);
  const std::string instance_id = invocation["instance_id"];
  const auto instance = world::find_instance(paths, instance_id);
  Json plugins = Json::array();
  if (details) {
    const double started_at = invocation.value("started_at", 0.0);
    plugins.push_back({{"Name", kPluginName},
                       {"Status", status.status},
                       {"StatusDetails", status.details},
                       {"ResponseCode", status.response_code},
                       {"ResponseStartDateTime", now >= started_at ? timestamp(started_at) : ""},
                       {"ResponseFinishDateTime", status.ended ? timestamp(invocation.value("ended_at", 0.0)) : ""},
                       {"Output", plugin_output(invocation, status)},
                       {"StandardOutputUrl", output_url(command, instance_id, "stdout")},
                       {"StandardErrorUrl", output_url(command, instance_id, "stderr")},
                       {"OutputS3Region", command.value("output_s3_region", "")},
                       {"OutputS3BucketName", command.value("output_s3_bucket_name", "")},
                       {"OutputS3KeyPrefix", command.value("output_s3_key_prefix", "")}});
  }
  return {{"CommandId", command["id"]},
          {"InstanceId", instance_id},
          {"InstanceName", instance ? world::private_dns_name(instance->private_ip, instance->region) : ""},
          {"Comment", command.value("comment", "")},
          {"DocumentName", command["document_name"]},
          {"DocumentVersion", "$DEFAULT"},
          {"RequestedDateTime", timestamp(command.value("requested_at", 0.0))},
          {"Status", status.status},
          {"StatusDetails", status.details},
          {"StandardOutputUrl", output_url(command, instance_id, "stdout")},
          {"StandardErrorUrl", output_url(command, instance_id, "stderr")},
          {"CommandPlugins", plugins},
          {"ServiceRole", command.value("service_role", "")},
          {"NotificationConfig", notification_config()},
          {"CloudWatchOutputConfig", cloudwatch_config(command)}};
}

// The decoded text of each base64 run of 16 or more characters in `text` (`echo <b64> | base64 -d | bash`).
std::vector<std::string> base64_blobs(const std::string& text) {
  const auto is_b64 = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '=';
  };
  std::vector<std::string> blobs;
  for (std::size_t i = 0; i < text.size();) {
    if (!is_b64(text[i])) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && is_b64(text[end])) ++end;
    if (end - i >= 16) {
      if (auto decoded = base64_decode(std::string_view(text).substr(i, end - i))) blobs.push_back(std::move(*decoded));
    }
    i = end;
  }
  return blobs;
}

bool visible(const nlohmann::json& invocation, double now) {
  return now >= invocation.value("visible_at", 0.0);
}

// ---- the operations --------------------------------------------------------------------------

// The values of one filter, from --filters Key=K,Values=a,b or --instance-information-filter-list key=K,valueSet=a.
struct Filter {
  std::string key;
  std::vector<std::string> values;
};

std::vector<Filter> information_filters(const Params& p) {
  std::vector<Filter> filters;
  const std::vector<std::string> known = {"InstanceIds",   "AgentVersion", "PingStatus",
                                          "PlatformTypes", "ResourceType", "AssociationStatus"};
  for (const auto& [param, key_name, values_name] :
       {std::tuple{"filters", "Key", "Values"}, std::tuple{"instance-information-filter-list", "key", "valueSet"}}) {
    if (!p.contains(param)) continue;
    for (const auto& f : p[param]) {
      Filter filter{world::str_or(f, key_name), {}};
      if (std::find(known.begin(), known.end(), filter.key) == known.end() && filter.key.rfind("tag", 0) != 0)
        throw service_error("InvalidFilterKey", "DescribeInstanceInformation", "");
      for (const auto& v : world::as_list(f.value(values_name, Json::array())))
        filter.values.push_back(v.get<std::string>());
      filters.push_back(filter);
    }
  }
  return filters;
}

Json describe_instance_information(Invocation& inv, const Params& p) {
  const double now = virtual_now(inv.paths);
  const auto filters = information_filters(p);
  Json list = Json::array();
  for (const auto& instance : world::list_instances(inv.paths)) {
    if (instance.region != inv.region) continue;
    const std::string ping = world::agent_ping_status(inv.paths, instance, now);
    if (ping.empty()) continue;
    const std::map<std::string, std::string> fields = {
        {"InstanceIds", instance.id}, {"AgentVersion", kAgentVersion}, {"PingStatus", ping},
        {"PlatformTypes", "Linux"},   {"ResourceType", "EC2Instance"}, {"AssociationStatus", "Success"}};
    const bool selected = std::all_of(filters.begin(), filters.end(), [&](const Filter& f) {
      const auto it = fields.find(f.key);
      if (it == fields.end()) return false;  // tags: the World's instances carry none for SSM
      return std::find(f.values.begin(), f.values.end(), it->second) != f.values.end();
    });
    if (!selected) continue;
    list.push_back({{"InstanceId", instance.id},
                    {"PingStatus", ping},
                    {"LastPingDateTime", timestamp(now)},
                    {"AgentVersion", kAgentVersion},
                    {"IsLatestVersion", false},
                    {"PlatformType", "Linux"},
                    {"PlatformName", "Amazon Linux"},
                    {"PlatformVersion", "2023"},
                    {"ResourceType", "EC2Instance"},
                    {"IPAddress", instance.private_ip},
                    {"ComputerName", world::private_dns_name(instance.private_ip, instance.region)},
                    {"SourceId", instance.id},
                    {"SourceType", "AWS::EC2::Instance"}});
  }
  return {{"InstanceInformationList", list}};
}

Json send_command(Invocation& inv, const Params& p) {
  const std::string document = p["document-name"].get<std::string>();
  if (document != kRunShellScript) {
    inv.call.mark_unscripted();  // only AWS-RunShellScript runs here
    throw service_error("InvalidDocument", "SendCommand", "");
  }
  const nlohmann::json parameters = document_parameters(p);
  const double timeout = execution_timeout(parameters);
  const long delivery_timeout = p.value("timeout-seconds", 3600L);
  if (delivery_timeout < 30 || delivery_timeout > 2592000) {
    throw service_error("ValidationException", "SendCommand",
                        "1 validation error detected: Value '" + std::to_string(delivery_timeout) +
                            "' at 'timeoutSeconds' failed to satisfy constraint: Member must have value " +
                            (delivery_timeout < 30 ? "greater than or equal to 30" : "less than or equal to 2592000"));
  }
  const std::vector<std::string> ids = target_instances(inv, p);
  const double now = virtual_now(inv.paths);
  std::vector<world::Instance> instances;
  std::vector<std::string> invalid;
  for (const auto& id : ids) {
    const auto instance = world::find_instance(inv.paths, id);
    if (!instance || instance->id != id || instance->region != inv.region ||
        world::agent_ping_status(inv.paths, *instance, now) != "Online") {
      invalid.push_back(id);
    } else {
      instances.push_back(*instance);
    }
  }
  if (!invalid.empty()) {
    throw service_error(
        "InvalidInstanceId", "SendCommand",
        "Instances [[" + join(invalid, ", ") + "]] not in a valid state for account " + std::string(world::kAccountId));
  }

  nlohmann::json command = {{"id", world::uuid_from("ssm-command:" + std::to_string(inv.call.seq()))},
                            {"document_name", document},
                            {"comment", p.value("comment", "")},
                            {"parameters", parameters},
                            {"instance_ids", nlohmann::json(ids)},
                            {"targets", p.contains("targets") ? nlohmann::json(p["targets"]) : nlohmann::json::array()},
                            {"requested_at", now},
                            {"timeout_seconds", delivery_timeout},
                            {"execution_timeout", timeout},
                            {"output_s3_bucket_name", p.value("output-s3-bucket-name", "")},
                            {"output_s3_key_prefix", p.value("output-s3-key-prefix", "")},
                            {"output_s3_region", p.value("output-s3-region", inv.region)},
                            {"max_concurrency", p.value("max-concurrency", "50")},
                            {"max_errors", p.value("max-errors", "0")},
                            {"service_role", p.value("service-role-arn", "")},
                            {"invocations", nlohmann::json::array()}};
  if (p.contains("cloud-watch-output-config")) {
    const Json& cw = p["cloud-watch-output-config"];
    command["cloudwatch_output_enabled"] = cw.value("CloudWatchOutputEnabled", false);
    command["cloudwatch_log_group"] = cw.value("CloudWatchLogGroupName", "");
  }
  const double visible_at = now + world::world_config(inv.paths).ssm_invocation_visible_after;
  for (const auto& instance : instances) {
    RemoteStep step{instance.id, command["id"], inv.region, script_of(parameters), std::nullopt, timeout};
    if (parameters.contains("workingDirectory") && !parameters["workingDirectory"].empty())
      step.working_directory = parameters["workingDirectory"][0].get<std::string>();
    const StepOutcome outcome = run_step(inv, step);
    upload_output(inv.paths, command, instance.id, outcome);
    command["invocations"].push_back({{"instance_id", instance.id},
                                      {"visible_at", visible_at},
                                      {"started_at", outcome.started_at},
                                      {"ended_at", outcome.ended_at},
                                      {"outcome", outcome.outcome},
                                      {"response_code", outcome.response_code},
                                      {"stdout", outcome.stdout_text},
                                      {"stderr", outcome.stderr_text}});
  }
  world::update_ssm_commands(inv.paths, [&](nlohmann::json& state) { state["commands"].push_back(command); });
  return {{"Command", command_json(command, now)}};
}

// The invocation of `command_id` on `instance_id` the caller can see now, or InvocationDoesNotExist.
std::pair<nlohmann::json, nlohmann::json> visible_invocation(const Invocation& inv, const std::string& command_id,
                                                             const std::string& instance_id, const char* operation) {
  check_command_id(command_id, operation);
  const double now = virtual_now(inv.paths);
  if (const auto command = world::find_ssm_command(inv.paths, command_id)) {
    for (const auto& invocation : (*command)["invocations"]) {
      if (invocation["instance_id"] == instance_id && visible(invocation, now)) return {*command, invocation};
    }
  }
  throw service_error("InvocationDoesNotExist", operation, "");
}

Json get_command_invocation(Invocation& inv, const Params& p) {
  if (p.contains("plugin-name") && p["plugin-name"] != kPluginName)
    throw service_error("InvalidPluginName", "GetCommandInvocation", "");
  const auto [command, invocation] = visible_invocation(inv, p["command-id"], p["instance-id"], "GetCommandInvocation");
  return invocation_json(command, invocation, virtual_now(inv.paths));
}

Json list_command_invocations(Invocation& inv, const Params& p) {
  const double now = virtual_now(inv.paths);
  const std::string wanted = p.value("command-id", "");
  if (!wanted.empty()) check_command_id(wanted, "ListCommandInvocations");
  const std::string instance_id = p.value("instance-id", "");
  Json list = Json::array();
  const auto state = world::read_ssm_commands(inv.paths);
  for (auto command = state["commands"].rbegin(); command != state["commands"].rend(); ++command) {  // newest first
    if (!wanted.empty() && (*command)["id"] != wanted) continue;
    for (const auto& invocation : (*command)["invocations"]) {
      if (!instance_id.empty() && invocation["instance_id"] != instance_id) continue;
      if (!visible(invocation, now)) continue;
      list.push_back(list_invocation_json(*command, invocation, now, p.value("details", false), inv.paths));
    }
  }
  return {{"CommandInvocations", list}};
}

Json list_commands(Invocation& inv, const Params& p) {
  const double now = virtual_now(inv.paths);
  const std::string wanted = p.value("command-id", "");
  const std::string instance_id = p.value("instance-id", "");
  if (!wanted.empty()) {
    check_command_id(wanted, "ListCommands");
    if (!world::find_ssm_command(inv.paths, wanted)) throw service_error("InvalidCommandId", "ListCommands", "");
  }
  Json list = Json::array();
  const auto state = world::read_ssm_commands(inv.paths);
  for (auto command = state["commands"].rbegin(); command != state["commands"].rend(); ++command) {
    if (!wanted.empty() && (*command)["id"] != wanted) continue;
    const auto& ids = (*command)["instance_ids"];
    if (!instance_id.empty() && std::find(ids.begin(), ids.end(), instance_id) == ids.end()) continue;
    list.push_back(command_json(*command, now));
  }
  return {{"Commands", list}};
}

Json cancel_command(Invocation& inv, const Params& p) {
  const std::string id = p["command-id"];
  check_command_id(id, "CancelCommand");
  std::vector<std::string> only;
  if (p.contains("instance-ids"))
    for (const auto& i : p["instance-ids"]) only.push_back(i.get<std::string>());
  bool found = false;
  StateLock lock(inv.paths);
  const double now = virtual_now(inv.paths);
  world::update_ssm_commands(inv.paths, [&](nlohmann::json& state) {
    for (auto& command : state["commands"]) {
      if (command["id"] != id) continue;
      found = true;
      for (auto& invocation : command["invocations"]) {
        const bool named = only.empty() || std::find(only.begin(), only.end(), invocation["instance_id"]) != only.end();
        if (named && !world::invocation_status(invocation, now).ended && !invocation.contains("cancelled_at"))
          invocation["cancelled_at"] = now;
      }
    }
  });
  if (!found) throw service_error("InvalidCommandId", "CancelCommand", "");
  return Json::object();
}

const std::vector<ParamSpec> kPollParams = {{"command-id", ParamKind::String, true},
                                            {"instance-id", ParamKind::String, true},
                                            {"plugin-name", ParamKind::String}};

const std::vector<ParamSpec> kListParams = {{"command-id", ParamKind::String},     {"instance-id", ParamKind::String},
                                            {"filters", ParamKind::StructureList}, {"max-results", ParamKind::Integer},
                                            {"max-items", ParamKind::Integer},     {"page-size", ParamKind::Integer},
                                            {"starting-token", ParamKind::String}};

std::vector<ParamSpec> with_details(std::vector<ParamSpec> specs) {
  specs.push_back({"details", ParamKind::Boolean});
  return specs;
}

}  // namespace

std::optional<std::string> send_command_step_text(const std::vector<std::string>& args) {
  const CommandLine line = split_command_line(args);
  if (line.service != "ssm" || line.operation != "send-command") return std::nullopt;
  std::string text;
  for (std::size_t i = 0; i < line.args.size(); ++i) {
    std::string value;
    if (line.args[i] == "--parameters" && i + 1 < line.args.size())
      value = line.args[i + 1];
    else if (line.args[i].rfind("--parameters=", 0) == 0)
      value = line.args[i].substr(13);
    else
      continue;
    try {
      const Json parsed = parse_structure(resolve_file_value(value, "parameters"), "parameters");
      for (const auto& command : world::as_list(parsed.value("commands", Json::array()))) {
        if (!command.is_string()) continue;
        text += command.get<std::string>() + "\n";
        for (const auto& decoded : base64_blobs(command.get<std::string>())) text += decoded + "\n";
      }
    } catch (...) {  // a bad --parameters fails the call itself, later, with the CLI's message
    }
  }
  return text;
}

int run_ssm_wait(Invocation& inv) {
  if (inv.args.empty()) throw usage_error("the following arguments are required: subcommand");
  if (inv.args.front() != "command-executed")
    throw invalid_choice("subcommand", inv.args.front(), {"command-executed"});
  const Params p = parse_params({inv.args.begin() + 1, inv.args.end()}, kPollParams);
  inv.settle();
  constexpr double kDelay = 5;
  constexpr int kMaxAttempts = 20;
  std::string last_accepted;
  double waited = 0;
  for (int attempt = 1;; ++attempt) {
    try {
      const auto [command, invocation] =
          visible_invocation(inv, p["command-id"], p["instance-id"], "GetCommandInvocation");
      const auto status = world::invocation_status(invocation, virtual_now(inv.paths));
      const std::string matched = "For expression \"Status\" we matched expected path: \"" + status.status + "\"";
      if (status.status == "Success") return 0;
      if (status.ended)
        throw waiter_failed("CommandExecuted", "Waiter encountered a terminal failure state: " + matched);
      last_accepted = matched;
    } catch (const CliFailure& failure) {
      if (failure.stderr_text.find("(InvocationDoesNotExist)") == std::string::npos) throw;
      last_accepted = "Matched expected service error code: InvocationDoesNotExist";
    }
    if (attempt >= kMaxAttempts)
      throw waiter_failed("CommandExecuted", "Max attempts exceeded. Previously accepted state: " + last_accepted);
    const auto& budget = inv.call.ctx().timeout;
    if (budget && waited + kDelay > *budget) {
      advance_clock(inv.paths, *budget - waited);
      return 124;  // an enclosing `timeout` ends the waiter
    }
    advance_clock(inv.paths, kDelay);
    waited += kDelay;
  }
}

const std::vector<OperationDef>& ssm_run_command_operations() {
  static const std::vector<OperationDef> ops = {
      {"describe-instance-information",
       {{"instance-information-filter-list", ParamKind::StructureList},
        {"filters", ParamKind::StructureList},
        {"max-results", ParamKind::Integer},
        {"max-items", ParamKind::Integer},
        {"page-size", ParamKind::Integer},
        {"starting-token", ParamKind::String}},
       describe_instance_information},
      {"send-command",
       {{"document-name", ParamKind::String, true},
        {"instance-ids", ParamKind::StringList},
        {"targets", ParamKind::StructureList},
        {"document-version", ParamKind::String},
        {"document-hash", ParamKind::String},
        {"document-hash-type", ParamKind::String},
        {"timeout-seconds", ParamKind::Integer},
        {"comment", ParamKind::String},
        {"parameters", ParamKind::Structure},
        {"output-s3-region", ParamKind::String},
        {"output-s3-bucket-name", ParamKind::String},
        {"output-s3-key-prefix", ParamKind::String},
        {"max-concurrency", ParamKind::String},
        {"max-errors", ParamKind::String},
        {"service-role-arn", ParamKind::String},
        {"notification-config", ParamKind::Structure},
        {"cloud-watch-output-config", ParamKind::Structure},
        {"alarm-configuration", ParamKind::Structure}},
       send_command},
      {"get-command-invocation", kPollParams, get_command_invocation},
      {"list-command-invocations", with_details(kListParams), list_command_invocations},
      {"list-commands", kListParams, list_commands},
      {"cancel-command",
       {{"command-id", ParamKind::String, true}, {"instance-ids", ParamKind::StringList}},
       cancel_command},
  };
  return ops;
}

}  // namespace spotcheck::fakes::aws
