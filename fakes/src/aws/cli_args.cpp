// The fake aws's command-line reader: the shared grammar (spotcheck/aws_grammar.hpp) finds the global options,
// service and operation; this file fills GlobalOptions and reads the operation's typed parameters.
#include "aws/cli_args.hpp"

#include <algorithm>
#include <cctype>

#include "aws/cli_errors.hpp"
#include "spotcheck/aws_grammar.hpp"
#include "spotcheck/file_io.hpp"
#include "spotcheck/text.hpp"

namespace spotcheck::fakes::aws {
namespace {

struct Option {
  std::string name;                  // without the dashes
  std::optional<std::string> value;  // from --name=value
};

std::optional<Option> as_option(const std::string& token) {
  if (token.size() < 3 || token.rfind("--", 0) != 0) return std::nullopt;
  const auto eq = token.find('=');
  if (eq == std::string::npos) return Option{token.substr(2), std::nullopt};
  return Option{token.substr(2, eq - 2), token.substr(eq + 1)};
}

// The globals the fake acts on, by name; the others (--ca-bundle, --no-verify-ssl ...) are accepted and ignored.
GlobalOptions globals_of(const AwsArgs& line) {
  GlobalOptions g;
  g.region = line.global("region");
  g.output = line.global("output");
  g.query = line.global("query");
  g.profile = line.global("profile");
  g.endpoint_url = line.global("endpoint-url");
  g.color = line.global("color");
  g.read_timeout = line.global("cli-read-timeout");
  g.connect_timeout = line.global("cli-connect-timeout");
  g.no_cli_pager = line.has("no-cli-pager");
  g.no_paginate = line.has("no-paginate");
  g.debug = line.has("debug");
  g.no_sign_request = line.has("no-sign-request");
  return g;
}

}  // namespace

CommandLine split_command_line(const std::vector<std::string>& argv) {
  AwsArgs line = split_aws_args(argv);
  if (line.ambiguous) throw usage_error(*line.ambiguous);
  if (line.missing_value) throw usage_error("argument --" + *line.missing_value + ": expected one argument");
  return CommandLine{globals_of(line), std::move(line.service), std::move(line.operation), std::move(line.args)};
}

std::string resolve_file_value(const std::string& value, std::string_view param) {
  std::string path;
  if (value.rfind("file://", 0) == 0) path = value.substr(7);
  if (value.rfind("fileb://", 0) == 0) path = value.substr(8);
  if (path.empty()) return value;
  auto bytes = read_file_bytes(path);
  if (!bytes) {
    throw usage_error("Error parsing parameter '--" + std::string(param) + "': Unable to load paramfile " + value +
                      ": [Errno 2] No such file or directory: '" + path + "'");
  }
  return std::move(*bytes);
}

namespace {

const ParamSpec* find_spec(const std::vector<ParamSpec>& specs, std::string_view name) {
  for (const auto& s : specs) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

// The operation parser's option strings in its order: each parameter, a boolean's `no-` form after it, then
// the options every API operation has.
std::vector<std::string> option_names(const std::vector<ParamSpec>& specs) {
  std::vector<std::string> names;
  for (const auto& s : specs) {
    if (s.positional) continue;
    names.emplace_back(s.name);
    if (s.kind == ParamKind::Boolean) names.push_back("no-" + std::string(s.name));
  }
  for (const char* common : {"cli-input-json", "cli-input-yaml", "generate-cli-skeleton"}) {
    if (std::find(names.begin(), names.end(), common) == names.end()) names.emplace_back(common);
  }
  return names;
}

bool is_option_token(const std::string& token) {
  return token.size() > 2 && token.rfind("--", 0) == 0;
}

// Shorthand lists of scalars are comma-separated; JSON arrays are read as JSON.
void append_list_values(Json& list, const std::string& raw, std::string_view param) {
  const std::string text = resolve_file_value(raw, param);
  if (!text.empty() && text.front() == '[') {
    const Json parsed = Json::parse(text, nullptr, false);
    if (parsed.is_array()) {
      for (const auto& v : parsed) list.push_back(v);
      return;
    }
  }
  for (const auto& part : split(text, ',')) list.push_back(part);
}

void append_structures(Json& list, const std::string& raw, std::string_view param) {
  const Json value = parse_structure(resolve_file_value(raw, param), param);
  if (value.is_array()) {
    for (const auto& v : value) list.push_back(v);
  } else {
    list.push_back(value);
  }
}

Json scalar_value(const ParamSpec& spec, const std::string& raw) {
  const std::string text = resolve_file_value(raw, spec.name);
  switch (spec.kind) {
    case ParamKind::Integer: {
      std::size_t used = 0;
      long long n = 0;
      try {
        n = std::stoll(text, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used == 0 || used != text.size()) {
        // Not argparse's: the CLI converts while building the request, and Python's int() fails (255).
        throw general_error("invalid literal for int() with base 10: '" + text + "'");
      }
      return n;
    }
    case ParamKind::Structure:
      return parse_structure(text, spec.name);
    default:
      return text;
  }
}

// Values following a parameter, up to the next --option (at most one for a single-valued parameter).
std::vector<std::string> take_values(const std::vector<std::string>& args, std::size_t& i, bool multi = true) {
  std::vector<std::string> values;
  while (i + 1 < args.size() && !is_option_token(args[i + 1]) && (multi || values.empty())) values.push_back(args[++i]);
  return values;
}

void parse_one(const std::vector<std::string>& args, std::size_t& i, const ParamSpec& spec,
               const std::optional<std::string>& inline_value, Params& params) {
  const std::string name(spec.name);
  const bool multi = spec.kind == ParamKind::StringList || spec.kind == ParamKind::StructureList;
  std::vector<std::string> values =
      inline_value ? std::vector<std::string>{*inline_value} : take_values(args, i, multi);
  // Lists are nargs='*' in the CLI: `--instance-ids` alone is an empty list, and the request is sent.
  if (values.empty() && !multi) throw usage_error("argument --" + name + ": expected one argument");
  if (!multi) {
    params[name] = scalar_value(spec, values.front());
    return;
  }
  Json list = Json::array();
  for (const auto& v : values) {
    if (spec.kind == ParamKind::StringList) {
      append_list_values(list, v, spec.name);
    } else {
      append_structures(list, v, spec.name);
    }
  }
  params[name] = list;
}

// --flag / --no-flag for a Boolean parameter; returns false when `name` is no boolean spelling.
bool parse_boolean(const std::vector<ParamSpec>& specs, const std::string& name, Params& params) {
  if (const auto* spec = find_spec(specs, name); spec && spec->kind == ParamKind::Boolean) {
    params[name] = true;
    return true;
  }
  if (name.rfind("no-", 0) == 0) {
    const std::string base = name.substr(3);
    if (const auto* spec = find_spec(specs, base); spec && spec->kind == ParamKind::Boolean) {
      params[base] = false;
      return true;
    }
  }
  return false;
}

void check_required(const std::vector<ParamSpec>& specs, const Params& params) {
  std::vector<std::string> missing;
  for (const auto& s : specs) {
    if (s.required && !params.contains(std::string(s.name))) {
      missing.push_back(s.positional ? std::string(s.name) : "--" + std::string(s.name));
    }
  }
  if (!missing.empty()) throw missing_required(missing);
}

}  // namespace

void throw_if_ambiguous(const std::vector<std::string>& args, std::span<const std::string_view> names) {
  for (const auto& word : args) {
    if (word == "--") break;
    const auto match = match_aws_option(word, names);
    if (!match.candidates.empty()) throw usage_error(aws_ambiguous_option(word, match.candidates));
  }
}

std::optional<std::string> resolved_name(const std::string& token, std::span<const std::string_view> names) {
  auto match = match_aws_option(token, names);
  if (match.name.empty()) return std::nullopt;
  return std::move(match.name);
}

Params parse_params(const std::vector<std::string>& args, const std::vector<ParamSpec>& specs) {
  const std::vector<std::string> owned = option_names(specs);
  const std::vector<std::string_view> names(owned.begin(), owned.end());
  throw_if_ambiguous(args, names);
  Params params = Json::object();
  std::vector<std::string> unknown;
  for (std::size_t i = 0; i < args.size(); ++i) {
    auto opt = as_option(args[i]);
    if (opt) opt->name = resolved_name(args[i], names).value_or(opt->name);
    if (!opt) {
      const auto slot = std::find_if(specs.begin(), specs.end(), [&](const ParamSpec& s) {
        return s.positional && !params.contains(std::string(s.name));
      });
      if (slot != specs.end()) {
        params[std::string(slot->name)] = args[i];
      } else {
        unknown.push_back(args[i]);
      }
      continue;
    }
    if (!opt->value && parse_boolean(specs, opt->name, params)) continue;
    const auto* spec = find_spec(specs, opt->name);
    if (!spec || spec->kind == ParamKind::Boolean) {
      unknown.push_back(args[i]);
      if (!opt->value) {
        for (auto& v : take_values(args, i)) unknown.push_back(std::move(v));
      }
      continue;
    }
    parse_one(args, i, *spec, opt->value, params);
  }
  check_required(specs, params);  // argparse reports missing arguments before unknown ones
  if (!unknown.empty()) throw unknown_options(unknown);
  return params;
}

}  // namespace spotcheck::fakes::aws
