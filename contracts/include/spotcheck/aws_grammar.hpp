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
// Their names without "--", in the order the CLI's main parser registers them (its ambiguity messages list so).
std::span<const std::string_view> aws_global_names();

// How argparse (allow_abbrev, Python 3.11) reads a long option `--word` or `--word=value` against one parser's
// option names: the exact name, else the one name `word` begins; two or more: ambiguous, a usage error.
struct AwsOptionMatch {
  std::string name;                     // the option meant, without dashes; "" when none or ambiguous
  std::vector<std::string> candidates;  // with dashes, in the parser's order, when ambiguous
};
// `token` with its dashes ("--instance-id", "--reg=x"); names without ("instance-ids").
AwsOptionMatch match_aws_option(std::string_view token, std::span<const std::string_view> names);
// argparse's text: "ambiguous option: --no-d could match --no-dry-run, --no-disable-api-stop".
std::string aws_ambiguous_option(std::string_view token, const std::vector<std::string>& candidates);

// A high-level `aws s3` command's own options, without dashes (awscli/customizations/s3/subcommands.py, the ones
// modelled): flags, and the options taking one value (--include/--exclude where the command filters). The fake's
// reader and the effects oracle both resolve abbreviations against them. nullptr for a command not modelled.
struct AwsS3CommandOptions {
  std::vector<std::string_view> flags;
  std::vector<std::string_view> valued;
};
const AwsS3CommandOptions* aws_s3_command_options(std::string_view command);

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
  std::optional<std::string> ambiguous;      // a word several globals begin: aws_ambiguous_option's text (usage)

  std::optional<std::string> global(std::string_view name) const;  // the last value given, as argparse keeps
  bool has(std::string_view name) const;
};

// argv[0] excluded. A global reads `--name=value`, or `--name value` whatever the next word is; a flag given
// as `--flag=value` is no global (the CLI rejects it) and stays in the line. A unique prefix of a global's name
// is that global (`--reg x` is `--region x`), as the CLI's main parser reads every `--word` on the line first.
AwsArgs split_aws_args(std::span<const std::string> args);

// "describe-instances" -> "DescribeInstances": the API operation a CLI operation calls, as the CLI names it in
// its error messages and table titles (the fake's answers and explore's injected errors alike).
std::string pascal_case(std::string_view dashed);

}  // namespace spotcheck
