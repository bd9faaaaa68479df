// Parses ssh, scp and ssh-keyscan command lines with OpenSSH 9.2's option letters, errors and usage texts.
#include "shims/ssh_options.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <functional>

#include "spotcheck/text.hpp"

namespace spotcheck::fakes {

const char* const kSshUsage =
    "usage: ssh [-46AaCfGgKkMNnqsTtVvXxYy] [-B bind_interface]\n"
    "           [-b bind_address] [-c cipher_spec] [-D [bind_address:]port]\n"
    "           [-E log_file] [-e escape_char] [-F configfile] [-I pkcs11]\n"
    "           [-i identity_file] [-J [user@]host[:port]] [-L address]\n"
    "           [-l login_name] [-m mac_spec] [-O ctl_cmd] [-o option] [-p port]\n"
    "           [-Q query_option] [-R address] [-S ctl_path] [-W host:port]\n"
    "           [-w local_tun[:remote_tun]] destination [command [argument ...]]\n";
const char* const kScpUsage =
    "usage: scp [-346ABCOpqRrsTv] [-c cipher] [-D sftp_server_path] [-F ssh_config]\n"
    "           [-i identity_file] [-J destination] [-l limit] [-o ssh_option]\n"
    "           [-P port] [-S program] [-X sftp_option] source ... target\n";
const char* const kKeyscanUsage =
    "usage: ssh-keyscan [-46cDHv] [-f file] [-p port] [-T timeout] [-t type]\n"
    "\t\t   [host | addrlist namelist]\n";

namespace {

// getopt strings of OpenSSH 9.2 (ssh.c, scp.c, ssh-keyscan.c).
constexpr std::string_view kSshOptstring = "1246ab:c:e:fgi:kl:m:no:p:qstvxAB:CD:E:F:GI:J:KL:MNO:P:Q:R:S:TVw:W:XYy";
constexpr std::string_view kScpOptstring = "12346ABCTdfOpqRrstvD:i:F:J:P:S:c:l:o:X:";
constexpr std::string_view kKeyscanOptstring = "cDHv46p:T:t:f:";

// How a -o keyword's value is checked; keywords absent from the table are "Bad configuration option".
enum class ValueKind { Any, YesNo, Time, Number, Port, LogLevel, HostKeyChecking };

struct Keyword {
  std::string_view name;
  ValueKind kind;
};

// ssh_config(5) keywords of OpenSSH 9.2 (+ Debian's GSSAPI ones and accepted deprecated aliases).
constexpr std::array kKeywords = {
    Keyword{"addkeystoagent", ValueKind::Any},
    Keyword{"addressfamily", ValueKind::Any},
    Keyword{"batchmode", ValueKind::YesNo},
    Keyword{"bindaddress", ValueKind::Any},
    Keyword{"bindinterface", ValueKind::Any},
    Keyword{"canonicaldomains", ValueKind::Any},
    Keyword{"canonicalizefallbacklocal", ValueKind::YesNo},
    Keyword{"canonicalizehostname", ValueKind::Any},
    Keyword{"canonicalizemaxdots", ValueKind::Number},
    Keyword{"canonicalizepermittedcnames", ValueKind::Any},
    Keyword{"casignaturealgorithms", ValueKind::Any},
    Keyword{"certificatefile", ValueKind::Any},
    Keyword{"challengeresponseauthentication", ValueKind::YesNo},
    Keyword{"checkhostip", ValueKind::YesNo},
    Keyword{"ciphers", ValueKind::Any},
    Keyword{"clearallforwardings", ValueKind::YesNo},
    Keyword{"compression", ValueKind::YesNo},
    Keyword{"connectionattempts", ValueKind::Number},
    Keyword{"connecttimeout", ValueKind::Time},
    Keyword{"controlmaster", ValueKind::Any},
    Keyword{"controlpath", ValueKind::Any},
    Keyword{"controlpersist", ValueKind::Any},
    Keyword{"dynamicforward", ValueKind::Any},
    Keyword{"enableescapecommandline", ValueKind::YesNo},
    Keyword{"enablesshkeysign", ValueKind::YesNo},
    Keyword{"escapechar", ValueKind::Any},
    Keyword{"exitonforwardfailure", ValueKind::YesNo},
    Keyword{"fingerprinthash", ValueKind::Any},
    Keyword{"forkafterauthentication", ValueKind::YesNo},
    Keyword{"forwardagent", ValueKind::Any},
    Keyword{"forwardx11", ValueKind::YesNo},
    Keyword{"forwardx11timeout", ValueKind::Time},
    Keyword{"forwardx11trusted", ValueKind::YesNo},
    Keyword{"gatewayports", ValueKind::YesNo},
    Keyword{"globalknownhostsfile", ValueKind::Any},
    Keyword{"gssapiauthentication", ValueKind::YesNo},
    Keyword{"gssapiclientidentity", ValueKind::Any},
    Keyword{"gssapidelegatecredentials", ValueKind::YesNo},
    Keyword{"gssapikeyexchange", ValueKind::YesNo},
    Keyword{"gssapikexalgorithms", ValueKind::Any},
    Keyword{"gssapirenewalforcesrekey", ValueKind::YesNo},
    Keyword{"gssapiserveridentity", ValueKind::Any},
    Keyword{"gssapitrustdns", ValueKind::YesNo},
    Keyword{"hashknownhosts", ValueKind::YesNo},
    Keyword{"host", ValueKind::Any},
    Keyword{"hostbasedacceptedalgorithms", ValueKind::Any},
    Keyword{"hostbasedauthentication", ValueKind::YesNo},
    Keyword{"hostbasedkeytypes", ValueKind::Any},
    Keyword{"hostkeyalgorithms", ValueKind::Any},
    Keyword{"hostkeyalias", ValueKind::Any},
    Keyword{"hostname", ValueKind::Any},
    Keyword{"identitiesonly", ValueKind::YesNo},
    Keyword{"identityagent", ValueKind::Any},
    Keyword{"identityfile", ValueKind::Any},
    Keyword{"ignoreunknown", ValueKind::Any},
    Keyword{"include", ValueKind::Any},
    Keyword{"ipqos", ValueKind::Any},
    Keyword{"kbdinteractiveauthentication", ValueKind::YesNo},
    Keyword{"kbdinteractivedevices", ValueKind::Any},
    Keyword{"keepalive", ValueKind::YesNo},
    Keyword{"kexalgorithms", ValueKind::Any},
    Keyword{"knownhostscommand", ValueKind::Any},
    Keyword{"localcommand", ValueKind::Any},
    Keyword{"localforward", ValueKind::Any},
    Keyword{"loglevel", ValueKind::LogLevel},
    Keyword{"logverbose", ValueKind::Any},
    Keyword{"macs", ValueKind::Any},
    Keyword{"match", ValueKind::Any},
    Keyword{"nohostauthenticationforlocalhost", ValueKind::YesNo},
    Keyword{"numberofpasswordprompts", ValueKind::Number},
    Keyword{"passwordauthentication", ValueKind::YesNo},
    Keyword{"permitlocalcommand", ValueKind::YesNo},
    Keyword{"permitremoteopen", ValueKind::Any},
    Keyword{"pkcs11provider", ValueKind::Any},
    Keyword{"port", ValueKind::Port},
    Keyword{"preferredauthentications", ValueKind::Any},
    Keyword{"proxycommand", ValueKind::Any},
    Keyword{"proxyjump", ValueKind::Any},
    Keyword{"proxyusefdpass", ValueKind::YesNo},
    Keyword{"pubkeyacceptedalgorithms", ValueKind::Any},
    Keyword{"pubkeyacceptedkeytypes", ValueKind::Any},
    Keyword{"pubkeyauthentication", ValueKind::Any},
    Keyword{"rekeylimit", ValueKind::Any},
    Keyword{"remotecommand", ValueKind::Any},
    Keyword{"remoteforward", ValueKind::Any},
    Keyword{"requesttty", ValueKind::Any},
    Keyword{"requiredrsasize", ValueKind::Number},
    Keyword{"revokedhostkeys", ValueKind::Any},
    Keyword{"securitykeyprovider", ValueKind::Any},
    Keyword{"sendenv", ValueKind::Any},
    Keyword{"serveralivecountmax", ValueKind::Number},
    Keyword{"serveraliveinterval", ValueKind::Time},
    Keyword{"sessiontype", ValueKind::Any},
    Keyword{"setenv", ValueKind::Any},
    Keyword{"stdinnull", ValueKind::YesNo},
    Keyword{"streamlocalbindmask", ValueKind::Any},
    Keyword{"streamlocalbindunlink", ValueKind::YesNo},
    Keyword{"stricthostkeychecking", ValueKind::HostKeyChecking},
    Keyword{"syslogfacility", ValueKind::Any},
    Keyword{"tcpkeepalive", ValueKind::YesNo},
    Keyword{"tunnel", ValueKind::Any},
    Keyword{"tunneldevice", ValueKind::Any},
    Keyword{"updatehostkeys", ValueKind::Any},
    Keyword{"user", ValueKind::Any},
    Keyword{"userknownhostsfile", ValueKind::Any},
    Keyword{"verifyhostkeydns", ValueKind::Any},
    Keyword{"visualhostkey", ValueKind::YesNo},
    Keyword{"xauthlocation", ValueKind::Any},
};

bool is_number(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

std::optional<int> parse_port(const std::string& s) {
  if (!is_number(s) || s.size() > 5) return std::nullopt;
  const int port = std::stoi(s);
  if (port < 1 || port > 65535) return std::nullopt;
  return port;
}

const Keyword* find_keyword(const std::string& name) {
  for (const auto& k : kKeywords) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

bool value_ok(ValueKind kind, const std::string& value) {
  static const std::array<std::string_view, 9> levels = {"quiet", "fatal",  "error",  "info",  "verbose",
                                                         "debug", "debug1", "debug2", "debug3"};
  const std::string v = ascii_lowercase(value);
  switch (kind) {
    case ValueKind::Any:
      return true;
    case ValueKind::YesNo:
      return v == "yes" || v == "no" || v == "true" || v == "false";
    case ValueKind::Time:
      return parse_ssh_time(value).has_value() || v == "none";
    case ValueKind::Number:
      return is_number(value);
    case ValueKind::Port:
      return parse_port(value).has_value();
    case ValueKind::LogLevel:
      return std::find(levels.begin(), levels.end(), v) != levels.end();
    case ValueKind::HostKeyChecking:
      return value_ok(ValueKind::YesNo, value) || v == "ask" || v == "accept-new" || v == "off";
  }
  return false;
}

std::string bad_value_message(ValueKind kind, const std::string& value) {
  switch (kind) {
    case ValueKind::Time:
      return "command-line line 0: invalid time value.";
    case ValueKind::Port:
      return "command-line line 0: Bad port '" + value + "'.";
    case ValueKind::LogLevel:
      return "command-line line 0: unsupported log level '" + value + "'";
    case ValueKind::Number:
      return "command-line line 0: Bad number.";
    default:
      return "command-line line 0: unsupported option \"" + value + "\".";
  }
}

// A getopt(3) loop over args[index..]: stops at the first operand or after "--"; returns its index.
using OptionHandler = std::function<bool(char option, const std::string& argument)>;  // false: stop

std::size_t run_getopt(const std::vector<std::string>& args, std::size_t index, std::string_view optstring,
                       const std::string& prefix, const OptionHandler& handle) {
  while (index < args.size()) {
    const std::string& word = args[index];
    if (word == "--") return index + 1;
    if (word.size() < 2 || word[0] != '-') return index;
    ++index;
    for (std::size_t i = 1; i < word.size(); ++i) {
      const char letter = word[i];
      const auto at = letter == ':' ? std::string_view::npos : optstring.find(letter);
      if (at == std::string_view::npos) {
        throw CommandLineError(prefix + "unknown option -- " + std::string(1, letter), true);
      }
      const bool wants_argument = at + 1 < optstring.size() && optstring[at + 1] == ':';
      if (!wants_argument) {
        if (!handle(letter, "")) return index;
        continue;
      }
      std::string argument;
      if (i + 1 < word.size()) {
        argument = word.substr(i + 1);
      } else if (index < args.size()) {
        argument = args[index++];
      } else {
        throw CommandLineError(prefix + "option requires an argument -- " + std::string(1, letter), true);
      }
      if (!handle(letter, argument)) return index;
      break;
    }
  }
  return index;
}

// user@host, or ssh://[user@]host[:port]; the user part ends at the last '@' as in ssh.
void parse_destination(const std::string& text, SshCommandLine& out) {
  std::string rest = text;
  std::optional<int> port;
  if (rest.rfind("ssh://", 0) == 0) {
    rest = rest.substr(6);
    if (const auto slash = rest.find('/'); slash != std::string::npos) rest.resize(slash);
    if (const auto colon = rest.rfind(':'); colon != std::string::npos && rest.find(']', colon) == std::string::npos) {
      port = parse_port(rest.substr(colon + 1));
      if (!port) throw CommandLineError(kSshUsage, false);
      rest.resize(colon);
    }
  }
  std::string user;
  if (const auto at = rest.rfind('@'); at != std::string::npos) {
    user = rest.substr(0, at);
    rest = rest.substr(at + 1);
  }
  if (rest.size() > 2 && rest.front() == '[' && rest.back() == ']') rest = rest.substr(1, rest.size() - 2);
  if (rest.empty()) throw CommandLineError(kSshUsage, false);
  out.host = rest;
  if (out.user.empty()) out.user = user;
  if (!out.port) out.port = port;
}

// One ssh option letter: fills `out`; returns false only for -V (ssh prints its version and exits).
bool apply_ssh_option(char option, const std::string& argument, SshCommandLine& out) {
  switch (option) {
    case 'V':
      out.flags += 'V';
      return false;
    case '1':
      throw CommandLineError("SSH protocol v.1 is no longer supported", false);
    case 'o':
      out.options.add(argument);
      return true;
    case 'i':
      out.identity_files.push_back(argument);
      return true;
    case 'l':
      if (out.user.empty()) out.user = argument;
      return true;
    case 'p': {
      const auto port = parse_port(argument);
      if (!port) throw CommandLineError("Bad port '" + argument + "'", false);
      if (!out.port) out.port = port;
      return true;
    }
    default:
      if (argument.empty()) {
        out.flags += option;
      } else {
        out.option_args.emplace(option, argument);
      }
      return true;
  }
}

}  // namespace

void SshConfigOptions::add(const std::string& option_text) {
  // Keyword, then whitespace and/or one '=', then the value (readconf.c's strdelim).
  const auto key_end = option_text.find_first_of(" \t=");
  const std::string keyword = ascii_lowercase(option_text.substr(0, key_end));
  std::string value;
  if (key_end != std::string::npos) {
    auto start = option_text.find_first_not_of(" \t", key_end);
    if (start != std::string::npos && option_text[start] == '=') {
      start = option_text.find_first_not_of(" \t", start + 1);
    }
    if (start != std::string::npos) value = option_text.substr(start);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.pop_back();
  }
  const Keyword* known = find_keyword(keyword);
  if (!known) throw CommandLineError("command-line: line 0: Bad configuration option: " + keyword, false);
  if (value.empty())
    throw CommandLineError("command-line line 0: no argument after keyword \"" + keyword + "\"", false);
  if (!value_ok(known->kind, value)) throw CommandLineError(bad_value_message(known->kind, value), false);
  values_.emplace(keyword, value);  // emplace keeps the first value, as ssh does
}

std::optional<std::string> SshConfigOptions::get(std::string_view keyword) const {
  const auto it = values_.find(ascii_lowercase(std::string(keyword)));
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::optional<long> parse_ssh_time(const std::string& text) {
  if (text.empty()) return std::nullopt;
  long total = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t digits_start = i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
    if (i == digits_start || i - digits_start > 9) return std::nullopt;
    long value = std::stol(text.substr(digits_start, i - digits_start));
    if (i < text.size()) {
      switch (std::tolower(static_cast<unsigned char>(text[i++]))) {
        case 's':
          break;
        case 'm':
          value *= 60;
          break;
        case 'h':
          value *= 3600;
          break;
        case 'd':
          value *= 86400;
          break;
        case 'w':
          value *= 604800;
          break;
        default:
          return std::nullopt;
      }
    }
    total += value;
  }
  return total;
}

bool ssh_yes(const std::optional<std::string>& value) {
  if (!value) return false;
  const std::string v = ascii_lowercase(*value);
  return v == "yes" || v == "true";
}

std::string SshCommandLine::joined_command() const {
  std::string joined;
  for (const auto& word : command) {
    if (!joined.empty()) joined += ' ';
    joined += word;
  }
  return joined;
}

long SshCommandLine::connect_timeout(long fallback) const {
  const auto value = options.get("ConnectTimeout");
  if (!value) return fallback;
  const auto seconds = parse_ssh_time(*value);
  return (seconds && *seconds > 0) ? *seconds : fallback;
}

SshCommandLine parse_ssh_command_line(const std::vector<std::string>& args) {
  SshCommandLine out;
  bool version = false;
  const OptionHandler handle = [&](char option, const std::string& argument) {
    const bool go_on = apply_ssh_option(option, argument, out);
    version = !go_on;
    return go_on;
  };
  // Like ssh.c: options, the destination, then options again until the first command word.
  std::size_t index = run_getopt(args, 0, kSshOptstring, "", handle);
  if (version) return out;
  if (index >= args.size()) throw CommandLineError(kSshUsage, false);
  const bool after_double_dash = index > 0 && args[index - 1] == "--";
  parse_destination(args[index++], out);
  if (!after_double_dash) index = run_getopt(args, index, kSshOptstring, "", handle);
  if (version) return out;
  out.command.assign(args.begin() + static_cast<std::ptrdiff_t>(index), args.end());
  return out;
}

ScpOperand parse_scp_operand(const std::string& text) {
  ScpOperand op;
  op.text = text;
  op.path = text;
  std::string rest = text;
  if (rest.rfind("scp://", 0) == 0) {
    rest = rest.substr(6);
    const auto slash = rest.find('/');
    std::string authority = rest.substr(0, slash);
    op.path = slash == std::string::npos ? "" : rest.substr(slash + 1);
    if (const auto colon = authority.rfind(':'); colon != std::string::npos) {
      op.port = parse_port(authority.substr(colon + 1));
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
  if (rest.empty() || rest[0] == ':') return op;
  std::size_t i = 0;
  if (rest[0] == '[') i = rest.find(']') == std::string::npos ? 0 : rest.find(']');
  const auto colon = rest.find(':', i);
  if (colon == std::string::npos || rest.find('/') < colon) return op;
  std::string authority = rest.substr(0, colon);
  op.path = rest.substr(colon + 1);
  if (const auto at = authority.rfind('@'); at != std::string::npos) {
    op.user = authority.substr(0, at);
    authority = authority.substr(at + 1);
  }
  if (authority.size() > 2 && authority.front() == '[' && authority.back() == ']') {
    authority = authority.substr(1, authority.size() - 2);
  }
  op.host = authority;
  return op;
}

ScpCommandLine parse_scp_command_line(const std::vector<std::string>& args) {
  ScpCommandLine out;
  const OptionHandler handle = [&](char option, const std::string& argument) {
    if (option == 'o') {
      out.options.add(argument);
    } else if (option == 'i') {
      out.identity_files.push_back(argument);
    } else if (option == 'P') {
      const auto port = parse_port(argument);
      if (!port) throw CommandLineError("scp: Bad port '" + argument + "'", false);
      out.port = port;
    } else if (argument.empty()) {
      out.flags += option;
    } else {
      out.option_args.emplace(option, argument);
    }
    return true;
  };
  const std::size_t index = run_getopt(args, 0, kScpOptstring, "scp: ", handle);
  if (args.size() < index + 2) throw CommandLineError(kScpUsage, false);
  for (std::size_t i = index; i + 1 < args.size(); ++i) out.sources.push_back(parse_scp_operand(args[i]));
  out.target = parse_scp_operand(args.back());
  return out;
}

KeyscanCommandLine parse_keyscan_command_line(const std::vector<std::string>& args) {
  static const std::array<std::string_view, 5> known_types = {"rsa", "ecdsa", "ed25519", "ecdsa-sk", "ed25519-sk"};
  KeyscanCommandLine out;
  const OptionHandler handle = [&](char option, const std::string& argument) {
    if (option == 'p') {
      const auto port = parse_port(argument);
      if (!port) throw CommandLineError("Bad port '" + argument + "'", false);
      out.port = *port;
    } else if (option == 'T') {
      if (!is_number(argument) || argument.size() > 9) throw CommandLineError(kKeyscanUsage, false);
      out.timeout = std::stol(argument);
    } else if (option == 't') {
      out.key_types.clear();
      std::size_t start = 0;
      while (start <= argument.size()) {
        const auto comma = std::min(argument.find(',', start), argument.size());
        const std::string type = argument.substr(start, comma - start);
        if (std::find(known_types.begin(), known_types.end(), type) == known_types.end()) {
          throw CommandLineError("Unknown key type \"" + type + "\"", false);
        }
        out.key_types.push_back(type);
        start = comma + 1;
      }
    } else if (option == 'H') {
      out.hash_hosts = true;
    }
    return true;
  };
  const std::size_t index = run_getopt(args, 0, kKeyscanOptstring, "", handle);
  out.hosts.assign(args.begin() + static_cast<std::ptrdiff_t>(index), args.end());
  if (out.hosts.empty()) throw CommandLineError(kKeyscanUsage, false);
  return out;
}

}  // namespace spotcheck::fakes
