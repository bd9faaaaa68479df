// Internal to the fake aws: region and credential resolution in the AWS CLI v2's order.
#pragma once
#include <optional>
#include <string>

#include "aws/cli_args.hpp"
#include "spotcheck/fakes/context.hpp"

namespace spotcheck::fakes::aws {

// Where a setting came from, for messages and tests.
struct Resolved {
  std::string value;
  std::string source;  // "--region", "AWS_REGION", "config-file", "imds", "env", "shared-credentials-file", ...
};

// --region, AWS_REGION, AWS_DEFAULT_REGION, the config file's profile, then (on a spot host) instance metadata.
std::optional<Resolved> resolve_region(const GlobalOptions& globals, const Context& ctx);
// Env keys, the shared credentials file, the config file, then ambient (world "credentials"): the
// dispatcher's role or the spot's instance profile. Throws CliFailure (255) for a named profile that is absent.
std::optional<Resolved> resolve_credentials(const GlobalOptions& globals, const Context& ctx);
// --output, AWS_DEFAULT_OUTPUT, the config file's `output`, else "json".
std::string resolve_output(const GlobalOptions& globals, const Context& ctx);

// A value from the config file ([default] or [profile NAME]); used by `aws configure get`.
std::optional<std::string> config_value(const GlobalOptions& globals, const std::string& key);

}  // namespace spotcheck::fakes::aws
