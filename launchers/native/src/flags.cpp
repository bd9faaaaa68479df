// Flag parsing, word for word as spot_parse_flags: `--flag value` or `--flag=value`, a value may
// not start with `--`, and bash's error texts. Hand-parsed: CLI11 cannot give these exact
// messages, the `--`-value rule, "takes no value" or -h acting at its position.
#include "spot_launch/flags.hpp"

#include <algorithm>
#include <regex>

#include "spot_launch/error.hpp"
#include "spot_launch/strings.hpp"

namespace spot_launch {
namespace {

std::string name_of(const std::string& word) {
  return word.substr(0, word.find('='));
}

bool is_valued(const std::string& word, const std::string& flag) {
  return word == flag || word.starts_with(flag + "=");
}

// The value of WORD (args[i]); advances I past what it used.
std::string take_value(const std::vector<std::string>& args, std::size_t& i) {
  const std::string& word = args[i];
  std::string value;
  if (word.starts_with("--") && word.find('=') != std::string::npos) {
    value = word.substr(word.find('=') + 1);
    i += 1;
  } else if (i + 1 < args.size() && !args[i + 1].starts_with("--")) {
    value = args[i + 1];
    i += 2;
  } else {
    usage_error(name_of(word) + " needs a value");
  }
  if (value.empty()) usage_error(name_of(word) + " needs a non-empty value");
  return value;
}

// spot_split_csv + spot_parse_skip_stages: the non-empty comma-separated items (first line only,
// as `read` takes it), each a known stage.
void add_skip_stages(const std::string& csv, const std::vector<std::string>& full_stages, Flags& flags) {
  std::string line = csv.substr(0, csv.find('\n'));
  std::size_t pos = 0;
  while (pos <= line.size()) {
    const auto comma = line.find(',', pos);
    const std::string item = line.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    if (!item.empty()) {
      if (std::find(full_stages.begin(), full_stages.end(), item) == full_stages.end())
        usage_error("unknown stage '" + item + "' in --skip-stages (known: " + join(full_stages) + ")");
      flags.skip_stages.push_back(item);
    }
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
}

}  // namespace

Flags parse_flags(const std::vector<std::string>& args, const std::vector<std::string>& full_stages) {
  Flags flags;
  static const std::regex branch_re("^[A-Za-z0-9._/-]+$");
  std::size_t i = 0;
  while (i < args.size()) {
    const std::string& word = args[i];
    if (word == "--preflight-only") {
      flags.preflight_only = true, ++i;
    } else if (word == "--smoke-only") {
      flags.run_mode = "smoke-only", ++i;
    } else if (word == "--dry-run") {
      flags.dry_run = true, ++i;
    } else if (word == "-h" || word == "--help") {
      flags.help = true;
      return flags;
    } else if (is_valued(word, "--mode")) {
      const std::string v = take_value(args, i);
      if (v != "full" && v != "smoke-only") usage_error("unknown --mode '" + v + "' (expected full or smoke-only)");
      flags.run_mode = v;
    } else if (is_valued(word, "--branch")) {
      const std::string v = take_value(args, i);
      if (!std::regex_match(v, branch_re)) usage_error("invalid --branch '" + v + "'");
      flags.branch = v;
    } else if (is_valued(word, "--instance-type")) {
      flags.instance_type = take_value(args, i);
    } else if (is_valued(word, "--skip-stages")) {
      add_skip_stages(take_value(args, i), full_stages, flags);
    } else if (word.starts_with("--preflight-only=") || word.starts_with("--smoke-only=") ||
               word.starts_with("--dry-run=") || word.starts_with("--help=")) {
      usage_error(name_of(word) + " takes no value");
    } else if (word.starts_with("-")) {
      usage_error("unknown flag '" + word + "'");
    } else {
      usage_error("unexpected argument '" + word + "' (this launcher takes flags only)");
    }
  }
  return flags;
}

}  // namespace spot_launch
