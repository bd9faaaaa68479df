// Splits an aws command line into global options, service, operation and operation arguments.
#include "spotcheck/aws_grammar.hpp"

#include <algorithm>
#include <functional>
#include <map>

namespace spotcheck {
namespace {

struct Option {
  std::string name;                  // without the dashes
  std::optional<std::string> value;  // from --name=value
};

std::optional<Option> as_option(const std::string& word) {
  if (word.size() < 3 || !word.starts_with("--")) return std::nullopt;
  const auto eq = word.find('=');
  if (eq == std::string::npos) return Option{word.substr(2), std::nullopt};
  return Option{word.substr(2, eq - 2), word.substr(eq + 1)};
}

// Takes the global option at args[i], if it is one, into `out`; advances i past its value.
bool take_global(std::span<const std::string> args, std::size_t& i, AwsArgs& out) {
  const auto option = as_option(args[i]);
  const auto kind = option ? aws_global_kind(option->name) : std::nullopt;
  if (!kind || (*kind == AwsGlobalKind::Flag && option->value)) return false;
  if (*kind == AwsGlobalKind::Flag) {
    out.globals.push_back({option->name, ""});
  } else if (option->value) {
    out.globals.push_back({option->name, *option->value});
  } else if (i + 1 < args.size()) {
    out.globals.push_back({option->name, args[++i]});
  } else {
    out.missing_value = option->name;
  }
  return true;
}

}  // namespace

std::optional<AwsGlobalKind> aws_global_kind(std::string_view name) {
  using enum AwsGlobalKind;
  static const std::map<std::string_view, AwsGlobalKind, std::less<>> table = {
      {"region", Value},
      {"output", Value},
      {"query", Value},
      {"profile", Value},
      {"endpoint-url", Value},
      {"color", Value},
      {"cli-read-timeout", Value},
      {"cli-connect-timeout", Value},
      {"ca-bundle", Value},
      {"cli-binary-format", Value},
      {"no-cli-pager", Flag},
      {"no-paginate", Flag},
      {"debug", Flag},
      {"no-sign-request", Flag},
      {"no-verify-ssl", Flag},
      {"cli-auto-prompt", Flag},
      {"no-cli-auto-prompt", Flag},
      {"version", Flag},
  };
  const auto it = table.find(name);
  if (it == table.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> AwsArgs::global(std::string_view name) const {
  const auto last = std::find_if(globals.rbegin(), globals.rend(), [&](const AwsGlobal& g) { return g.name == name; });
  if (last == globals.rend()) return std::nullopt;
  return last->value;
}

bool AwsArgs::has(std::string_view name) const {
  return std::any_of(globals.begin(), globals.end(), [&](const AwsGlobal& g) { return g.name == name; });
}

AwsArgs split_aws_args(std::span<const std::string> args) {
  AwsArgs out;
  for (std::size_t i = 0; i < args.size() && !out.missing_value; ++i) {
    if (take_global(args, i, out)) continue;
    if (out.service.empty()) {
      out.service = args[i];
    } else if (out.operation.empty()) {
      out.operation = args[i];
    } else {
      out.args.push_back(args[i]);
    }
  }
  return out;
}

}  // namespace spotcheck
