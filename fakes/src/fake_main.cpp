// The multi-call dispatcher: argv[0] picks the shim, a behaviour rule may answer instead, one record per call.
#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <optional>
#include <span>

#include "aws/cli_errors.hpp"
#include "aws/run_command.hpp"
#include "call_server.hpp"
#include "shims/host_session.hpp"
#include "spotcheck/error.hpp"
#include "spotcheck/fakes/rules.hpp"
#include "spotcheck/fakes/shim.hpp"
#include "spotcheck/fakes/world/instances.hpp"
#include "spotcheck/ssh_grammar.hpp"
#include "supervisor.hpp"

namespace spotcheck::fakes {

const std::vector<ShimEntry>& shim_table() {
  static const std::vector<ShimEntry> table = {
      {"aws", run_aws},
      {"ssh", run_ssh, true},
      {"scp", run_scp, true},
      {"ssh-keyscan", run_ssh_keyscan},
      {"python", run_python},
      {"python3", run_python},
      {"python3.12", run_python},
      {"pip", run_pip},
      {"pip3", run_pip},
      {"git", run_git},
      {"sudo", run_sudo, true},
      {"dnf", run_package_manager},
      {"yum", run_package_manager},
      {"systemd-run", run_systemd_run},
      {"shutdown", run_shutdown},
      {"sleep", run_sleep},
      {"date", run_date},
      {"curl", run_http_client},
      {"wget", run_http_client},
      {"timeout", run_timeout, true},
  };
  return table;
}

const ShimEntry* find_shim(std::string_view tool) {
  for (const auto& entry : shim_table()) {
    if (entry.name == tool) return &entry;
  }
  // python3.11 and other interpreter spellings behave as python.
  if (tool.rfind("python", 0) == 0) return &shim_table()[4];
  return nullptr;
}

namespace {

int unknown_tool(const std::string& argv0) {
  std::string known;
  for (const auto& entry : shim_table()) known += std::string(known.empty() ? "" : ", ") + std::string(entry.name);
  fmt::print(stderr, "spotcheck-fake: error: can't act as '{}': not a tool this binary fakes (known: {})\n", argv0,
             known);
  return 127;
}

// A hang either ends at the enclosing `timeout` (virtual time moves on) or blocks until the run is killed.
int hang(Call& call, const Rule& rule) {
  if (call.ctx().timeout) {
    advance_clock(call.ctx().paths, *call.ctx().timeout);
    call.err("");
    return call.finish(124);
  }
  call.err("[spotcheck: hung by rule " + rule.id + " until the run is killed]\n");
  call.finish(-1);
  for (;;) pause();
}

int signal_number(const std::string& name) {
  return name == "INT" ? SIGINT : name == "HUP" ? SIGHUP : name == "KILL" ? SIGKILL : SIGTERM;
}

// The dispatcher is killed (by a supervisor, a Ctrl-C): the whole process group gets the signal.
int signal_caller(Call& call, const std::string& name) {
  const int sig = signal_number(name);
  call.err("[spotcheck: SIG" + name + " sent to the launcher's process group]\n");
  call.finish(128 + sig);
  ::signal(sig, SIG_DFL);
  ::kill(call.ctx().caller_group == 0 ? 0 : -call.ctx().caller_group, sig);
  // In a forked copy of the call server the call is not in that group: it dies of the signal all the same.
  if (call.ctx().caller_group != 0) ::raise(sig);
  return 128 + sig;
}

// The address a dispatcher's ssh or scp call reaches: its destination, its first remote operand.
std::optional<std::string> transport_address(const Call& call) {
  const auto args = std::span<const std::string>(call.argv()).subspan(1);
  if (call.tool() == "ssh") {
    const SshArgs a = split_ssh_args(args);
    const auto d = a.destination ? parse_ssh_destination(*a.destination) : std::nullopt;
    if (d) return d->host;
  }
  if (call.tool() == "scp")
    for (const auto& operand : split_scp_args(args).operands)
      if (const ScpOperand o = parse_scp_operand(operand); o.remote()) return o.host;
  return std::nullopt;
}

// The spot is reclaimed under this call: its instance is terminated and the call dies with it. A call on
// the spot dies with its host; an ssh or scp session to it is cut (exit 255, as ssh reports a lost peer).
int reclaim(Call& call) {
  if (call.ctx().on_spot()) {
    world::set_instance_state(call.ctx().paths, call.ctx().host, "terminated");
    call.err("[spotcheck: spot instance " + call.ctx().host + " reclaimed]\n");
    return call.finish(137);
  }
  const auto address = transport_address(call);
  const auto instance = address ? world::find_instance(call.ctx().paths, *address) : std::nullopt;
  if (!instance) {
    call.err("[spotcheck: no spot instance behind this call to reclaim]\n");
    return call.finish(255);
  }
  world::set_instance_state(call.ctx().paths, instance->id, "terminated");
  call.err("[spotcheck: spot instance " + instance->id + " reclaimed]\nConnection to " + *address +
           " closed by remote host.\n");
  return call.finish(255);
}

int answer_from_rule(Call& call, const Rule& rule) {
  call.set_rule(rule.id);
  if (rule.answer.delay > 0) advance_clock(call.ctx().paths, rule.answer.delay);
  if (rule.answer.hang) return hang(call, rule);
  if (rule.answer.signal) return signal_caller(call, *rule.answer.signal);
  if (rule.answer.reclaim) return reclaim(call);
  if (rule.answer.stdout_text) call.out(*rule.answer.stdout_text);
  if (rule.answer.stderr_text) call.err(*rule.answer.stderr_text);
  return call.finish(rule.answer.exit.value_or(0));
}

int strict_failure(Call& call) {
  std::string line;
  for (const auto& a : call.argv()) line += (line.empty() ? "" : " ") + a;
  call.err("spotcheck: unscripted call in strict mode on " + call.ctx().host + ": " + line + "\n");
  return 127;
}

bool any_matches_stdin(const std::vector<Rule>& rules) {
  return std::any_of(rules.begin(), rules.end(), [](const Rule& r) { return r.match.stdin_contains.has_value(); });
}

// `aws ssm send-command`'s step: what a rule's stdin_contains sees (the commands, base64 decoded too).
std::optional<std::string> remote_step_text(const Call& call) {
  if (call.tool() != "aws" || call.argv().size() < 2) return std::nullopt;
  try {
    return aws::send_command_step_text({call.argv().begin() + 1, call.argv().end()});
  } catch (const aws::CliFailure&) {
    return std::nullopt;  // a bad command line: the call reports it itself
  }
}

int run_call(Call& call, const ShimEntry& shim) {
  // A heredoc can only be matched once read; ssh reads its stdin anyway (cached in the call).
  const auto rules = load_rules(call.ctx().paths.rules());  // read once: no file, no rules
  const std::string* stdin_text = nullptr;
  if (call.tool() == "ssh" && any_matches_stdin(rules)) stdin_text = &call.read_stdin();
  const auto step_text = rules.empty() ? std::nullopt : remote_step_text(call);
  if (step_text) stdin_text = &*step_text;
  const auto rule = select_rule(call.ctx().paths, rules, {call.ctx().host, call.tool(), call.argv(), stdin_text});
  // A rule on a Run Command step answers for the step (Failed, TimedOut, reclaimed...); the send-command
  // itself succeeds, as it does in production. A signal is still the dispatcher's.
  if (rule && step_text && !rule->answer.signal) {
    call.set_rule(rule->id);
    call.set_step_answer(rule->answer);
    const int exit = shim.run(call);
    return call.finish(exit);
  }
  if (rule && !rule->answer.passthrough) return answer_from_rule(call, *rule);
  if (rule) {
    call.set_rule(rule->id);
    advance_clock(call.ctx().paths, rule->answer.delay);
  }
  int exit = shim.run(call);
  if (call.unscripted() && call.ctx().strict) exit = strict_failure(call);
  return call.finish(exit);
}

}  // namespace

int run_tool_call(std::vector<std::string> args, int caller_group) {
  if (args.empty()) return unknown_tool("");
  const ShimEntry* shim = find_shim(std::filesystem::path(args[0]).filename().string());
  if (!shim) return unknown_tool(args[0]);
  try {
    Context ctx = context_from_env();
    ctx.caller_group = caller_group;
    Call call(std::move(ctx), std::move(args));
    try {
      return run_call(call, *shim);
    } catch (const std::exception& e) {
      call.err(std::string("spotcheck-fake: error: ") + e.what() + "\n");
      return call.finish(255);
    }
  } catch (const std::exception& e) {
    fmt::print(stderr, "spotcheck-fake: error: can't record the call: {}\n", e.what());
    return 255;
  }
}

int fake_main(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  if (args.empty()) return unknown_tool("");
  const std::string tool = std::filesystem::path(args[0]).filename().string();
  if (tool == "spotcheck-fake" && args.size() == 2 && args[1] == kHostKeeperFlag) run_host_keeper();
  if (tool == "spotcheck-fake" && args.size() >= 2 && args[1] == kSuperviseFlag) return supervise(argc - 2, argv + 2);
  if (tool == "spotcheck-fake" && args.size() == 3 && args[1] == kServeFlag) return serve_calls(args[2]);
  return run_tool_call(std::move(args), 0);
}

}  // namespace spotcheck::fakes
