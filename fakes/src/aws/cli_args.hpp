// Internal to the fake aws: the command line as the AWS CLI v2 reads it (global options, service, operation,
// parameters).
#pragma once
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ordered_json.hpp"
#include "spotcheck/aws_grammar.hpp"  // pascal_case

namespace spotcheck::fakes::aws {

// Options the real CLI accepts anywhere on the line, before or after the service (which names are global,
// and which take a value: spotcheck/aws_grammar.hpp, shared with the effects oracle).
struct GlobalOptions {
  std::optional<std::string> region;
  std::optional<std::string> output;
  std::optional<std::string> query;
  std::optional<std::string> profile;
  std::optional<std::string> endpoint_url;
  std::optional<std::string> color;
  std::optional<std::string> read_timeout;
  std::optional<std::string> connect_timeout;
  bool no_cli_pager = false;
  bool no_paginate = false;
  bool debug = false;
  bool no_sign_request = false;
};

struct CommandLine {
  GlobalOptions globals;
  std::string service;            // "" when only global options were given
  std::string operation;          // "" when missing
  std::vector<std::string> args;  // everything after the operation, global options removed
};

// Splits argv (without argv[0]). Throws CliFailure for a global option missing its value.
CommandLine split_command_line(const std::vector<std::string>& argv);

// How the CLI reads one operation parameter (the service model's shape, reduced to what matters here).
enum class ParamKind {
  String,         // one value
  Integer,        // one value, must be an integer
  Boolean,        // --flag / --no-flag, no value
  StringList,     // several values: --instance-ids a b (or a JSON array)
  Structure,      // one value: shorthand `A=1,B={C=2}` or JSON
  StructureList,  // several values, one structure each (`Name=a,Values=x y` ...) or one JSON array
  Blob,           // one value; fileb:// reads raw bytes
};

struct ParamSpec {
  std::string_view name;  // CLI spelling without the dashes: "instance-ids"
  ParamKind kind = ParamKind::String;
  bool required = false;
  bool positional = false;  // given without --name, in declaration order (s3api get-object OUTFILE)
};

// Parsed parameters keyed by CLI name ("instance-ids"): strings, integers, booleans, arrays, objects.
using Params = Json;

// Parses operation arguments against the operation's parameters, as argparse with allow_abbrev: an exact
// option name, else the one name it begins (`--instance-typ`); a list parameter may have no value. Throws
// CliFailure: an ambiguous prefix, unknown_options, missing_required, a scalar missing its value (all 252).
Params parse_params(const std::vector<std::string>& args, const std::vector<ParamSpec>& specs);

// An operation parser's first pass: the first `--word` several of `names` (without dashes) begin is the CLI's
// "ambiguous option" usage error (252), wherever it stands.
void throw_if_ambiguous(const std::vector<std::string>& args, std::span<const std::string_view> names);
// The name `token` (`--instance-typ`, `--x=v`) means among `names`: exact, or the one it begins; else nullopt.
std::optional<std::string> resolved_name(const std::string& token, std::span<const std::string_view> names);

// Shorthand syntax (`Name=x,Values=a,b`, `K={A=1}`, `Tags=[{Key=k,Value=v}]`) to JSON; throws CliFailure.
Json parse_shorthand(std::string_view text, std::string_view param);
// A structure value: JSON when it parses as JSON, else shorthand.
Json parse_structure(std::string_view text, std::string_view param);

// Resolves file:// (text) and fileb:// (bytes) values; other values are returned unchanged.
std::string resolve_file_value(const std::string& value, std::string_view param);

}  // namespace spotcheck::fakes::aws
