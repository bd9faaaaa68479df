// Splits ssh and scp command lines as OpenSSH 9.2's getopt loops do: options, destination, command, operands.
#include "spotcheck/ssh_grammar.hpp"

#include <algorithm>
#include <cctype>

namespace spotcheck {
namespace {

bool has_letter(const std::vector<ShortOption>& options, char letter) {
  return std::any_of(options.begin(), options.end(), [&](const ShortOption& o) { return o.letter == letter; });
}

// Reads the letters of one option word (`-tti` then its argument); false when the pass must stop after it.
bool read_cluster(std::span<const std::string> args, std::size_t& index, std::string_view optstring,
                  std::string_view final_letters, GetoptPass& pass) {
  const std::string& word = args[index++];
  for (std::size_t i = 1; i < word.size(); ++i) {
    const char letter = word[i];
    const auto takes_argument = option_takes_argument(optstring, letter);
    if (!takes_argument) {
      pass.error = GetoptError{GetoptError::Kind::UnknownOption, letter};
      return false;
    }
    if (!*takes_argument) {
      pass.options.push_back({letter, ""});
      if (final_letters.find(letter) != std::string_view::npos) return false;
      continue;
    }
    if (i + 1 < word.size()) {
      pass.options.push_back({letter, word.substr(i + 1)});
    } else if (index < args.size()) {
      pass.options.push_back({letter, args[index++]});
    } else {
      pass.error = GetoptError{GetoptError::Kind::MissingArgument, letter};
      return false;
    }
    return final_letters.find(letter) == std::string_view::npos;
  }
  return true;
}

}  // namespace

std::optional<bool> option_takes_argument(std::string_view optstring, char letter) {
  const auto at = letter == ':' ? std::string_view::npos : optstring.find(letter);
  if (at == std::string_view::npos) return std::nullopt;
  return at + 1 < optstring.size() && optstring[at + 1] == ':';
}

GetoptPass getopt_pass(std::span<const std::string> args, std::size_t start, std::string_view optstring,
                       std::string_view final_letters) {
  GetoptPass pass;
  std::size_t index = start;
  while (index < args.size()) {
    const std::string& word = args[index];
    if (word == "--") {
      ++index;
      break;
    }
    if (word.size() < 2 || word[0] != '-') break;
    if (!read_cluster(args, index, optstring, final_letters, pass)) break;
  }
  pass.next = index;
  return pass;
}

bool SshArgs::has(char letter) const {
  return has_letter(options, letter);
}

bool ScpArgs::has(char letter) const {
  return has_letter(options, letter);
}

SshArgs split_ssh_args(std::span<const std::string> args) {
  SshArgs out;
  GetoptPass before = getopt_pass(args, 0, kSshOptstring, "V");
  out.options = std::move(before.options);
  out.options_before_destination = out.options.size();
  out.error = before.error;
  if (out.error || out.version_only() || before.next >= args.size()) return out;
  std::size_t index = before.next;
  // ssh.c: `if (optind > 1 && strcmp(av[optind - 1], "--") == 0)`, so an option argument "--" counts too.
  const bool terminated = index > 0 && args[index - 1] == "--";
  out.destination = args[index++];
  if (!terminated) {
    GetoptPass after = getopt_pass(args, index, kSshOptstring, "V");
    out.options.insert(out.options.end(), after.options.begin(), after.options.end());
    out.error = after.error;
    if (out.error || out.version_only()) return out;
    index = after.next;
  }
  out.command.assign(args.begin() + static_cast<std::ptrdiff_t>(index), args.end());
  return out;
}

std::optional<int> parse_ssh_port(std::string_view text) {
  const bool digits =
      !text.empty() && std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
  if (!digits || text.size() > 5) return std::nullopt;
  const int port = std::stoi(std::string(text));
  if (port < 1 || port > 65535) return std::nullopt;
  return port;
}

std::optional<SshDestination> parse_ssh_destination(std::string_view text) {
  SshDestination out;
  std::string rest(text);
  if (rest.starts_with("ssh://")) {
    rest = rest.substr(6);
    if (const auto slash = rest.find('/'); slash != std::string::npos) rest.resize(slash);
    if (const auto colon = rest.rfind(':'); colon != std::string::npos && rest.find(']', colon) == std::string::npos) {
      out.port = parse_ssh_port(rest.substr(colon + 1));
      if (!out.port) return std::nullopt;
      rest.resize(colon);
    }
  }
  if (const auto at = rest.rfind('@'); at != std::string::npos) {
    out.user = rest.substr(0, at);
    rest = rest.substr(at + 1);
  }
  if (rest.size() > 2 && rest.front() == '[' && rest.back() == ']') rest = rest.substr(1, rest.size() - 2);
  if (rest.empty()) return std::nullopt;
  out.host = rest;
  return out;
}

ScpArgs split_scp_args(std::span<const std::string> args) {
  ScpArgs out;
  GetoptPass pass = getopt_pass(args, 0, kScpOptstring);
  out.options = std::move(pass.options);
  out.error = pass.error;
  if (!out.error) out.operands.assign(args.begin() + static_cast<std::ptrdiff_t>(pass.next), args.end());
  return out;
}

namespace {

// `user@host` -> user, host; `[v6]` loses its brackets.
void split_authority(std::string authority, ScpOperand& op) {
  if (const auto at = authority.rfind('@'); at != std::string::npos) {
    op.user = authority.substr(0, at);
    authority = authority.substr(at + 1);
  }
  if (authority.size() > 2 && authority.front() == '[' && authority.back() == ']') {
    authority = authority.substr(1, authority.size() - 2);
  }
  op.host = authority;
}

}  // namespace

ScpOperand parse_scp_operand(const std::string& text) {
  ScpOperand op;
  op.text = text;
  op.path = text;
  if (text.starts_with("scp://")) {
    const std::string rest = text.substr(6);
    const auto slash = rest.find('/');
    std::string authority = rest.substr(0, slash);
    op.path = slash == std::string::npos ? "" : rest.substr(slash + 1);
    if (const auto colon = authority.rfind(':'); colon != std::string::npos) {
      op.port = parse_ssh_port(authority.substr(colon + 1));
      authority.resize(colon);
    }
    if (const auto at = authority.rfind('@'); at != std::string::npos) {
      op.user = authority.substr(0, at);
      authority = authority.substr(at + 1);
    }
    op.host = authority;
    return op;
  }
  // scp.c colon(): a leading ':' is local; a '/' before the first ':' makes it a local path.
  if (text.empty() || text[0] == ':') return op;
  std::size_t i = 0;
  if (text[0] == '[') i = text.find(']') == std::string::npos ? 0 : text.find(']');
  const auto colon = text.find(':', i);
  if (colon == std::string::npos || text.find('/') < colon) return op;
  op.path = text.substr(colon + 1);
  split_authority(text.substr(0, colon), op);
  return op;
}

}  // namespace spotcheck
