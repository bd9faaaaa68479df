// The run, as a checklist: boot, setup (bootstrap, clone, config, deps, cache, python), then the
// preflight branch (exit before smoke-only and the full run), smoke-only, or the full run.
#include "spot_launch/launcher.hpp"

#include <algorithm>
#include <cstdlib>

#include "spot_launch/ec2.hpp"
#include "spot_launch/error.hpp"
#include "spot_launch/log.hpp"
#include "spot_launch/mutant.hpp"
#include "spot_launch/quote.hpp"
#include "spot_launch/resources.hpp"
#include "spot_launch/session.hpp"
#include "spot_launch/signals.hpp"
#include "spot_launch/strings.hpp"
#include "spot_launch/template.hpp"
#include "spot_launch/transport.hpp"

namespace spot_launch {
namespace {

void remote_step(Session& s, const RemoteStep& step, const std::string& item = "") {
  const Vars v = s.vars(item);
  s.set_step(expand(step.step, v));
  const int rc = run_remote(s, step.script, expand_args(step.args, v));
  if (rc != 0) fail(rc, s.step + " failed with exit status " + std::to_string(rc));
}

bool stage_enabled(const Session& s, const std::optional<std::string>& stage, bool when_any) {
  const auto& run = s.config.run_stages;
  if (when_any && run.empty()) return false;
  return !stage || std::find(run.begin(), run.end(), *stage) != run.end();
}

void run_steps(Session& s, const std::vector<RemoteStep>& steps) {
  for (const auto& step : steps) {
    if (!stage_enabled(s, step.stage, step.when_any_stage)) continue;
    if (step.foreach.empty()) remote_step(s, step);
    for (const auto& item : step.foreach) remote_step(s, step, item);
  }
}

void clone_repo(Session& s, const std::string& repo) {
  const std::string& org = s.config.github_org;
  const std::string& branch = s.flags.branch;
  const std::string quoted = shell_quote(branch);
  s.set_step("clone: " + org + "/" + repo + "@" + branch);
  RawCall agent{RawCall::Kind::SshAgent,
                {"git clone --depth 1 --branch " + quoted + " git@github.com:" + org + "/" + repo + ".git ~/" + repo},
                ""};
  if (transport(s, agent) == 0) return;
  log("ssh clone of " + repo + " failed; falling back to https");
  RawCall https{
      RawCall::Kind::Ssh,
      {"git clone --depth 1 --branch " + quoted + " https://github.com/" + org + "/" + repo + ".git ~/" + repo},
      ""};
  if (transport(s, https) != 0) fail("could not clone " + org + "/" + repo + " (branch " + branch + ")");
}

void upload_config(Session& s) {
  const Module& m = s.module;
  const Vars v = s.vars();
  s.set_step(expand(m.config_step, v));
  if (transport(s, RawCall{RawCall::Kind::Ssh, {m.config_mkdir}, ""}) != 0) fail(expand(m.config_mkdir_error, v));
  for (const auto& copy : m.copies) {
    const std::string local = expand(copy.local, v), remote = expand(copy.remote, v);
    s.set_step("copy: " + local + " -> " + s.host() + ":~/" + remote);
    if (transport(s, RawCall{RawCall::Kind::Scp, {local, remote}, ""}) != 0)
      fail("could not copy " + local + " to the spot");
  }
}

// Deps with the SSM secret prelude: $1 region, $2 parameter, $3 variable, $4 keep file, then ARGS.
void install_deps(Session& s) {
  const Module& m = s.module;
  const Vars v = s.vars();
  s.set_step(expand(m.deps.step, v));
  std::vector<std::string> args = {s.config.region, m.secret_param, m.secret_var, expand(m.secret_keep, v)};
  const auto extra = expand_args(m.deps.args, v);
  args.insert(args.end(), extra.begin(), extra.end());
  const int rc = run_remote(s, std::string(embedded("secret_prelude.txt")) + "\n" + m.deps.script, args);
  if (rc != 0) fail(rc, s.step + " failed with exit status " + std::to_string(rc));
}

void resolve_remote_python(Session& s) {
  const std::string& name = s.module.python;
  s.set_step("resolve remote python");
  const bool recording = s.recording;
  s.recording = false;  // read-only: never redone
  std::string out;
  const int rc = transport(s, RawCall{RawCall::Kind::SshOut, {"command -v " + name}, ""}, &out);
  s.recording = recording;
  std::erase(out, '\r');
  s.remote_python = out.substr(0, out.find('\n'));
  if (rc != 0 && rc != 1) fail(rc, "could not resolve " + name + " on the spot (ssh exit " + std::to_string(rc) + ")");
  if (s.remote_python.empty()) fail(name + " not found on the spot (image gap?)");
  log("remote python: " + s.remote_python);
}

void setup(Session& s) {
  const Module& m = s.module;
  s.set_step(m.bootstrap.step);
  const int rc = run_remote(s, m.bootstrap.script, expand_args(m.bootstrap.args, s.vars()));
  if (rc != 0) fail(rc, "bootstrap failed on " + s.instance_id);
  for (const auto& repo : m.repos) clone_repo(s, repo);
  upload_config(s);
  install_deps(s);
  if (m.cache) remote_step(s, *m.cache);
  resolve_remote_python(s);
}

#ifdef SPOT_LAUNCH_MUTANTS
void mutant_upload_in_preflight(Session& s) {
  if (!mutant_is("upload-in-preflight") || s.module.copies.empty()) return;
  run_raw(s, RawCall{RawCall::Kind::Ssh,
                     {"aws s3 cp ~/" + s.module.copies.front().remote + " s3://" + s.config.bucket +
                      "/preflight/mutant-upload --region " + s.config.region},
                     ""});
}
#endif

void full_run(Session& s) {
  for (const auto& step : s.module.full) {
    if (step.remote) run_steps(s, {*step.remote});
    if (step.email && stage_enabled(s, step.email->stage, false)) send_email(s, *step.email);
  }
  if (s.config.run_stages.empty()) log("full run: every stage skipped");
  put_heartbeat(s);
  log("full run done");
}

}  // namespace

void arm_cleanup(Session& s) {
  s.guard.armed = true;
  install_signal_handlers();
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/spot-launcher.XXXXXX";
  if (!::mkdtemp(pattern.data())) fail("could not create a temp dir");
  s.tmpdir = pattern;
}

void run_module(Session& s) {
  const Flags& f = s.flags;
  log("mode=" + f.run_mode + " preflight_only=" + (f.preflight_only ? "1" : "0") + " branch=" + f.branch +
      " region=" + s.config.region + " skip_stages=" + (f.skip_stages.empty() ? "none" : join(f.skip_stages)));
  arm_cleanup(s);
  s.attempt = 1;
  boot_instance(s);
  s.recording = true;
  setup(s);
  s.recording = false;
  if (f.preflight_only) {
#ifdef SPOT_LAUNCH_MUTANTS
    mutant_upload_in_preflight(s);
#endif
    remote_step(s, s.module.preflight);
    log("preflight passed");
    return;
  }
  if (f.run_mode == "smoke-only") {
    run_steps(s, s.module.smoke);
    log("smoke-only passed");
    return;
  }
  full_run(s);
}

}  // namespace spot_launch
