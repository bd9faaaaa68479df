// The AWS CLI v2's command line as its top-level parser reads it: global options anywhere on the line, then
// the service, the operation and the operation's own arguments. One table, read by the fake aws
// (fakes/src/aws/cli_args.cpp adds the typed parameters and the CLI's errors) and by the effects oracle alike.
#pragma once
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace spotcheck {

enum class AwsGlobalKind { Flag, Value };

// The CLI's global options by name without "--" ("region": Value, "debug": Flag); nullopt for any other name.
std::optional<AwsGlobalKind> aws_global_kind(std::string_view name);

struct AwsGlobal {
  std::string name;   // without the dashes: "region"
  std::string value;  // "" for a flag
};

struct AwsArgs {
  std::vector<AwsGlobal> globals;            // in the order given
  std::string service;                       // the first other word; "" when only global options were given
  std::string operation;                     // the second; "" when missing
  std::vector<std::string> args;             // everything after the operation, global options removed
  std::optional<std::string> missing_value;  // a valued global last on the line, without its value (a usage error)

  std::optional<std::string> global(std::string_view name) const;  // the last value given, as argparse keeps
  bool has(std::string_view name) const;
};

// argv[0] excluded. A global reads `--name=value`, or `--name value` whatever the next word is; a flag given
// as `--flag=value` is no global (the CLI rejects it) and stays in the line.
AwsArgs split_aws_args(std::span<const std::string> args);

}  // namespace spotcheck
