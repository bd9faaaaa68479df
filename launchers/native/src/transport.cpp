// ssh/scp transport: raw calls rebuilt from the current IP, readiness polling through the `sleep`
// tool, the watchdog, and the reclaim logic (relaunch, redo the setup, retry the call).
#include "spot_launch/transport.hpp"

#include <fstream>

#include "spot_launch/ec2.hpp"
#include "spot_launch/error.hpp"
#include "spot_launch/log.hpp"
#include "spot_launch/process.hpp"
#include "spot_launch/quote.hpp"
#include "spot_launch/strings.hpp"
#include "spot_launch/transport_ssm.hpp"

namespace spot_launch {
namespace {

std::vector<std::string> ssh_argv(const Session& s, bool agent, const std::vector<std::string>& remote) {
  std::vector<std::string> argv = {"ssh"};
  if (agent) argv.push_back("-A");
  const auto opts = s.ssh_opts();
  argv.insert(argv.end(), opts.begin(), opts.end());
  argv.push_back(s.host());
  argv.insert(argv.end(), remote.begin(), remote.end());
  return argv;
}

void wait_ssh(Session& s) {
  const unsigned attempts = s.config.ssh_ready_attempts;
  s.step = "ssh readiness";
  std::string err;
  for (unsigned attempt = 1; attempt <= attempts; ++attempt) {
    const Outcome o =
        run_command({ssh_argv(s, false, {"true"}), "", Stream::Null, Stream::Capture, std::nullopt, true}, s.tmpdir);
    if (o.status == 0) {
      log("ssh ready after " + std::to_string(attempt) + " attempt(s)");
      return;
    }
    err = chomp(o.err);
    log("ssh not ready (" + std::to_string(attempt) + "/" + s.config.ssh_ready_attempts_text + ")");
    if (attempt < attempts) sleep_tool("10", s.tmpdir);
  }
  fail("ssh to " + s.ip + " (" + s.instance_id + ") never became ready after " + s.config.ssh_ready_attempts_text +
       " attempts (last error: " + (err.empty() ? "none" : err) + ")");
}

void install_watchdog(Session& s) {
  const std::string minutes = s.config.watchdog_minutes_text;
  s.set_step("watchdog: spot-side shutdown in " + minutes + "m");
  RawCall call{RawCall::Kind::Ssh, {"sudo systemd-run --on-active=" + minutes + "m /sbin/shutdown -h now"}, ""};
  if (run_raw(s, call) != 0) fail("could not install the spot-side watchdog");
}

// The remembered setup calls on the new instance; false (STATE set) when it is reclaimed too.
bool redo_setup(Session& s, std::string& state) {
  for (const auto& setup : s.setup_calls) {
    s.set_step("redo on " + s.instance_id + ": " + setup.step);
    const int rc = run_raw(s, setup.call);
    if (rc == 0) continue;
    if (rc == 255) {
      if (auto st = reclaim_state(s)) {
        state = *st;
        return false;
      }
    }
    fail(rc, "redoing '" + setup.step + "' on " + s.instance_id + " failed with exit status " + std::to_string(rc));
  }
  return true;
}

void relaunch(Session& s, std::string state) {
  std::string gone = s.instance_id;
  const std::string max = s.config.max_spot_attempts_text;
  for (;;) {
    if (s.attempt >= s.config.max_spot_attempts) {
      terminate_instances(s, {gone});
      fail(255, "spot instance " + gone + " was reclaimed (state " + state + ") and all " + max + " attempts are used");
    }
    ++s.attempt;
    log("spot instance " + gone + " was reclaimed (state " + state + "); relaunching (attempt " +
        std::to_string(s.attempt) + " of " + max + ")");
    terminate_instances(s, {gone});
    boot_instance(s);
    if (redo_setup(s, state)) return;
    gone = s.instance_id;
  }
}

}  // namespace

int run_raw(Session& s, const RawCall& call, std::string* out) {
  if (s.config.transport == "ssm") return ssm_run_raw(s, call, out);
  Command cmd;
  switch (call.kind) {
    case RawCall::Kind::Ssh:
    case RawCall::Kind::SshOut:
      cmd.argv = ssh_argv(s, false, call.args);
      break;
    case RawCall::Kind::SshAgent:
      cmd.argv = ssh_argv(s, true, call.args);
      break;
    case RawCall::Kind::Script: {
      std::string line = "bash -s --";
      for (const auto& a : call.args) line += " " + shell_quote(a);
      cmd.argv = ssh_argv(s, false, {line});
      cmd.stdin_file = call.file;
      break;
    }
    case RawCall::Kind::Scp: {
      cmd.argv = {"scp"};
      const auto opts = s.ssh_opts();
      cmd.argv.insert(cmd.argv.end(), opts.begin(), opts.end());
      cmd.argv.push_back(call.args.at(0));
      cmd.argv.push_back(s.host() + ":~/" + call.args.at(1));
      break;
    }
  }
  if (call.kind == RawCall::Kind::SshOut) cmd.out = Stream::Capture;
  const Outcome o = run_command(cmd, s.tmpdir);
  if (out) *out = o.out;
  return o.status;
}

int transport(Session& s, const RawCall& call, std::string* out) {
  const std::string step = s.step;
  for (;;) {
    const int rc = run_raw(s, call, out);
    if (rc == 0) {
      if (s.recording) s.setup_calls.push_back({call, step});
      return 0;
    }
    if (rc != 255) return rc;
    const auto state = reclaim_state(s);
    if (!state) return rc;
    relaunch(s, *state);
    s.step = step;
    log("retrying on " + s.instance_id + ": " + step);
  }
}

void boot_instance(Session& s) {
  launch_instance(s);
  wait_running(s);
  if (s.config.transport == "ssm") {
    ssm_connect(s);  // Run Command needs no address
  } else {
    resolve_ip(s);
    wait_ssh(s);
  }
  install_watchdog(s);
}

int run_remote(Session& s, const std::string& script, const std::vector<std::string>& args) {
  const std::string file = s.tmpdir + "/remote-" + std::to_string(++s.script_count) + ".sh";
  {
    std::ofstream f(file, std::ios::binary);
    f << script;
    if (!f) fail("could not save the remote script");
  }
  return transport(s, RawCall{RawCall::Kind::Script, args, file}, nullptr);
}

}  // namespace spot_launch
