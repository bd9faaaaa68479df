// EC2, CloudWatch and SES calls, argv for argv as the bash launchers make them.
#include "spot_launch/ec2.hpp"

#include "spot_launch/error.hpp"
#include "spot_launch/log.hpp"
#include "spot_launch/mutant.hpp"
#include "spot_launch/process.hpp"
#include "spot_launch/strings.hpp"
#include "spot_launch/template.hpp"

namespace spot_launch {
namespace {

std::string fmt_seconds(double seconds) {
  std::string text = std::to_string(seconds);
  text.erase(text.find_last_not_of('0') + 1);
  if (text.back() == '.') text.pop_back();
  return text + "s";
}

// run-instances is not interruptible (a signal must not lose the id it returns), so it gets a
// real-time limit of its own; the call normally answers within seconds.
constexpr double kLaunchTimeLimitSeconds = 300;

std::optional<std::string> try_launch(Session& s, const std::string& type) {
  s.set_step("launch: " + type + " spot instance (" + s.config.ami + " in " + s.config.region + ")");
  throw_if_signalled();
  const Command cmd{{"aws",
                     "ec2",
                     "run-instances",
                     "--region",
                     s.config.region,
                     "--image-id",
                     s.config.ami,
                     "--instance-type",
                     type,
                     "--key-name",
                     s.config.key_name,
                     "--security-group-ids",
                     s.config.security_group,
                     "--subnet-id",
                     s.config.subnet,
                     "--iam-instance-profile",
                     "Name=" + s.config.iam_profile,
                     "--instance-market-options",
                     "MarketType=spot,SpotOptions={SpotInstanceType=one-time,InstanceInterruptionBehavior=terminate}",
                     "--tag-specifications",
                     s.module.tag_spec,
                     "--query",
                     "Instances[0].InstanceId",
                     "--output",
                     "text"},
                    "",
                    Stream::Capture,
                    Stream::Capture,
                    kLaunchTimeLimitSeconds,
                    false};
  const Outcome o = run_command(cmd, s.tmpdir);
  const std::string id = chomp(o.out);
  const bool launched = o.status == 0 && id.starts_with("i-");
  if (launched) {  // recorded before a pending signal is acted on: the cleanup terminates it
    s.instance_id = id;
    s.guard.launched(id);
  }
  throw_if_signalled();
  if (launched) {
    log("launched " + id + " (" + type + ")");
    return id;
  }
  if (o.status == 0) fail("run-instances returned no instance id (got '" + id + "')");
  s.instance_id.clear();
  if (o.timed_out)
    fail("run-instances for " + type + " did not answer within " + fmt_seconds(kLaunchTimeLimitSeconds) +
         " (killed; an instance it may have launched is unknown: check by hand)");
  const std::string err = trim_leading_space(chomp(o.err));
  if (err.find("InsufficientInstanceCapacity") != std::string::npos) {
    log("no spot capacity for " + type + " (InsufficientInstanceCapacity); trying the next type");
    return std::nullopt;
  }
  log("run-instances failed for " + type + ": " + err);
  if (err.find("InvalidAMIID.NotFound") != std::string::npos)
    fail("AMI " + s.config.ami + " does not exist in " + s.config.region +
         " (InvalidAMIID.NotFound): image gap? set SPOT_AMI");
  fail("could not launch a spot instance from " + s.config.ami + " (" + type + ")");
}

}  // namespace

Outcome aws(Session& s, std::vector<std::string> args, Stream out, Stream err) {
  args.insert(args.begin(), "aws");
  Command cmd{args, "", out, err, std::nullopt, !s.in_cleanup};
  return run_command(cmd, s.tmpdir);
}

void launch_instance(Session& s) {
  for (const auto& type : s.config.instance_types)
    if (try_launch(s, type)) return;
  fail("no spot capacity (InsufficientInstanceCapacity) for any of the types tried: " + join(s.config.instance_types));
}

void wait_running(Session& s) {
  s.set_step("wait: " + s.instance_id + " instance-running");
  if (aws(s, {"ec2", "wait", "instance-running", "--region", s.config.region, "--instance-ids", s.instance_id},
          Stream::Inherit)
          .status != 0)
    fail(s.instance_id + " never reached running");
}

void resolve_ip(Session& s) {
  const Outcome o = aws(s,
                        {"ec2", "describe-instances", "--region", s.config.region, "--instance-ids", s.instance_id,
                         "--query", "Reservations[0].Instances[0].PublicIpAddress", "--output", "text"},
                        Stream::Capture);
  if (o.status != 0) fail("describe-instances failed for " + s.instance_id);
  s.ip = chomp(o.out);
  if (s.ip.empty() || s.ip == "None") fail(s.instance_id + " has no public IP address");
  log(s.instance_id + " is at " + s.ip);
}

std::optional<std::string> instance_state(Session& s) {
  const Outcome o = aws(s,
                        {"ec2", "describe-instances", "--region", s.config.region, "--instance-ids", s.instance_id,
                         "--query", "Reservations[0].Instances[0].State.Name", "--output", "text"},
                        Stream::Capture);
  if (o.status != 0) return std::nullopt;
  return without_space(o.out);
}

bool going_or_gone(const std::string& state) {
  return state == "shutting-down" || state == "terminated" || state == "stopping" || state == "stopped";
}

std::optional<std::string> reclaim_state(Session& s) {
  const auto found = instance_state(s);
  if (!found) {
    log("ssh exit 255, and describe-instances failed for " + s.instance_id + ": not treated as a reclaim");
    return std::nullopt;
  }
  const std::string& state = *found;
  if (going_or_gone(state)) return state;
  log("ssh exit 255 while " + s.instance_id + " is still " + (state.empty() ? "unknown" : state) +
      ": a failure, not a reclaim");
  return std::nullopt;
}

bool terminate_instances(Session& s, const std::vector<std::string>& ids) {
  std::vector<std::string> argv = {"aws", "ec2", "terminate-instances", "--region", s.config.region, "--instance-ids"};
#ifdef SPOT_LAUNCH_MUTANTS
  if (mutant_is("missing-region")) argv.erase(argv.begin() + 3, argv.begin() + 5);
#endif
  argv.insert(argv.end(), ids.begin(), ids.end());
  // Native difference from bash: a real-time limit per call and one retry of a failed or hung call.
  // A call that cannot even be started (spawn failure, EMFILE ...) is a failed attempt too; only a
  // signal (outside cleanup) ends the attempts.
  int attempts = 2;
#ifdef SPOT_LAUNCH_MUTANTS
  if (mutant_is("no-terminate-retry")) attempts = 1;  // a terminate whose failure is only warned about, as bash's
#endif
  for (int attempt = 1; attempt <= attempts; ++attempt) {
    const Command cmd{argv, "", Stream::Null, Stream::Inherit, s.config.cleanup_timeout_seconds, !s.in_cleanup};
    std::string problem;
    Outcome o;
    try {
      o = run_command(cmd, s.tmpdir);
    } catch (const Error& e) {
      if (e.kind() == ErrorKind::Signal) throw;
      problem = std::string("could not be run (") + e.what() + ")";
    } catch (const std::exception& e) {
      problem = std::string("could not be run (") + e.what() + ")";
    }
    if (problem.empty() && o.status == 0) {
      s.guard.terminated(ids);
      log("terminate requested for " + join(ids));
      return true;
    }
    if (problem.empty())
      problem = o.timed_out ? "timed out after " + fmt_seconds(s.config.cleanup_timeout_seconds)
                            : "failed with exit status " + std::to_string(o.status);
    if (attempt < attempts) log("terminate-instances " + problem + "; retrying once");
  }
  log("WARNING: could not terminate " + join(ids) +
      "; terminate by hand (the spot-side watchdog shuts it down at the latest after " +
      s.config.watchdog_minutes_text + "m)");
  return false;
}

void put_heartbeat(Session& s) {
  s.set_step("heartbeat: " + s.module.heartbeat_metric);
  if (aws(s,
          {"cloudwatch", "put-metric-data", "--region", s.config.region, "--namespace", "QuantResearch/Spot",
           "--metric-name", s.module.heartbeat_metric, "--value", "1", "--unit", "Count", "--dimensions",
           "Module=" + s.module.heartbeat_dimension},
          Stream::Inherit)
          .status != 0)
    fail("could not put the " + s.module.heartbeat_metric + " metric");
}

void send_email(Session& s, const EmailStep& email) {
  const Vars v = s.vars();
  s.set_step(expand(email.step, v));
  if (aws(s,
          {"ses", "send-email", "--region", s.config.region, "--from", expand(email.from, v), "--destination",
           "ToAddresses=" + expand(email.to, v), "--message", expand(email.message, v)},
          Stream::Null)
          .status != 0)
    fail(expand(email.error, v));
}

}  // namespace spot_launch
