// The fake `aws` (AWS CLI v2): reads the command line, settles region and credentials, asks the World, formats.
#include <algorithm>
#include <optional>

#include "aws/cli_args.hpp"
#include "aws/cli_errors.hpp"
#include "aws/output.hpp"
#include "aws/service.hpp"
#include "aws/session.hpp"
#include "jmespath/jmespath.hpp"
#include "shims/host_session.hpp"
#include "shims/ssm_agent.hpp"
#include "spotcheck/fakes/shim.hpp"
#include "world/internet.hpp"

namespace spotcheck::fakes {
namespace {

using aws::CliFailure;
using aws::CommandLine;
using aws::Invocation;
using aws::ServiceDef;

constexpr const char* kVersion = "aws-cli/2.17.20 Python/3.11.9 Linux/6.1.0 exe/x86_64.amzn.2023\n";

const std::vector<const ServiceDef*>& services() {
  static const std::vector<const ServiceDef*> table = {
      &aws::ec2_service(), &aws::s3api_service(), &aws::ssm_service(), &aws::cloudwatch_service(),
      &aws::ses_service(), &aws::sesv2_service(), &aws::sns_service(), &aws::sts_service()};
  return table;
}

const ServiceDef* find_service(const std::string& name) {
  for (const auto* s : services()) {
    if (s->name == name) return s;
  }
  return nullptr;
}

std::vector<std::string> service_names() {
  std::vector<std::string> names = {"configure", "s3"};
  for (const auto* s : services()) names.emplace_back(s->name);
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> operation_names(const ServiceDef& service) {
  std::vector<std::string> names;
  for (const auto& op : service.operations) names.emplace_back(op.name);
  if (service.name == "ec2" || service.name == "ssm") names.emplace_back("wait");
  return names;
}

// Only AWS endpoints exist in the World; any other endpoint is an attempted connection the sandbox refuses.
void check_endpoint(const CommandLine& line) {
  const auto& url = line.globals.endpoint_url;
  if (url && url->find(".amazonaws.com") == std::string::npos) throw aws::connect_error(*url);
}

// Region errors come from the client, after argument parsing; a region no endpoint exists for cannot connect.
std::string settle_region(const CommandLine& line, const Context& ctx) {
  const auto region = aws::resolve_region(line.globals, ctx);
  if (!region) {
    if (aws::requires_region(line.service, line.operation)) throw aws::missing_region();
    return "";
  }
  return region->value;
}

// `aws s3` transfers report missing credentials as a transfer failure (exit 1), the rest as NoCredentialsError.
void settle_credentials(const CommandLine& line, const Context& ctx) {
  if (line.globals.no_sign_request || aws::resolve_credentials(line.globals, ctx)) return;
  const bool transfer = line.service == "s3" && (line.operation == "cp" || line.operation == "mv" ||
                                                 line.operation == "sync" || line.operation == "rm");
  if (transfer) throw aws::s3_failure("fatal error: Unable to locate credentials");
  throw aws::missing_credentials();
}

// The service's endpoint must be reachable from this host (a spot with no network, a dispatcher the world
// cuts off from AWS): after the region and credentials, as the real client connects only then.
void settle_network(const Invocation& inv, const CommandLine& line) {
  const std::string host = line.service + "." + (inv.region.empty() ? "us-east-1" : inv.region) + ".amazonaws.com";
  const Context& ctx = inv.call.ctx();
  if (!world::reachable(ctx.paths, ctx.on_spot(), host)) throw aws::connect_error("https://" + host + "/");
}

void settle(Invocation& inv, const CommandLine& line) {
  check_endpoint(line);
  inv.region = settle_region(line, inv.call.ctx());
  settle_credentials(line, inv.call.ctx());
  if (!line.globals.endpoint_url) settle_network(inv, line);
}

std::optional<jmespath::Expression> compile_query(const CommandLine& line) {
  if (!line.globals.query) return std::nullopt;
  try {
    return jmespath::compile(*line.globals.query);
  } catch (const jmespath::Error& e) {
    throw aws::bad_query(*line.globals.query, e.what());  // a parse error: exit 252, before any request
  }
}

void print_response(Invocation& inv, const Json& response, const std::optional<jmespath::Expression>& query,
                    aws::OutputFormat format) {
  if (!query && response.is_object() && response.empty()) return;  // operations with no output print nothing
  Json shown = response;
  if (query) {
    try {
      shown = query->search(response);
    } catch (const jmespath::Error& e) {
      throw aws::general_error(e.what());  // an evaluation error: the CLI's generic handler, exit 255
    }
  }
  inv.call.out(aws::format_output(shown, format, inv.api_name()));
}

int run_operation(Invocation& inv, const ServiceDef& service, const CommandLine& line, aws::OutputFormat format) {
  const auto* op = service.find(line.operation);
  if (!op) throw aws::invalid_choice("operation", line.operation, operation_names(service));
  const auto query = compile_query(line);
  const aws::Params params = aws::parse_params(line.args, op->params);
  settle(inv, line);
  print_response(inv, op->run(inv, params), query, format);
  return 0;
}

// `aws configure get KEY` / `aws configure list`: read-only views of the config file.
int run_configure(Invocation& inv, const CommandLine& line) {
  if (line.operation == "get" && line.args.size() == 1) {
    const auto value = aws::config_value(line.globals, line.args.front());
    if (!value) return 1;
    inv.call.out(*value + "\n");
    return 0;
  }
  if (line.operation == "list") {
    const auto region = aws::resolve_region(line.globals, inv.call.ctx());
    inv.call.out(
        "      Name                    Value             Type    Location\n"
        "      ----                    -----             ----    --------\n"
        "   profile                <not set>             None    None\n"
        "    region " +
        std::string(21 - std::min<std::size_t>(21, region ? region->value.size() : 9), ' ') +
        (region ? region->value : "<not set>") + "      " + (region ? region->source : "None") + "\n");
    return 0;
  }
  throw aws::invalid_choice("operation", line.operation, {"get", "list"});
}

aws::OutputFormat output_format(const CommandLine& line, const Context& ctx) {
  const std::string name = aws::resolve_output(line.globals, ctx);
  const auto format = aws::parse_output_format(name);
  if (!format) throw aws::invalid_choice("--output", name, {"json", "text", "table", "yaml", "yaml-stream"});
  return *format;
}

int dispatch(Invocation& inv, const CommandLine& line) {
  const auto format = output_format(line, inv.call.ctx());
  if (line.service == "configure") return run_configure(inv, line);
  const bool s3 = line.service == "s3";
  const ServiceDef* service = s3 ? nullptr : find_service(line.service);
  if (!s3 && !service) throw aws::invalid_choice("command", line.service, service_names());
  if (line.operation.empty()) throw aws::usage_error("the following arguments are required: operation");
  if (s3 || line.operation == "wait") {
    inv.settle = [&inv, &line] { settle(inv, line); };
    if (s3) return aws::run_s3_command(inv);
    if (line.service == "ec2") return aws::run_ec2_wait(inv);
    if (line.service == "ssm") return aws::run_ssm_wait(inv);
  }
  return run_operation(inv, *service, line, format);
}

}  // namespace

int run_aws(Call& call) {
  const std::vector<std::string> argv(call.argv().begin() + (call.argv().empty() ? 0 : 1), call.argv().end());
  try {
    if (std::find(argv.begin(), argv.end(), "--version") != argv.end()) {
      call.out(kVersion);
      return 0;
    }
    const CommandLine line = aws::split_command_line(argv);
    if (line.service.empty()) throw aws::usage_error("the following arguments are required: command");
    Invocation inv{call, call.ctx().paths, line.service, line.operation, "", line.globals, line.args};
    inv.run_remote_step = [&call](const aws::RemoteStep& step) { return run_ssm_step(call, step); };
    inv.boot_host = [&call](const std::string& instance_id) { boot_host_in_background(call.ctx().paths, instance_id); };
    return dispatch(inv, line);
  } catch (const CliFailure& failure) {
    call.err(failure.stderr_text);
    return failure.exit;
  }
}

}  // namespace spotcheck::fakes
