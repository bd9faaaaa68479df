// SSM Run Command transport (see spot_launch/transport_ssm.hpp and launchers/_spot_transport_ssm.sh, whose
// calls these are, argv for argv, so the two launchers stay equivalent on its goldens).
#include "spot_launch/transport_ssm.hpp"

#include <filesystem>
#include <fstream>

#include "spot_launch/ec2.hpp"
#include "spot_launch/error.hpp"
#include "spot_launch/log.hpp"
#include "spot_launch/process.hpp"
#include "spot_launch/quote.hpp"
#include "spot_launch/strings.hpp"
#include "spotcheck/digest.hpp"

namespace spot_launch {
namespace {

constexpr int kTransportFailure = 255;
constexpr unsigned kMissingPolls = 5;    // InvocationDoesNotExist right after send-command: eventual consistency
constexpr unsigned kLivenessPolls = 12;  // a reclaimed spot never reports back: look at it every 12th poll

Outcome invocation(Session& s, const std::string& command_id, const std::string& query) {
  return aws(s,
             {"ssm", "get-command-invocation", "--region", s.config.region, "--command-id", command_id, "--instance-id",
              s.instance_id, "--query", query, "--output", "text"},
             Stream::Capture, Stream::Capture);
}

bool instance_gone(Session& s) {
  const auto state = instance_state(s);
  return state && going_or_gone(*state);
}

struct StepEnd {
  std::string status;
  std::string response_code;
};

// Polls the invocation until it ends; nullopt when it never shows up, cannot be read or the instance went away.
std::optional<StepEnd> wait_step(Session& s, const std::string& command_id) {
  unsigned missing = 0;
  for (unsigned polls = 1;; ++polls) {
    sleep_tool(s.config.ssm_poll_seconds_text, s.tmpdir);
    if (polls % kLivenessPolls == 0 && instance_gone(s)) {
      log("ssm: " + s.instance_id + " went away during command " + command_id);
      return std::nullopt;
    }
    const Outcome o = invocation(s, command_id, "[Status,ResponseCode]");
    if (o.status != 0) {
      if (o.err.find("InvocationDoesNotExist") != std::string::npos && missing < kMissingPolls) {
        ++missing;
        continue;
      }
      log("ssm: could not read command " + command_id + " on " + s.instance_id + ": " + chomp(o.err));
      return std::nullopt;
    }
    const auto words = split_words(o.out);
    const std::string status = words.empty() ? "" : words[0];
    if (status == "Pending" || status == "InProgress" || status == "Delayed" || status == "Cancelling") continue;
    return StepEnd{status, words.size() > 1 ? words[1] : "-1"};
  }
}

// `echo <SCRIPT, base64> | base64 -d | bash TAIL` in ec2-user's login directory, as one AWS-RunShellScript
// command: the agent runs it as root with no HOME, in /usr/bin.
std::string parameters_json(const Session& s, const std::string& script, const std::string& tail) {
  std::string escaped;
  for (char c : tail) {
    if (c == '\\' || c == '"') escaped += '\\';
    escaped += c;
  }
  return "{\"commands\":[\"export HOME=/home/ec2-user USER=ec2-user; cd ~ && echo " + spotcheck::base64_encode(script) +
         " | base64 -d | bash" + escaped + "\"],\"executionTimeout\":[\"" + s.config.ssm_step_timeout_text + "\"]}\n";
}

int step(Session& s, const std::string& script, const std::string& tail, std::string* out) {
  const std::string params = s.tmpdir + "/ssm-parameters.json";
  {
    std::ofstream f(params, std::ios::binary | std::ios::trunc);
    f << parameters_json(s, script, tail);
    if (!f) fail("could not write " + params);
  }
  const Outcome sent = aws(
      s,
      {"ssm", "send-command", "--region", s.config.region, "--instance-ids", s.instance_id, "--document-name",
       "AWS-RunShellScript", "--parameters", "file://" + params, "--query", "Command.CommandId", "--output", "text"},
      Stream::Capture, Stream::Inherit);
  if (sent.status != 0) return kTransportFailure;
  const std::string command_id = chomp(sent.out);
  const auto end = wait_step(s, command_id);
  if (!end) return kTransportFailure;
  // A read that fails says why (its error is captured, not passed through as bash's is; found by spotcheck
  // explore's failure-names-step).
  const auto read_failed = [&](const Outcome& o) {
    log("ssm: could not read the output of command " + command_id + " on " + s.instance_id + ": " + chomp(o.err));
    return kTransportFailure;
  };
  const Outcome stdout_text = invocation(s, command_id, "StandardOutputContent");
  if (stdout_text.status != 0) return read_failed(stdout_text);
  const Outcome stderr_text = invocation(s, command_id, "StandardErrorContent");
  if (stderr_text.status != 0) return read_failed(stderr_text);
  const std::string printed_out = chomp(stdout_text.out);
  const std::string printed_err = chomp(stderr_text.out);
  if (!printed_out.empty()) {
    if (out)
      *out = printed_out + "\n";
    else
      std::fwrite((printed_out + "\n").data(), 1, printed_out.size() + 1, stdout);
  }
  if (!printed_err.empty()) write_stderr(printed_err + "\n");
  std::fflush(stdout);
  if (end->status == "Success") return 0;
  if (end->status == "Failed") {
    try {
      return std::stoi(end->response_code);
    } catch (const std::exception&) {
      return kTransportFailure;
    }
  }
  log("ssm: step " + end->status + " on " + s.instance_id + " (command " + command_id + ")");
  return kTransportFailure;
}

std::string read_script(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) fail("could not read the remote script " + file);
  // bash hands the script over as "$(<file)": trailing newlines go
  return chomp(text);
}

// FILE to ~/PATH on the spot through the run's staging prefix.
int copy(Session& s, const std::string& file, const std::string& path) {
  const std::string name = std::filesystem::path(file).filename().string();
  if (s.staging.empty()) s.staging = "s3://" + s.config.bucket + "/tmp/spot-" + s.guard.first_launched();
  const Outcome up =
      aws(s, {"s3", "cp", "--region", s.config.region, "--only-show-errors", file, s.staging + "/" + name},
          Stream::Inherit, Stream::Inherit);
  if (up.status != 0) return 1;
  return step(s,
              "aws s3 cp --region " + s.config.region + " --only-show-errors " + s.staging + "/" + name + " ~/" + path,
              "", nullptr);
}

}  // namespace

void ssm_connect(Session& s) {
  s.ip = s.instance_id;
  s.step = "ssm agent readiness";
  std::string err;
  const unsigned attempts = s.config.ssh_ready_attempts;
  for (unsigned attempt = 1; attempt <= attempts; ++attempt) {
    const Outcome o = aws(s,
                          {"ssm", "describe-instance-information", "--region", s.config.region, "--filters",
                           "Key=InstanceIds,Values=" + s.instance_id, "--query",
                           "InstanceInformationList[0].PingStatus", "--output", "text"},
                          Stream::Capture, Stream::Capture);
    if (o.status == 0) {
      const std::string status = without_space(o.out);
      if (status == "Online") {
        log("ssm agent online after " + std::to_string(attempt) + " attempt(s)");
        return;
      }
      err = "PingStatus " + (status.empty() ? std::string("None") : status);
    } else {
      err = chomp(trim_leading_space(o.err));
    }
    log("ssm agent not online (" + std::to_string(attempt) + "/" + s.config.ssh_ready_attempts_text + "): " + err);
    if (attempt < attempts) sleep_tool("10", s.tmpdir);
  }
  fail("the ssm agent of " + s.instance_id + " never came Online after " + s.config.ssh_ready_attempts_text +
       " attempts (last: " + (err.empty() ? "none" : err) + ")");
}

int ssm_run_raw(Session& s, const RawCall& call, std::string* out) {
  switch (call.kind) {
    case RawCall::Kind::Ssh:
    case RawCall::Kind::SshAgent:  // no agent forwarding over Run Command
      return step(s, join(call.args), "", nullptr);
    case RawCall::Kind::SshOut:
      return step(s, join(call.args), "", out);
    case RawCall::Kind::Script: {
      std::string tail = " -s --";
      for (const auto& a : call.args) tail += " " + shell_quote(a);
      return step(s, read_script(call.file), tail, nullptr);
    }
    case RawCall::Kind::Scp:
      return copy(s, call.args.at(0), call.args.at(1));
  }
  return kTransportFailure;
}

bool ssm_cleanup(Session& s) noexcept {
  if (s.staging.empty()) return true;
  // Native difference from bash: as for terminate-instances, one retry and SPOT_CLEANUP_TIMEOUT per call (a
  // throttled rm must not leave the staged copies behind, a hung one must not keep the terminate from
  // running; both found by spotcheck explore).
  const Command rm{
      {"aws", "s3", "rm", "--region", s.config.region, "--recursive", "--only-show-errors", s.staging + "/"},
      "",
      Stream::Inherit,
      Stream::Inherit,
      s.config.cleanup_timeout_seconds,
      !s.in_cleanup};
  for (int attempt = 1; attempt <= 2; ++attempt) {
    try {
      if (run_command(rm, s.tmpdir).status == 0) return true;
    } catch (...) {
    }
    if (attempt == 1) log("removing the staging prefix " + s.staging + "/ failed; retrying once");
  }
  log("WARNING: could not remove the staging prefix " + s.staging + "/");
  return false;
}

}  // namespace spot_launch
