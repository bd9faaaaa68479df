// Explore's faults: what each fault point admits, as the answers the real tools give when the outside world
// fails there (the AWS CLI v2's texts and exit codes: fakes/src/aws/cli_errors.hpp; an ssh that drops; a
// spot-side step that fails), plus a hang, an outage from that call on, and a signal to the dispatcher.
#include <algorithm>
#include <map>
#include <span>

#include "spotcheck/aws_grammar.hpp"
#include "spotcheck/explore.hpp"
#include "spotcheck/text.hpp"

namespace spotcheck::harness {
namespace {

using nlohmann::json;

constexpr int kClientErrorExit = 254;   // the service answered with an error
constexpr int kGeneralErrorExit = 255;  // any other failure (a waiter that gave up, InternalError as the issue has it)
constexpr int kTransferFailedExit = 1;  // `aws s3` cp/sync/mv/rm: a file failed

// The CLI's handler prints a service error after a blank line.
json client_error(const std::string& code, const std::string& operation, const std::string& message,
                  int exit = kClientErrorExit, const std::string& retries = "") {
  return {{"exit", exit},
          {"stderr", "\nAn error occurred (" + code + ") when calling the " + operation + " operation" + retries +
                         ": " + message + "\n"}};
}

std::string first_instance_id(const std::vector<std::string>& argv) {
  for (const auto& w : argv)
    if (w.starts_with("i-")) return w;
  return "i-0123456789abcdef0";
}

// `aws s3 cp|sync|mv` words that take no value; every other `--option` takes the next word.
bool s3_flag(const std::string& w) {
  static const std::vector<std::string> flags = {"--recursive",
                                                 "--quiet",
                                                 "--only-show-errors",
                                                 "--no-progress",
                                                 "--dryrun",
                                                 "--delete",
                                                 "--size-only",
                                                 "--exact-timestamps",
                                                 "--follow-symlinks",
                                                 "--no-follow-symlinks",
                                                 "--no-guess-mime-type",
                                                 "--force-glacier-transfer",
                                                 "--ignore-glacier-warnings"};
  return w.find('=') != std::string::npos || std::find(flags.begin(), flags.end(), w) != flags.end();
}

std::vector<std::string> s3_paths(const std::vector<std::string>& args) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (!args[i].starts_with("--")) {
      out.push_back(args[i]);
    } else if (!s3_flag(args[i])) {
      ++i;
    }
  }
  return out;
}

// The typical error of `aws SERVICE OPERATION` when the service refuses it (not a throttle): what a launcher
// meets on a bad day, e.g. no spot capacity for run-instances, an SSM invocation not yet visible.
json service_refusal(const FaultPoint& p, const AwsArgs& a) {
  const std::string& service = p.shape.at(0);
  const std::string& op = p.shape.at(1);
  const std::string api = pascal_case(op);
  if (service == "s3") {
    const auto paths = s3_paths(a.args);
    const std::string from = paths.empty() ? "" : paths[0];
    const std::string to = paths.size() > 1 ? " to " + paths[1] : "";
    if (op == "rm")
      return {{"exit", kTransferFailedExit},
              {"stderr", "delete failed: " + from +
                             " An error occurred (AccessDenied) when calling the DeleteObject operation: "
                             "Access Denied\n"}};
    if (op == "ls") return client_error("NoSuchBucket", "ListObjectsV2", "The specified bucket does not exist");
    if (from.starts_with("s3://") && !(paths.size() > 1 && paths[1].starts_with("s3://")))
      return {{"exit", kTransferFailedExit},
              {"stderr", "download failed: " + from + to +
                             " An error occurred (403) when calling the HeadObject operation: Forbidden\n"}};
    return {{"exit", kTransferFailedExit},
            {"stderr", "upload failed: " + from + to +
                           " An error occurred (AccessDenied) when calling the PutObject operation: "
                           "Access Denied\n"}};
  }
  if (service == "ec2") {
    if (op == "run-instances" || op == "request-spot-instances")
      return client_error("InsufficientInstanceCapacity", api,
                          "We currently do not have sufficient capacity in the Availability Zone you requested. "
                          "Our system will be working on provisioning additional capacity.");
    if (op == "wait") {
      const std::string waiter = a.args.empty() ? "InstanceRunning" : pascal_case(a.args.front());
      return {{"exit", kGeneralErrorExit}, {"stderr", "\nWaiter " + waiter + " failed: Max attempts exceeded\n"}};
    }
    if (op.starts_with("describe-") || op == "create-tags")
      return client_error("InvalidInstanceID.NotFound", api,
                          "The instance ID '" + first_instance_id(p.argv) + "' does not exist");
    return client_error("UnauthorizedOperation", api, "You are not authorized to perform this operation.");
  }
  if (service == "ssm") {
    static const std::map<std::string, std::pair<std::string, std::string>> ssm = {
        {"get-command-invocation", {"InvocationDoesNotExist", ""}},
        {"send-command", {"InvalidInstanceId", ""}},
        {"get-parameter", {"ParameterNotFound", ""}},
        {"get-parameters-by-path", {"ParameterNotFound", ""}},
        {"put-parameter",
         {"ParameterAlreadyExists",
          "The parameter already exists. To overwrite this value, set the overwrite option in the request to true."}},
    };
    if (const auto it = ssm.find(op); it != ssm.end()) return client_error(it->second.first, api, it->second.second);
    return client_error("AccessDeniedException", api,
                        "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: ssm:" + api);
  }
  if (service == "sts")
    return client_error("ExpiredToken", api, "The security token included in the request is expired");
  if (service == "sns") return client_error("NotFound", api, "Topic does not exist");
  if (service == "ses" || service == "sesv2")
    return client_error("MessageRejected", api, "Email address is not verified.");
  const std::string action = service == "s3api" ? "s3" : service;
  return client_error("AccessDenied", api,
                      "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: " + action + ":" + api);
}

// The API operation behind a high-level `aws s3` command.
std::string s3_operation(const std::string& command) {
  if (command == "rm") return "DeleteObject";
  if (command == "ls") return "ListObjectsV2";
  return "PutObject";  // cp, mv, sync: the transfer
}

// A retryable error the CLI gave up on (standard retry mode: 3 attempts).
json retried_error(const FaultPoint& p, const std::string& code, const std::string& message, int exit) {
  const std::string op = p.shape.at(0) == "s3" ? s3_operation(p.shape.at(1)) : pascal_case(p.shape.at(1));
  json answer = client_error(code, op, message, exit, " (reached max retries: 2)");
  if (p.shape.at(0) == "s3") answer["stderr"] = "fatal error: " + answer["stderr"].get<std::string>().substr(1);
  return answer;
}

// Each service's own throttling error: code and message.
std::pair<std::string, std::string> throttling(const std::string& service) {
  if (service == "ec2") return {"RequestLimitExceeded", "Request limit exceeded."};
  if (service == "s3" || service == "s3api") return {"SlowDown", "Please reduce your request rate."};
  if (service == "ssm" || service == "logs" || service == "events") return {"ThrottlingException", "Rate exceeded"};
  return {"Throttling", "Rate exceeded"};  // query-protocol services: cloudwatch, sns, sts, ses
}

}  // namespace

std::vector<Fault> faults_for(const FaultPoint& p, const std::vector<std::string>& kinds) {
  std::vector<Fault> all;
  if (p.tool == "aws") {
    const AwsArgs a =
        split_aws_args(std::span<const std::string>(p.argv).subspan(std::min<std::size_t>(1, p.argv.size())));
    const auto [code, message] = throttling(p.shape.at(0));
    all.push_back({"throttle", retried_error(p, code, message, kClientErrorExit)});
    all.push_back(
        {"internal-error", retried_error(p, "InternalError", "An internal error has occurred", kGeneralErrorExit)});
    all.push_back({"service-error", service_refusal(p, a)});
    all.push_back({"hang", {{"hang", true}}});
  } else if (p.tool == "ssh" || p.tool == "scp") {
    all.push_back({"drop", {{"exit", 255}, {"stderr", "Connection to 203.0.113.10 closed by remote host.\n"}}});
    all.push_back({"reclaim", {{"reclaim", true}}});  // the spot it reaches is reclaimed: the session is cut
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
  if (p.host == "dispatcher")  // the launcher is stopped (CI cancel, Ctrl-C, a closed terminal) at this call
    for (const char* sig : {"TERM", "INT", "HUP"}) all.push_back({"sig" + ascii_lowercase(sig), {{"signal", sig}}});
  if (kinds.empty()) return all;
  std::vector<Fault> chosen;
  for (auto& f : all)
    if (std::find(kinds.begin(), kinds.end(), f.kind) != kinds.end()) chosen.push_back(std::move(f));
  return chosen;
}

}  // namespace spotcheck::harness
