// Reads ssh, scp and ssh-keyscan command lines as OpenSSH 9.2 does: the shared grammar
// (spotcheck/ssh_grammar.hpp) splits them, this file adds the -o keywords, the error messages and usage texts.
#include "shims/ssh_options.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "spotcheck/ssh_grammar.hpp"
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
      return parse_ssh_port(value).has_value();
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

// getopt's complaint in OpenSSH's words; `prefix` is "scp: " for scp.
CommandLineError getopt_failure(const GetoptError& error, const std::string& prefix) {
  const char* what =
      error.kind == GetoptError::Kind::UnknownOption ? "unknown option -- " : "option requires an argument -- ";
  return CommandLineError(prefix + what + std::string(1, error.letter), true);
}

// The destination's user and port count only where -l and -p gave none.
void apply_destination(const std::string& text, SshCommandLine& out) {
  const auto destination = parse_ssh_destination(text);
  if (!destination) throw CommandLineError(kSshUsage, false);
  out.host = destination->host;
  if (out.user.empty()) out.user = destination->user;
  if (!out.port) out.port = destination->port;
}

// One ssh option letter, in the order given: fills `out`, or throws what ssh prints for it.
void apply_ssh_option(const ShortOption& option, SshCommandLine& out) {
  const std::string& argument = option.argument;
  switch (option.letter) {
    case '1':
      throw CommandLineError("SSH protocol v.1 is no longer supported", false);
    case 'o':
      out.options.add(argument);
      return;
    case 'i':
      out.identity_files.push_back(argument);
      return;
    case 'l':
      if (out.user.empty()) out.user = argument;
      return;
    case 'p': {
      const auto port = parse_ssh_port(argument);
      if (!port) throw CommandLineError("Bad port '" + argument + "'", false);
      if (!out.port) out.port = port;
      return;
    }
    default:
      if (argument.empty()) {
        out.flags += option.letter;
      } else {
        out.option_args.emplace(option.letter, argument);
      }
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
  const SshArgs split = split_ssh_args(args);
  SshCommandLine out;
  const auto apply = [&](std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to; ++i) apply_ssh_option(split.options[i], out);
  };
  // In ssh.c's order: options, the destination, options again; each complaint as soon as getopt meets it.
  apply(0, split.options_before_destination);
  if (!split.destination) {
    if (split.error) throw getopt_failure(*split.error, "");
    if (split.version_only()) return out;
    throw CommandLineError(kSshUsage, false);
  }
  apply_destination(*split.destination, out);
  apply(split.options_before_destination, split.options.size());
  if (split.error) throw getopt_failure(*split.error, "");
  out.command = split.command;
  return out;
}

ScpCommandLine parse_scp_command_line(const std::vector<std::string>& args) {
  const ScpArgs split = split_scp_args(args);
  ScpCommandLine out;
  for (const auto& [option, argument] : split.options) {
    if (option == 'o') {
      out.options.add(argument);
    } else if (option == 'i') {
      out.identity_files.push_back(argument);
    } else if (option == 'P') {
      const auto port = parse_ssh_port(argument);
      if (!port) throw CommandLineError("scp: Bad port '" + argument + "'", false);
      out.port = port;
    } else if (argument.empty()) {
      out.flags += option;
    } else {
      out.option_args.emplace(option, argument);
    }
  }
  if (split.error) throw getopt_failure(*split.error, "scp: ");
  if (split.operands.size() < 2) throw CommandLineError(kScpUsage, false);
  for (std::size_t i = 0; i + 1 < split.operands.size(); ++i) {
    out.sources.push_back(parse_scp_operand(split.operands[i]));
  }
  out.target = parse_scp_operand(split.operands.back());
  return out;
}

KeyscanCommandLine parse_keyscan_command_line(const std::vector<std::string>& args) {
  static const std::array<std::string_view, 5> known_types = {"rsa", "ecdsa", "ed25519", "ecdsa-sk", "ed25519-sk"};
  KeyscanCommandLine out;
  const GetoptPass pass = getopt_pass(args, 0, kKeyscanOptstring);
  for (const auto& [option, argument] : pass.options) {
    if (option == 'p') {
      const auto port = parse_ssh_port(argument);
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
  }
  if (pass.error) throw getopt_failure(*pass.error, "");
  out.hosts.assign(args.begin() + static_cast<std::ptrdiff_t>(pass.next), args.end());
  if (out.hosts.empty()) throw CommandLineError(kKeyscanUsage, false);
  return out;
}

}  // namespace spotcheck::fakes
