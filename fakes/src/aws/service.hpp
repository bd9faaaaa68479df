// Internal to the fake aws: how a World service declares its operations and what an operation sees.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/cli_args.hpp"
#include "aws/run_command.hpp"
#include "ordered_json.hpp"
#include "spotcheck/fakes/call.hpp"

namespace spotcheck::fakes::aws {

// One resolved `aws SERVICE OPERATION ...` call, after region and credentials are settled.
struct Invocation {
  Call& call;
  const RunPaths& paths;
  std::string service;    // ec2, s3api, ...
  std::string operation;  // dashed: describe-instances
  std::string region;     // "" only for operations that need none
  GlobalOptions globals;
  std::vector<std::string> args;  // the operation's own arguments
  // Checks region and credentials (throws CliFailure); readers call it once their arguments parsed.
  std::function<void()> settle = [] {};
  // Runs a Run Command step on an instance (set by the aws shim; see aws/run_command.hpp).
  RemoteStepRunner run_remote_step = nullptr;
  // Starts booting a launched instance's host in the background (set by the aws shim; see shims/host_session.hpp).
  std::function<void(const std::string& instance_id)> boot_host = nullptr;
  std::string api_name() const { return pascal_case(operation); }
};

// Returns the response; an empty object means "print nothing" (put-metric-data, create-tags).
using Handler = Json (*)(Invocation& inv, const Params& params);

struct OperationDef {
  std::string_view name;
  std::vector<ParamSpec> params;
  Handler run = nullptr;
};

struct ServiceDef {
  std::string_view name;
  std::vector<OperationDef> operations;
  const OperationDef* find(std::string_view operation) const {
    for (const auto& op : operations) {
      if (op.name == operation) return &op;
    }
    return nullptr;
  }
};

// The services answered through the generic table (s3 and `ec2 wait` have their own readers).
const ServiceDef& ec2_service();
const ServiceDef& s3api_service();
const ServiceDef& ssm_service();
const ServiceDef& cloudwatch_service();
const ServiceDef& ses_service();
const ServiceDef& sesv2_service();
const ServiceDef& sns_service();
const ServiceDef& sts_service();

// The parameters of describe-instances / describe-instance-status, which the ec2 waiters accept too.
const std::vector<ParamSpec>& ec2_describe_instances_params();
const std::vector<ParamSpec>& ec2_describe_instance_status_params();

// `aws ec2 wait WAITER ...`: polls in virtual time; prints nothing, returns the exit status.
int run_ec2_wait(Invocation& inv);
// `aws ssm wait command-executed ...`: polls get-command-invocation in virtual time (5 s x 20).
int run_ssm_wait(Invocation& inv);
// The Run Command operations of ssm (describe-instance-information, send-command, ...), which ssm_service adds.
const std::vector<OperationDef>& ssm_run_command_operations();
// `aws s3 ls|cp|sync|mv|rm|mb|rb|presign ...`: prints its own progress lines, returns the exit status.
int run_s3_command(Invocation& inv);

}  // namespace spotcheck::fakes::aws
