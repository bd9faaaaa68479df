// Splits an aws command line into global options, service, operation and operation arguments.
#include "spotcheck/aws_grammar.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <functional>
#include <map>

namespace spotcheck {
namespace {

struct GlobalDef {
  std::string_view name;
  AwsGlobalKind kind;
};

// awscli/data/cli.json in its order, then `--version` (MainArgParser adds it last).
constexpr std::array<GlobalDef, 18> kGlobals = {{
    {"debug", AwsGlobalKind::Flag},
    {"endpoint-url", AwsGlobalKind::Value},
    {"no-verify-ssl", AwsGlobalKind::Flag},
    {"no-paginate", AwsGlobalKind::Flag},
    {"output", AwsGlobalKind::Value},
    {"query", AwsGlobalKind::Value},
    {"profile", AwsGlobalKind::Value},
    {"region", AwsGlobalKind::Value},
    {"color", AwsGlobalKind::Value},
    {"no-sign-request", AwsGlobalKind::Flag},
    {"ca-bundle", AwsGlobalKind::Value},
    {"cli-read-timeout", AwsGlobalKind::Value},
    {"cli-connect-timeout", AwsGlobalKind::Value},
    {"cli-binary-format", AwsGlobalKind::Value},
    {"no-cli-pager", AwsGlobalKind::Flag},
    {"cli-auto-prompt", AwsGlobalKind::Flag},
    {"no-cli-auto-prompt", AwsGlobalKind::Flag},
    {"version", AwsGlobalKind::Flag},
}};

constexpr std::array<std::string_view, kGlobals.size()> kGlobalNames = [] {
  std::array<std::string_view, kGlobals.size()> names{};
  for (std::size_t i = 0; i < kGlobals.size(); ++i) names[i] = kGlobals[i].name;
  return names;
}();

struct Option {
  std::string name;                  // without the dashes, resolved to the global it abbreviates
  std::optional<std::string> value;  // from --name=value
};

std::optional<Option> as_global(const std::string& word) {
  if (word.size() < 3 || !word.starts_with("--")) return std::nullopt;
  const auto match = match_aws_option(word, kGlobalNames);
  if (match.name.empty()) return std::nullopt;
  const auto eq = word.find('=');
  if (eq == std::string::npos) return Option{match.name, std::nullopt};
  return Option{match.name, word.substr(eq + 1)};
}

// Takes the global option at args[i], if it is one, into `out`; advances i past its value.
bool take_global(std::span<const std::string> args, std::size_t& i, AwsArgs& out) {
  const auto option = as_global(args[i]);
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

// argparse classifies every word before it consumes any: the first word several globals begin fails the line.
std::optional<std::string> first_ambiguous(std::span<const std::string> args) {
  for (const auto& word : args) {
    if (word == "--") break;
    if (word.size() < 3 || !word.starts_with("--")) continue;
    const auto match = match_aws_option(word, kGlobalNames);
    if (!match.candidates.empty()) return aws_ambiguous_option(word, match.candidates);
  }
  return std::nullopt;
}

std::vector<std::string_view> plus(std::vector<std::string_view> base, std::initializer_list<std::string_view> more) {
  base.insert(base.end(), more);
  return base;
}

const std::vector<std::string_view> kTransferFlags = {"recursive",
                                                      "quiet",
                                                      "only-show-errors",
                                                      "no-progress",
                                                      "dryrun",
                                                      "follow-symlinks",
                                                      "no-follow-symlinks",
                                                      "no-guess-mime-type",
                                                      "force-glacier-transfer",
                                                      "ignore-glacier-warnings",
                                                      "request-payer"};
const std::vector<std::string_view> kTransferValued = {"content-type",
                                                       "metadata",
                                                       "metadata-directive",
                                                       "sse",
                                                       "sse-kms-key-id",
                                                       "storage-class",
                                                       "acl",
                                                       "cache-control",
                                                       "content-disposition",
                                                       "content-encoding",
                                                       "content-language",
                                                       "expires",
                                                       "source-region",
                                                       "expected-size",
                                                       "grants",
                                                       "website-redirect",
                                                       "page-size",
                                                       "sse-c",
                                                       "sse-c-key",
                                                       "checksum-algorithm",
                                                       "include",
                                                       "exclude"};

}  // namespace

const AwsS3CommandOptions* aws_s3_command_options(std::string_view command) {
  static const std::map<std::string_view, AwsS3CommandOptions, std::less<>> table = {
      {"ls",
       {{"recursive", "human-readable", "summarize", "request-payer"},
        {"page-size", "bucket-name-prefix", "bucket-region"}}},
      {"cp", {kTransferFlags, kTransferValued}},
      {"mv", {kTransferFlags, kTransferValued}},
      {"rm",
       {{"recursive", "quiet", "only-show-errors", "dryrun", "request-payer"}, {"page-size", "include", "exclude"}}},
      {"sync", {plus(kTransferFlags, {"delete", "size-only", "exact-timestamps"}), kTransferValued}},
      {"mb", {{}, {}}},
      {"rb", {{"force"}, {}}},
      {"presign", {{}, {"expires-in"}}},
  };
  const auto it = table.find(command);
  return it == table.end() ? nullptr : &it->second;
}

std::optional<AwsGlobalKind> aws_global_kind(std::string_view name) {
  const auto it = std::find_if(kGlobals.begin(), kGlobals.end(), [&](const GlobalDef& g) { return g.name == name; });
  if (it == kGlobals.end()) return std::nullopt;
  return it->kind;
}

std::span<const std::string_view> aws_global_names() {
  return kGlobalNames;
}

AwsOptionMatch match_aws_option(std::string_view token, std::span<const std::string_view> names) {
  if (token.size() < 3 || !token.starts_with("--")) return {};
  const auto eq = token.find('=');
  const std::string_view word = eq == std::string_view::npos ? token.substr(2) : token.substr(2, eq - 2);
  if (std::find(names.begin(), names.end(), word) != names.end()) return {std::string(word), {}};
  std::vector<std::string> begun;
  for (std::string_view name : names) {
    if (name.starts_with(word)) begun.push_back("--" + std::string(name));
  }
  if (begun.size() == 1) return {begun.front().substr(2), {}};
  if (begun.empty()) return {};
  return {"", std::move(begun)};
}

std::string aws_ambiguous_option(std::string_view token, const std::vector<std::string>& candidates) {
  std::string text = "ambiguous option: " + std::string(token) + " could match ";
  for (std::size_t i = 0; i < candidates.size(); ++i) text += (i ? ", " : "") + candidates[i];
  return text;
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
  out.ambiguous = first_ambiguous(args);
  for (std::size_t i = 0; i < args.size() && !out.missing_value && !out.ambiguous; ++i) {
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

std::string pascal_case(std::string_view dashed) {
  std::string out;
  bool upper = true;
  for (char c : dashed) {
    if (c == '-') {
      upper = true;
      continue;
    }
    out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return out;
}

}  // namespace spotcheck
