// Internal to the fake aws: the real AWS CLI v2's failure texts and exit codes (see REFERENCE.md for captures).
#include "aws/cli_errors.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <utility>

#include "spotcheck/text.hpp"

namespace spotcheck::fakes::aws {
namespace {

// awscli/constants.py
constexpr int kParamValidationRc = 252;
constexpr int kConfigurationRc = 253;
constexpr int kClientErrorRc = 254;
constexpr int kGeneralErrorRc = 255;

// argparser.USAGE as format_usage() prints it, followed by the blank line ArgParseException inserts.
constexpr std::string_view kUsage =
    "usage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]\n"
    "To see help text, you can run:\n"
    "\n"
    "  aws help\n"
    "  aws <command> help\n"
    "  aws <command> <subcommand> help\n"
    "\n";

// The handler chain writes "\n", the message, "\n".
CliFailure handled(int exit, std::string_view message) {
  return {exit, "\n" + std::string(message) + "\n"};
}

// '%-40s' % choice
std::string pad40(const std::string& choice) {
  return choice.size() >= 40 ? choice : choice + std::string(40 - choice.size(), ' ');
}

// %r of a str: single-quoted unless it holds a ' and no ".
std::string python_repr(std::string_view text) {
  const bool single = text.find('\'') != std::string_view::npos;
  const char quote = single && text.find('"') == std::string_view::npos ? '"' : '\'';
  std::string out(1, quote);
  for (char c : text) {
    if (c == '\\' || c == quote) out += '\\';
    out += c;
  }
  return out + quote;
}

std::u32string decode_utf8(std::string_view s) {
  std::u32string out;
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    const std::size_t len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    char32_t c = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
    for (std::size_t k = 1; k < len && i + k < s.size(); ++k)
      c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out += c;
    i += len;
  }
  return out;
}

struct Match {
  std::size_t i, j, size;
};

// SequenceMatcher.find_longest_match without junk: longest block, earliest in a, then earliest in b.
Match longest_match(const std::u32string& a, const std::u32string& b, std::size_t alo, std::size_t ahi, std::size_t blo,
                    std::size_t bhi) {
  Match best{alo, blo, 0};
  std::vector<std::size_t> prev(b.size() + 1, 0), cur(b.size() + 1, 0);
  for (std::size_t i = alo; i < ahi; ++i) {
    std::fill(cur.begin(), cur.end(), 0);
    for (std::size_t j = blo; j < bhi; ++j) {
      if (a[i] != b[j]) continue;
      const std::size_t k = cur[j + 1] = (j > blo ? prev[j] : 0) + 1;
      if (k > best.size) best = {i + 1 - k, j + 1 - k, k};
    }
    std::swap(prev, cur);
  }
  return best;
}

// SequenceMatcher(None, a, b).ratio(): 2*M/T over the recursively found matching blocks.
double ratio(const std::u32string& a, const std::u32string& b) {
  if (a.empty() && b.empty()) return 1.0;
  std::size_t matched = 0;
  std::vector<std::array<std::size_t, 4>> queue{{0, a.size(), 0, b.size()}};
  while (!queue.empty()) {
    const auto [alo, ahi, blo, bhi] = queue.back();
    queue.pop_back();
    const Match m = longest_match(a, b, alo, ahi, blo, bhi);
    if (m.size == 0) continue;
    matched += m.size;
    if (alo < m.i && blo < m.j) queue.push_back({alo, m.i, blo, m.j});
    if (m.i + m.size < ahi && m.j + m.size < bhi) queue.push_back({m.i + m.size, ahi, m.j + m.size, bhi});
  }
  return 2.0 * static_cast<double>(matched) / static_cast<double>(a.size() + b.size());
}

std::string choice_table(const std::vector<std::string>& choices) {
  std::vector<std::string> lines;
  for (std::size_t i = 0; i < choices.size(); i += 2) {
    std::vector<std::string> pair{pad40(choices[i])};
    if (i + 1 < choices.size()) pair.push_back(pad40(choices[i + 1]));
    lines.push_back(join(pair, " | "));
  }
  return join(lines, "\n");
}

}  // namespace

std::vector<std::string> close_matches(std::string_view word, const std::vector<std::string>& possibilities) {
  const std::u32string b = decode_utf8(word);
  std::vector<std::pair<double, std::string>> scored;
  for (const auto& x : possibilities) {
    const double r = ratio(decode_utf8(x), b);
    if (r >= 0.8) scored.emplace_back(r, x);
  }
  // heapq.nlargest(3, (score, x)): highest score first, ties broken by the larger string.
  std::sort(scored.begin(), scored.end(), [](const auto& l, const auto& r) { return l > r; });
  std::vector<std::string> out;
  for (std::size_t i = 0; i < scored.size() && i < 3; ++i) out.push_back(scored[i].second);
  return out;
}

CliFailure usage_error(std::string_view message) {
  return {kParamValidationRc, "\n" + std::string(kUsage) + "aws: error: " + std::string(message) + "\n\n"};
}

CliFailure invalid_choice(std::string_view argument, std::string_view value, const std::vector<std::string>& choices) {
  std::string message =
      "argument " + std::string(argument) + ": Invalid choice, valid choices are:\n\n" + choice_table(choices);
  const auto possible = close_matches(value, choices);
  if (!possible.empty()) {
    message += "\n\n\nInvalid choice: " + python_repr(value) + ", maybe you meant:\n";
    for (const auto& word : possible) message += "\n  * " + word;
  }
  return usage_error(message);
}

CliFailure missing_required(const std::vector<std::string>& options) {
  return usage_error("the following arguments are required: " + join(options, ", "));
}

CliFailure unknown_options(const std::vector<std::string>& tokens) {
  return {kParamValidationRc, "\n" + std::string(kUsage) + "Unknown options: " + join(tokens, ", ") + "\n\n"};
}

CliFailure bad_query(std::string_view expression, std::string_view parse_error) {
  return handled(kParamValidationRc,
                 "Bad value for --query " + std::string(expression) + ": " + std::string(parse_error));
}

CliFailure missing_region() {
  return handled(kConfigurationRc,
                 "You must specify a region. You can also configure your region by running \"aws configure\".");
}

CliFailure missing_credentials() {
  return handled(kConfigurationRc,
                 "Unable to locate credentials. You can configure credentials by running \"aws configure\".");
}

CliFailure service_error(std::string_view code, std::string_view operation, std::string_view message) {
  return handled(kClientErrorRc, "An error occurred (" + std::string(code) + ") when calling the " +
                                     std::string(operation) + " operation: " + std::string(message));
}

CliFailure general_error(std::string_view message) {
  return handled(kGeneralErrorRc, message);
}

CliFailure waiter_failed(std::string_view waiter, std::string_view reason) {
  return handled(kGeneralErrorRc, "Waiter " + std::string(waiter) + " failed: " + std::string(reason));
}

CliFailure s3_failure(std::string_view text, int exit) {
  if (exit == 1 || exit == 2) return {exit, std::string(text) + "\n"};
  return handled(exit, text);
}

CliFailure connect_error(std::string_view endpoint_url) {
  return handled(kGeneralErrorRc, "Could not connect to the endpoint URL: \"" + std::string(endpoint_url) + "\"");
}

// Captured with awscli 2.9.19, no region anywhere, fake credentials, no network (see REFERENCE.md):
//
//   command                                  without a region
//   aws s3 ls / cp / sync / mb / rm / mv     no region needed: s3.amazonaws.com (us-east-1)
//   aws s3 presign                           no region needed
//   aws s3api get-object, list-buckets       no region needed: s3.amazonaws.com / bucket.s3.amazonaws.com
//   aws sts get-caller-identity, assume-role no region needed: sts.amazonaws.com
//   aws iam ..., route53, cloudfront,        no region needed (global endpoints)
//     organizations, budgets, ce, shield
//   aws ec2 describe-instances, wait ...     253 "You must specify a region."
//   aws ssm get-parameter, send-command      253
//   aws cloudwatch put-metric-data           253
//   aws ses send-email                       253
//   aws sns publish                          253
//   everything else tried (logs, sqs, lambda, dynamodb, autoscaling, ecr, secretsmanager,
//     cloudformation, pricing, globalaccelerator)  253
//
// The region check comes before the credential check: with neither, the CLI reports the region.
bool requires_region(std::string_view service, std::string_view /*operation*/) {
  static const std::set<std::string_view> global = {"s3",         "s3api",         "sts",     "iam", "route53",
                                                    "cloudfront", "organizations", "budgets", "ce",  "shield"};
  return global.count(service) == 0;
}

}  // namespace spotcheck::fakes::aws
