// The effects oracle: which taxonomy effects one recorded call stands for, judged from its argv alone.
//
// Decisions the taxonomy leaves open (kept here so the oracle and its tests agree):
// - Transports (sudo, timeout, nohup, env, nice, bash -c ...) classify as nothing: the child they run is
//   recorded separately and carries its own effects. The spot watchdog is therefore the systemd-run
//   record (`systemd-run ... shutdown`), never the sudo in front of it.
// - `aws ... --dry-run` (ec2) and `aws s3 ... --dryrun` change nothing: they keep their reads, drop writes.
//   `--generate-cli-skeleton` runs no operation at all.
// - metric.write covers every CloudWatch / CloudWatch Logs write (put-*, set-*, create-*, delete-*), not only
//   put-metric-data: a preflight that must write nothing must not touch telemetry either.
// - An s3 write that covers a directory (sync, --recursive, rb --force, delete-objects from a file) is a
//   config.write when that directory overlaps a config prefix, including the bucket root: argv cannot
//   tell which keys land there, and a config prefix is a safety property, so the oracle errs toward flagging.
// - Any URL host other than *.amazonaws.com and the instance metadata service is external.api — localhost
//   too, because the sandbox has no network and every attempted connection counts.
// - ssh, scp and aws command lines are split by the grammars the fakes use (spotcheck/ssh_grammar.hpp,
//   spotcheck/aws_grammar.hpp), so both read the same destination, operands, service and operation. A line
//   that grammar rejects (an option ssh does not know, scp with one operand, an aws global without its value)
//   or that only prints (ssh -V, aws --version) stands for nothing: the real tool runs nothing for it.
#include "spotcheck/effects.hpp"

#include <algorithm>
#include <cctype>
#include <functional>
#include <optional>
#include <regex>
#include <set>
#include <span>

#include "spotcheck/aws_grammar.hpp"
#include "spotcheck/ssh_grammar.hpp"
#include "spotcheck/text.hpp"

namespace spotcheck {
namespace {

using Args = std::span<const std::string>;
using EffectSet = std::set<std::string>;
using Words = std::set<std::string_view, std::less<>>;

std::string_view basename_of(std::string_view path) {
  auto slash = path.find_last_of('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// "describe-*" matches every operation starting with "describe-"; other patterns match exactly.
bool matches(std::string_view pattern, std::string_view operation) {
  if (pattern.ends_with('*')) {
    return operation.starts_with(pattern.substr(0, pattern.size() - 1));
  }
  return pattern == operation;
}

bool matches_any(std::initializer_list<std::string_view> patterns, std::string_view operation) {
  return std::any_of(patterns.begin(), patterns.end(), [&](auto p) { return matches(p, operation); });
}

// ---------------------------------------------------------------- option scanning

// How a tool reads its options: which take a value, and whether the first positional starts a command.
struct OptionGrammar {
  std::function<bool(std::string_view)> long_takes_value = [](std::string_view) { return false; };
  std::string_view short_with_value;  // letters whose option takes a value: -i key, -ikey
  bool command_follows = false;       // ssh HOST CMD..., git CMD ..., systemd-run CMD ...
};

struct ScannedArgs {
  std::vector<std::string> positionals;  // with command_follows: the first positional and everything after it
  std::vector<std::pair<std::string, std::string>> options;  // ("--key", "v"), ("-i", "k"); flags have ""

  bool has(std::string_view name) const {
    return std::any_of(options.begin(), options.end(), [&](const auto& o) { return o.first == name; });
  }
  std::optional<std::string> value(std::string_view name) const {
    for (const auto& [option, value] : options) {
      if (option == name) {
        return value;
      }
    }
    return std::nullopt;
  }
};

// A long option reads `--k=v`, or `--k v` when it takes a value and the next token is not an option.
std::size_t scan_long(Args args, std::size_t i, const OptionGrammar& grammar, ScannedArgs& out) {
  const std::string& token = args[i];
  if (auto eq = token.find('='); eq != std::string::npos) {
    out.options.emplace_back(token.substr(0, eq), token.substr(eq + 1));
    return i;
  }
  if (grammar.long_takes_value && grammar.long_takes_value(token) && i + 1 < args.size() &&
      !args[i + 1].starts_with("--")) {
    out.options.emplace_back(token, args[i + 1]);
    return i + 1;
  }
  out.options.emplace_back(token, "");
  return i;
}

// A short cluster `-tti key` or `-ikey`: flags until the first letter that takes a value.
std::size_t scan_short(Args args, std::size_t i, const OptionGrammar& grammar, ScannedArgs& out) {
  const std::string& token = args[i];
  for (std::size_t j = 1; j < token.size(); ++j) {
    std::string name{'-', token[j]};
    if (grammar.short_with_value.find(token[j]) == std::string_view::npos) {
      out.options.emplace_back(name, "");
    } else if (j + 1 < token.size()) {
      out.options.emplace_back(name, token.substr(j + 1));
      return i;
    } else {
      out.options.emplace_back(name, i + 1 < args.size() ? args[i + 1] : "");
      return std::min(i + 1, args.size() - 1);
    }
  }
  return i;
}

ScannedArgs scan(Args args, const OptionGrammar& grammar) {
  ScannedArgs out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& token = args[i];
    bool positional = token.size() < 2 || token[0] != '-';
    if (token == "--" || (positional && grammar.command_follows)) {
      out.positionals.insert(out.positionals.end(), args.begin() + static_cast<std::ptrdiff_t>(i + (token == "--")),
                             args.end());
      break;
    }
    if (positional) {
      out.positionals.push_back(token);
    } else if (token[1] == '-') {
      i = scan_long(args, i, grammar, out);
    } else {
      i = scan_short(args, i, grammar, out);
    }
  }
  return out;
}

std::function<bool(std::string_view)> one_of(const Words& words) {
  return [&words](std::string_view option) { return words.contains(option); };
}

// ---------------------------------------------------------------- URLs and hosts

// The host of `scheme://user@host:port/path`, `host/path` (curl and httpie default to http) or `[v6]:port`.
std::string url_host(std::string_view url) {
  if (auto scheme = url.find("://"); scheme != std::string_view::npos) {
    url = url.substr(scheme + 3);
  }
  url = url.substr(0, url.find_first_of("/?#"));
  if (auto at = url.rfind('@'); at != std::string_view::npos) {
    url = url.substr(at + 1);
  }
  if (url.starts_with('[')) {
    return ascii_lowercase(url.substr(1, url.find(']') - 1));
  }
  return ascii_lowercase(url.substr(0, url.find(':')));
}

bool is_aws_host(const std::string& host) {
  static const Words metadata = {"169.254.169.254", "fd00:ec2::254"};
  return metadata.contains(host) || host == "amazonaws.com" || host.ends_with(".amazonaws.com") ||
         host.ends_with(".amazonaws.com.cn");
}

// A URL that reaches the network outside AWS (file:// reaches nothing).
bool is_external_url(std::string_view url) {
  if (ascii_lowercase(url).starts_with("file:")) {
    return false;
  }
  return !is_aws_host(url_host(url));
}

EffectSet external_if_any(const std::vector<std::string>& urls) {
  bool external = std::any_of(urls.begin(), urls.end(), [](const auto& url) { return is_external_url(url); });
  return external ? EffectSet{"external.api"} : EffectSet{};
}

// ---------------------------------------------------------------- aws: s3 access model

struct S3Url {
  std::string bucket;
  std::string key;  // "" for the bucket itself
};

std::optional<S3Url> parse_s3_url(std::string_view text) {
  if (!ascii_lowercase(text.substr(0, 5)).starts_with("s3://")) {
    return std::nullopt;
  }
  text = text.substr(5);
  auto slash = text.find('/');
  if (slash == std::string_view::npos) {
    return S3Url{std::string(text), ""};
  }
  return S3Url{std::string(text.substr(0, slash)), std::string(text.substr(slash + 1))};
}

// What one s3 command touches. A directory write covers every key under it.
struct S3Access {
  bool reads = false;
  bool writes = false;
  std::vector<std::string> written_keys;
  std::vector<std::string> written_dirs;

  void write(const std::string& key, bool as_directory) {
    writes = true;
    (as_directory ? written_dirs : written_keys).push_back(key);
  }
};

bool dir_overlaps(std::string dir, const std::string& prefix) {
  if (!dir.empty() && !dir.ends_with('/')) {
    dir += '/';
  }
  return dir.starts_with(prefix) || prefix.starts_with(dir);
}

bool writes_config(const S3Access& access, const std::vector<std::string>& prefixes) {
  return std::any_of(prefixes.begin(), prefixes.end(), [&](const std::string& prefix) {
    auto key_under = [&](const std::string& key) { return key.starts_with(prefix); };
    auto dir_over = [&](const std::string& dir) { return dir_overlaps(dir, prefix); };
    return std::any_of(access.written_keys.begin(), access.written_keys.end(), key_under) ||
           std::any_of(access.written_dirs.begin(), access.written_dirs.end(), dir_over);
  });
}

EffectSet effects_of(const S3Access& access, const ClassifyOptions& options, bool dry_run) {
  EffectSet effects;
  if (access.reads) {
    effects.insert("s3.read");
  }
  if (access.writes && !dry_run) {
    effects.insert("s3.write");
    if (writes_config(access, options.config_prefixes)) {
      effects.insert("config.write");
    }
  }
  return effects;
}

// ---------------------------------------------------------------- aws: s3 (high level)

// `cp a s3://b/dir/` lands at dir/a: the destination key of a single-object copy.
std::string object_key(const std::string& destination_key, const std::string& source) {
  if (!destination_key.empty() && !destination_key.ends_with('/')) {
    return destination_key;
  }
  if (source == "-") {
    return destination_key;
  }
  return destination_key + std::string(basename_of(source));
}

S3Access s3_transfer(const std::string& operation, const std::vector<std::string>& operands, bool recursive) {
  S3Access access;
  if (operands.size() < 2) {
    return access;
  }
  const std::string& source = operands[0];
  const std::string& destination = operands[1];
  bool as_directory = recursive || operation == "sync";
  if (auto from = parse_s3_url(source)) {
    access.reads = true;
    if (operation == "mv") {
      access.write(from->key, as_directory);  // mv deletes what it moved
    }
  }
  if (auto to = parse_s3_url(destination)) {
    access.write(as_directory ? to->key : object_key(to->key, source), as_directory);
  }
  return access;
}

S3Access s3_high_level(const std::string& operation, const std::vector<std::string>& operands,
                       const ScannedArgs& scanned) {
  bool recursive = scanned.has("--recursive");
  S3Access access;
  if (operation == "cp" || operation == "mv" || operation == "sync") {
    return s3_transfer(operation, operands, recursive);
  }
  if (operation == "ls" || operation == "presign") {
    access.reads = true;
  }
  if (operation == "mb" || operation == "website") {
    access.writes = true;
  }
  if (operation == "rm" && !operands.empty()) {
    if (auto target = parse_s3_url(operands[0])) {
      access.write(target->key, recursive);
    }
  }
  if (operation == "rb") {
    access.writes = true;
    if (scanned.has("--force")) {
      access.write("", true);  // --force empties the bucket first
    }
  }
  return access;
}

// ---------------------------------------------------------------- aws: s3api

// Keys named in delete-objects' --delete, JSON (`"Key": "k"`) or shorthand (`Key=k`).
std::vector<std::string> keys_in_delete_spec(const std::string& spec) {
  static const std::regex key_pattern(R"re("Key"\s*:\s*"([^"]*)"|Key=([^,}\]]*))re");
  std::vector<std::string> keys;
  for (std::sregex_iterator it(spec.begin(), spec.end(), key_pattern), end; it != end; ++it) {
    keys.push_back((*it)[1].matched ? (*it)[1].str() : (*it)[2].str());
  }
  return keys;
}

bool is_s3api_write(std::string_view operation) {
  return matches_any({"put-*", "delete-*", "copy-object", "create-*", "upload-part*", "complete-multipart-upload",
                      "abort-multipart-upload", "restore-object"},
                     operation);
}

bool is_s3api_read(std::string_view operation) {
  return matches_any({"get-*", "head-*", "list-*", "select-object-content", "wait"}, operation);
}

S3Access s3api_access(const std::string& operation, const ScannedArgs& scanned) {
  S3Access access;
  access.reads = is_s3api_read(operation) || operation == "copy-object" || operation == "upload-part-copy";
  if (!is_s3api_write(operation)) {
    return access;
  }
  access.writes = true;
  if (auto key = scanned.value("--key")) {
    access.write(*key, false);
  }
  if (operation == "delete-objects") {
    std::string spec = scanned.value("--delete").value_or("");
    std::vector<std::string> keys = keys_in_delete_spec(spec);
    if (keys.empty()) {
      access.write("", true);  // keys from a file: unknown, so assume any
    }
    for (const auto& key : keys) {
      access.write(key, false);
    }
  }
  return access;
}

// ---------------------------------------------------------------- aws: the other services

struct OperationRule {
  std::string_view pattern;
  std::vector<std::string> effects;
};

const std::map<std::string_view, std::vector<OperationRule>, std::less<>>& service_rules() {
  static const std::map<std::string_view, std::vector<OperationRule>, std::less<>> rules = {
      {"ec2",
       {{"run-instances", {"ec2.launch"}},
        {"request-spot-instances", {"ec2.launch"}},
        {"request-spot-fleet", {"ec2.launch"}},
        {"create-fleet", {"ec2.launch"}},
        {"terminate-instances", {"ec2.terminate"}},
        {"cancel-spot-instance-requests", {"ec2.terminate"}},
        {"cancel-spot-fleet-requests", {"ec2.terminate"}},
        {"delete-fleets", {"ec2.terminate"}},
        {"wait", {"ec2.wait"}},
        {"describe-*", {"ec2.describe"}}}},
      {"cloudwatch", {{"put-*", {"metric.write"}}, {"set-*", {"metric.write"}}, {"delete-*", {"metric.write"}}}},
      {"logs", {{"put-*", {"metric.write"}}, {"create-*", {"metric.write"}}, {"delete-*", {"metric.write"}}}},
      {"ssm",
       {{"get-parameter", {"secret.read"}},
        {"get-parameters", {"secret.read"}},
        {"get-parameters-by-path", {"secret.read"}},
        {"get-parameter-history", {"secret.read"}},
        {"put-parameter", {"secret.write"}},
        {"delete-parameter", {"secret.write"}},
        {"delete-parameters", {"secret.write"}},
        {"send-command", {"remote.exec"}}}},
      {"secretsmanager",
       {{"get-secret-value", {"secret.read"}},
        {"batch-get-secret-value", {"secret.read"}},
        {"put-secret-value", {"secret.write"}},
        {"create-secret", {"secret.write"}},
        {"update-secret", {"secret.write"}},
        {"delete-secret", {"secret.write"}}}},
      {"ses", {{"send-*", {"notify"}}}},
      {"sesv2", {{"send-*", {"notify"}}}},
      {"sns", {{"publish", {"notify"}}, {"publish-batch", {"notify"}}}},
      {"sts", {{"get-caller-identity", {"identity.read"}}}},
  };
  return rules;
}

EffectSet by_service_table(const std::string& service, const std::string& operation, const ScannedArgs& scanned) {
  auto rules = service_rules().find(service);
  if (rules == service_rules().end()) {
    return {};
  }
  for (const auto& rule : rules->second) {
    if (!matches(rule.pattern, operation)) {
      continue;
    }
    bool changes_state = rule.effects.front() == "ec2.launch" || rule.effects.front() == "ec2.terminate";
    if (changes_state && scanned.has("--dry-run")) {
      return {};  // DryRunOperation: nothing launched or ended
    }
    return EffectSet(rule.effects.begin(), rule.effects.end());
  }
  return {};
}

// ---------------------------------------------------------------- aws: command line

// Flags (no value) of API operations and of the high-level s3 commands; every other operation `--option`
// takes one value, as in the CLI. `--delete` is a flag for `s3 sync` but a value for s3api. The global
// options are the grammar's (spotcheck/aws_grammar.hpp), taken off the line before this scan.
const Words kAwsFlags = {"--help",
                         "--generate-cli-skeleton",
                         "--dry-run",
                         "--with-decryption",
                         "--overwrite",
                         "--recursive",
                         "--associate-public-ip-address",
                         "--ebs-optimized",
                         "--disable-api-termination",
                         "--force-delete-without-recovery"};
const Words kS3CommandFlags = {"--dryrun",
                               "--quiet",
                               "--recursive",
                               "--follow-symlinks",
                               "--only-show-errors",
                               "--no-progress",
                               "--ignore-glacier-warnings",
                               "--force-glacier-transfer",
                               "--delete",
                               "--exact-timestamps",
                               "--size-only",
                               "--human-readable",
                               "--summarize",
                               "--force"};

const OptionGrammar& aws_operation_grammar(bool s3_commands) {
  auto takes_value = [](const Words& extra_flags) {
    return [&extra_flags](std::string_view option) {
      return !kAwsFlags.contains(option) && !extra_flags.contains(option) && !option.starts_with("--no-");
    };
  };
  static const Words none;
  static const OptionGrammar api{takes_value(none), "", false};
  static const OptionGrammar s3{takes_value(kS3CommandFlags), "", false};
  return s3_commands ? s3 : api;
}

// Valued options of the API operations the oracle reads.
const Words kAwsValues = {"--key", "--delete", "--bucket"};

// The CLI accepts any unambiguous prefix of an option (argparse's allow_abbrev): `--rec` is `--recursive`,
// `--dry` is `--dry-run`. Each `--word` the oracle's option names begin uniquely is written out in full before
// the scan, so an abbreviation classifies as its full name. The high-level s3 commands' options are the
// grammar's (aws_s3_command_options), the fake's too; of an API operation the oracle knows only the options it
// reads: a word the CLI finds ambiguous among options the oracle does not know is read as the one it knows,
// where the CLI fails the line (252) and does nothing; the oracle then over-counts.
std::vector<std::string> expand_abbreviations(const AwsArgs& line) {
  std::vector<std::string_view> names;
  if (const auto* s3 = line.service == "s3" ? aws_s3_command_options(line.operation) : nullptr) {
    names = s3->flags;
    names.insert(names.end(), s3->valued.begin(), s3->valued.end());
  } else {
    for (const Words* words : {&kAwsFlags, &kAwsValues}) {
      for (std::string_view w : *words) names.push_back(w.substr(2));
    }
  }
  const std::vector<std::string>& args = line.args;
  std::vector<std::string> out;
  for (const auto& token : args) {
    const AwsOptionMatch match = match_aws_option(token, names);
    if (match.name.empty() || token == "--") {
      out.push_back(token);
      continue;
    }
    const auto eq = token.find('=');
    out.push_back("--" + match.name + (eq == std::string::npos ? "" : token.substr(eq)));
  }
  return out;
}

EffectSet classify_aws_operation(const AwsArgs& line, const ScannedArgs& scanned, const ClassifyOptions& options) {
  if (line.service == "s3") {
    return effects_of(s3_high_level(line.operation, scanned.positionals, scanned), options, scanned.has("--dryrun"));
  }
  if (line.service == "s3api") {
    return effects_of(s3api_access(line.operation, scanned), options, false);
  }
  return by_service_table(line.service, line.operation, scanned);
}

EffectSet classify_aws(Args args, const ClassifyOptions& options) {
  const AwsArgs line = split_aws_args(args);
  if (line.missing_value || line.ambiguous || line.has("version") || line.operation.empty()) {
    return {};  // a usage error, or `--version`: the CLI runs no operation
  }
  const bool s3_commands = line.service == "s3";
  ScannedArgs scanned = scan(expand_abbreviations(line), aws_operation_grammar(s3_commands));
  if (scanned.has("--generate-cli-skeleton")) {
    return {};
  }
  EffectSet effects = classify_aws_operation(line, scanned, options);
  auto endpoint = line.global("endpoint-url");
  if (endpoint && !effects.empty() && is_external_url(*endpoint)) {
    effects.insert("external.api");
  }
  return effects;
}

// ---------------------------------------------------------------- ssh, scp, rsync

EffectSet classify_ssh(Args args, const ClassifyOptions&) {
  const SshArgs ssh = split_ssh_args(args);
  if (ssh.error || !ssh.destination || !parse_ssh_destination(*ssh.destination)) {
    return {};  // ssh prints its usage and connects nowhere
  }
  // -V/-G/-Q print and exit; -O talks to a control master; -N and -W forward ports, running nothing; ssh 9.2
  // refuses -1.
  for (char letter : std::string_view("VGQONW1")) {
    if (ssh.has(letter)) {
      return {};
    }
  }
  return {"remote.exec"};
}

// `host:path`, `user@host:path`, `[v6]:path`, `scp://...` (scp's reading, which rsync shares for `host:path`,
// `host::module` and `rsync://`); `./a:b` is local (a slash before the colon).
EffectSet remote_copy_if_remote(const std::vector<std::string>& operands) {
  bool remote =
      std::any_of(operands.begin(), operands.end(), [](const auto& o) { return parse_scp_operand(o).remote(); });
  return remote ? EffectSet{"remote.copy"} : EffectSet{};
}

EffectSet classify_scp(Args args, const ClassifyOptions&) {
  const ScpArgs scp = split_scp_args(args);
  if (scp.error || scp.operands.size() < 2) {
    return {};  // scp prints its usage and copies nothing
  }
  return remote_copy_if_remote(scp.operands);
}

EffectSet classify_rsync(Args args, const ClassifyOptions&) {
  static const Words values = {"--rsh",          "--rsync-path",   "--exclude",       "--include",   "--filter",
                               "--exclude-from", "--include-from", "--files-from",    "--chmod",     "--chown",
                               "--timeout",      "--port",         "--password-file", "--log-file",  "--partial-dir",
                               "--temp-dir",     "--compare-dest", "--copy-dest",     "--link-dest", "--backup-dir",
                               "--suffix",       "--max-size",     "--min-size",      "--bwlimit",   "--out-format",
                               "--info",         "--debug"};
  static const OptionGrammar grammar{one_of(values), "efTBM", false};
  return remote_copy_if_remote(scan(args, grammar).positionals);
}

// ---------------------------------------------------------------- deps.install

EffectSet classify_package_manager(Args args, const ClassifyOptions&) {
  static const Words values = {"--config",      "--releasever", "--setopt",     "--enablerepo",
                               "--disablerepo", "--repo",       "--repoid",     "--exclude",
                               "--installroot", "--debuglevel", "--errorlevel", "--downloaddir",
                               "--destdir",     "--forcearch",  "--option",     "--target-release"};
  static const OptionGrammar grammar{one_of(values), "cdexRotC", false};
  ScannedArgs scanned = scan(args, grammar);
  if (scanned.positionals.empty()) {
    return {};
  }
  const std::string& command = scanned.positionals[0];
  static const Words installs = {"install", "reinstall",    "groupinstall", "localinstall", "update",
                                 "upgrade", "dist-upgrade", "full-upgrade", "distro-sync"};
  bool sub_install = (command == "group" || command == "module") && scanned.positionals.size() > 1 &&
                     scanned.positionals[1] == "install";
  return installs.contains(command) || sub_install ? EffectSet{"deps.install"} : EffectSet{};
}

EffectSet pip_effects(Args args) {
  static const Words values = {"--log",          "--proxy",          "--retries",     "--timeout",   "--exists-action",
                               "--trusted-host", "--cert",           "--client-cert", "--cache-dir", "--python",
                               "--use-feature",  "--use-deprecated", "--log-file"};
  static const OptionGrammar grammar{one_of(values), "", true};
  ScannedArgs scanned = scan(args, grammar);
  bool installs = !scanned.positionals.empty() && scanned.positionals[0] == "install";
  return installs ? EffectSet{"deps.install"} : EffectSet{};
}

EffectSet classify_pip(Args args, const ClassifyOptions&) {
  return pip_effects(args);
}

EffectSet classify_git(Args args, const ClassifyOptions&) {
  static const Words values = {"--git-dir", "--work-tree", "--namespace", "--config-env", "--super-prefix"};
  static const OptionGrammar grammar{one_of(values), "Cc", true};
  ScannedArgs scanned = scan(args, grammar);
  if (scanned.positionals.empty()) {
    return {};
  }
  const std::string& command = scanned.positionals[0];
  bool fetches = command == "clone" || command == "pull" || command == "fetch";
  bool submodules = command == "submodule" && std::find(scanned.positionals.begin(), scanned.positionals.end(),
                                                        "update") != scanned.positionals.end();
  return fetches || submodules ? EffectSet{"deps.install"} : EffectSet{};
}

// ---------------------------------------------------------------- watchdog, sleep

EffectSet classify_systemd_run(Args args, const ClassifyOptions&) {
  static const Words values = {"--unit",
                               "--property",
                               "--description",
                               "--slice",
                               "--on-active",
                               "--on-boot",
                               "--on-startup",
                               "--on-unit-active",
                               "--on-unit-inactive",
                               "--on-calendar",
                               "--timer-property",
                               "--path-property",
                               "--socket-property",
                               "--uid",
                               "--gid",
                               "--nice",
                               "--working-directory",
                               "--setenv",
                               "--machine",
                               "--host",
                               "--service-type"};
  static const OptionGrammar grammar{one_of(values), "upEHM", true};
  static const std::regex powers_off(R"((^|[^A-Za-z0-9_-])(shutdown|poweroff|halt)\b)");
  ScannedArgs scanned = scan(args, grammar);
  // The command itself (/sbin/shutdown -h now), via systemctl poweroff, or inside `sh -c '...; shutdown'`.
  bool watchdog = std::any_of(scanned.positionals.begin(), scanned.positionals.end(),
                              [](const std::string& token) { return std::regex_search(token, powers_off); });
  return watchdog ? EffectSet{"watchdog.install"} : EffectSet{};
}

EffectSet classify_sleep(Args, const ClassifyOptions&) {
  return {"sleep"};
}

// ---------------------------------------------------------------- curl, wget, httpie

EffectSet classify_curl(Args args, const ClassifyOptions&) {
  static const Words values = {"--data",           "--data-ascii",
                               "--data-binary",    "--data-raw",
                               "--data-urlencode", "--json",
                               "--header",         "--proxy-header",
                               "--output",         "--request",
                               "--user",           "--proxy-user",
                               "--user-agent",     "--referer",
                               "--form",           "--form-string",
                               "--upload-file",    "--proxy",
                               "--preproxy",       "--write-out",
                               "--max-time",       "--connect-timeout",
                               "--retry",          "--retry-delay",
                               "--retry-max-time", "--cookie",
                               "--cookie-jar",     "--config",
                               "--range",          "--continue-at",
                               "--cert",           "--key",
                               "--cacert",         "--capath",
                               "--resolve",        "--connect-to",
                               "--interface",      "--limit-rate",
                               "--max-filesize",   "--dump-header",
                               "--stderr",         "--trace",
                               "--trace-ascii",    "--unix-socket",
                               "--noproxy",        "--oauth2-bearer",
                               "--aws-sigv4",      "--url",
                               "--max-redirs",     "--output-dir",
                               "--time-cond",      "--speed-limit",
                               "--speed-time",     "--local-port",
                               "--dns-servers",    "--variable",
                               "--rate",           "--quote"};
  static const OptionGrammar grammar{one_of(values), "AbcCdDeEFHKmoPQrTtuUwxXyYz", false};
  ScannedArgs scanned = scan(args, grammar);
  std::vector<std::string> urls = scanned.positionals;
  for (const auto& [option, value] : scanned.options) {
    if (option == "--url") {
      urls.push_back(value);
    }
  }
  return external_if_any(urls);
}

EffectSet classify_wget(Args args, const ClassifyOptions&) {
  static const Words values = {"--output-document",
                               "--output-file",
                               "--append-output",
                               "--execute",
                               "--input-file",
                               "--base",
                               "--tries",
                               "--timeout",
                               "--wait",
                               "--quota",
                               "--directory-prefix",
                               "--user-agent",
                               "--header",
                               "--post-data",
                               "--post-file",
                               "--body-data",
                               "--method",
                               "--user",
                               "--password",
                               "--http-user",
                               "--http-password",
                               "--referer",
                               "--level",
                               "--accept",
                               "--reject",
                               "--domains",
                               "--load-cookies",
                               "--save-cookies",
                               "--ca-certificate",
                               "--certificate",
                               "--private-key",
                               "--limit-rate",
                               "--bind-address",
                               "--dns-timeout",
                               "--connect-timeout",
                               "--read-timeout",
                               "--waitretry"};
  static const OptionGrammar grammar{one_of(values), "oOaPeTtwUiBlQIXADR", false};
  return external_if_any(scan(args, grammar).positionals);
}

// httpie: `http [flags] [METHOD] URL [ITEM...]`; `:3000/x` is localhost.
EffectSet classify_httpie(Args args, const ClassifyOptions&) {
  static const Words values = {
      "--auth",           "--auth-type", "--output",        "--print",    "--session",       "--session-read-only",
      "--verify",         "--cert",      "--cert-key",      "--proxy",    "--timeout",       "--style",
      "--format-options", "--pretty",    "--max-redirects", "--boundary", "--default-scheme"};
  static const Words methods = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"};
  static const OptionGrammar grammar{one_of(values), "aAops", false};
  ScannedArgs scanned = scan(args, grammar);
  auto& positionals = scanned.positionals;
  std::size_t url_at = !positionals.empty() && methods.contains(positionals[0]) ? 1 : 0;
  if (url_at >= positionals.size()) {
    return {};
  }
  return external_if_any({positionals[url_at]});
}

// ---------------------------------------------------------------- python

EffectSet classify_python(const std::vector<std::string>& argv, const ClassifyOptions& options) {
  PythonCommand command = parse_python_command(argv);
  if (command.kind == PythonCommand::Kind::Module) {
    if (command.target == "pip" || command.target == "pip3") {
      return pip_effects(command.args);
    }
    return command.target == "ensurepip" ? EffectSet{"deps.install"} : EffectSet{};
  }
  if (command.kind != PythonCommand::Kind::Script || options.catalog == nullptr) {
    return {};
  }
  auto invocation = options.catalog->find(argv);
  if (!invocation) {
    return {};
  }
  return EffectSet(invocation->effects.begin(), invocation->effects.end());
}

// ---------------------------------------------------------------- dispatch

using Classifier = EffectSet (*)(Args args, const ClassifyOptions& options);

const std::map<std::string_view, Classifier, std::less<>>& classifiers() {
  static const std::map<std::string_view, Classifier, std::less<>> table = {
      {"aws", classify_aws},
      {"ssh", classify_ssh},
      {"scp", classify_scp},
      {"rsync", classify_rsync},
      {"dnf", classify_package_manager},
      {"yum", classify_package_manager},
      {"microdnf", classify_package_manager},
      {"apt-get", classify_package_manager},
      {"apt", classify_package_manager},
      {"pip", classify_pip},
      {"git", classify_git},
      {"systemd-run", classify_systemd_run},
      {"sleep", classify_sleep},
      {"curl", classify_curl},
      {"wget", classify_wget},
      {"http", classify_httpie},
      {"https", classify_httpie},
      {"httpie", classify_httpie},
      {"xh", classify_httpie},
  };
  return table;
}

// pip3 and pip3.12 behave as pip.
std::string_view tool_family(std::string_view tool) {
  return is_versioned_name(tool, "pip", true) ? "pip" : tool;
}

std::vector<std::string> in_taxonomy_order(const EffectSet& effects) {
  std::vector<std::string> ordered;
  for (const auto& name : effect_names()) {
    if (effects.contains(name)) {
      ordered.push_back(name);
    }
  }
  return ordered;
}

}  // namespace

std::vector<std::string> classify(const CallSite& call, const ClassifyOptions& options) {
  if (call.argv.empty()) {
    return {};
  }
  std::string tool(basename_of(call.argv[0]));  // argv decides; call.tool is its basename already
  if (is_python_tool(tool)) {
    return in_taxonomy_order(classify_python(call.argv, options));
  }
  auto classifier = classifiers().find(tool_family(tool));
  if (classifier == classifiers().end()) {
    return {};  // transports and tools outside the taxonomy
  }
  return in_taxonomy_order(classifier->second(Args(call.argv).subspan(1), options));
}

std::map<std::string, int> count_effects(const std::vector<std::vector<std::string>>& per_call) {
  std::map<std::string, int> counts;
  for (const auto& name : effect_names()) {
    counts[name] = 0;
  }
  for (const auto& effects : per_call) {
    std::set<std::string> distinct(effects.begin(), effects.end());  // a call counts once per effect
    for (const auto& effect : distinct) {
      ++counts[effect];
    }
  }
  return counts;
}

}  // namespace spotcheck
