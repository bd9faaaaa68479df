// Internal to the fake aws: the real AWS CLI v2's failure texts (stderr) and exit codes, captured from awscli 2.9.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace spotcheck::fakes::aws {

// Thrown by the fake and caught at its top level: print stderr_text verbatim, exit with `exit`.
struct CliFailure {
  int exit;
  std::string stderr_text;
};

// 252: usage banner then "aws: error: MESSAGE" (argparse errors: bad --output, missing values, bad ints...).
CliFailure usage_error(std::string_view message);
// 252: "argument ARGUMENT: Invalid choice, valid choices are:" + the two-column list (+ difflib suggestions).
// ARGUMENT is "command" (service), "operation", or "subcommand" (wait waiters, s3 commands).
CliFailure invalid_choice(std::string_view argument, std::string_view value, const std::vector<std::string>& choices);
// 252: "the following arguments are required: --name, --value".
CliFailure missing_required(const std::vector<std::string>& options);
// 252: usage banner then "Unknown options: --a, x" (no "aws: error:" prefix).
CliFailure unknown_options(const std::vector<std::string>& tokens);
// 252: --query fails to compile. `parse_error` is the jmespath message, e.g.
// "Invalid jmespath expression: Incomplete expression:\n\"a[\"\n   ^".
CliFailure bad_query(std::string_view expression, std::string_view parse_error);
// 253: NoRegionError; checked before credentials.
CliFailure missing_region();
// 253: NoCredentialsError (for aws s3 transfer commands use s3_failure("fatal error: Unable to locate credentials")).
CliFailure missing_credentials();
// 254: ClientError "An error occurred (CODE) when calling the OP operation: MESSAGE".
CliFailure service_error(std::string_view code, std::string_view operation, std::string_view message);
// 255: any other exception: "\nMESSAGE\n" (JMESPath errors while searching, "The user-provided path ... does not
// exist.").
CliFailure general_error(std::string_view message);
// 255: `aws ec2 wait` WaiterError "Waiter InstanceRunning failed: REASON".
CliFailure waiter_failed(std::string_view waiter, std::string_view reason);
// High-level `aws s3` transfer result: TEXT is the whole line ("fatal error: ...", "upload failed: A to B ...").
// Exit 1 (and 2) are printed as-is; 252..255 go through the CLI's handler and gain the blank line before.
CliFailure s3_failure(std::string_view text, int exit = 1);
// 255: EndpointConnectionError "Could not connect to the endpoint URL: "URL"".
CliFailure connect_error(std::string_view endpoint_url);

// True where the real CLI v2 raises NoRegionError when no region comes from --region, AWS_REGION,
// AWS_DEFAULT_REGION or config. `service` is the CLI command name ("s3", "s3api", "sts", "ec2", ...).
bool requires_region(std::string_view service, std::string_view operation);

// difflib.get_close_matches(word, possibilities, n=3, cutoff=0.8), best first, as argparse's suggestions use.
std::vector<std::string> close_matches(std::string_view word, const std::vector<std::string>& possibilities);

}  // namespace spotcheck::fakes::aws
