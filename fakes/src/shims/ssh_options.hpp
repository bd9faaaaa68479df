// Internal to the fakes: the ssh, scp and ssh-keyscan command lines launchers write, parsed as OpenSSH 9.2 does,
// on the grammar the effects oracle reads too (spotcheck/ssh_grammar.hpp: option letters, operands).
#pragma once
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "spotcheck/ssh_grammar.hpp"

namespace spotcheck::fakes {

// Real OpenSSH 9.2 usage texts (ssh and ssh-keyscan print them on bad usage; scp too).
extern const char* const kSshUsage;
extern const char* const kScpUsage;
extern const char* const kKeyscanUsage;
inline constexpr const char* kSshVersion = "OpenSSH_9.2p1 Debian-2+deb12u3, OpenSSL 3.0.15 3 Sep 2024";

// A command line the real tool would reject: `message` is its first line(s), `usage` follows it if set.
class CommandLineError : public std::runtime_error {
 public:
  CommandLineError(const std::string& message, bool show_usage)
      : std::runtime_error(message), show_usage_(show_usage) {}
  bool show_usage() const { return show_usage_; }

 private:
  bool show_usage_;
};

// `-o` options: keywords are case-insensitive, stored lower-case; the first value given wins, as in ssh.
class SshConfigOptions {
 public:
  void add(const std::string& option_text);  // "Key=Value", "Key Value", "Key = Value"; throws CommandLineError
  std::optional<std::string> get(std::string_view keyword) const;
  const std::map<std::string, std::string>& all() const { return values_; }

 private:
  std::map<std::string, std::string> values_;
};

// ssh's time format: "10", "30s", "2m", "1h30m". nullopt when malformed.
std::optional<long> parse_ssh_time(const std::string& text);
bool ssh_yes(const std::optional<std::string>& value);  // "yes"/"true" (BatchMode=yes)

struct SshCommandLine {
  std::string flags;                             // argument-less flags in the order given, e.g. "nT"
  std::string user;                              // -l, else the destination's user@ (first one wins)
  std::string host;                              // empty only with -V
  std::optional<int> port;                       // -p, else ssh://host:PORT
  std::vector<std::string> identity_files;       // -i, in order
  std::multimap<char, std::string> option_args;  // every other option that takes an argument (-b, -J, -W ...)
  SshConfigOptions options;                      // -o
  std::vector<std::string> command;              // remote command words, unjoined

  bool has_flag(char flag) const { return flags.find(flag) != std::string::npos; }
  bool version_only() const { return has_flag('V'); }
  // The remote command as sshd receives it: the words joined with single spaces.
  std::string joined_command() const;
  // ConnectTimeout in seconds (ssh has none by default; the fake's TCP timeout stands in for it).
  long connect_timeout(long fallback = 10) const;
};

// `args` excludes argv[0]. Throws CommandLineError on what real ssh rejects.
SshCommandLine parse_ssh_command_line(const std::vector<std::string>& args);

struct ScpCommandLine {
  std::string flags;                        // argument-less flags, e.g. "rpq"
  std::optional<int> port;                  // -P
  std::vector<std::string> identity_files;  // -i
  std::multimap<char, std::string> option_args;
  SshConfigOptions options;         // -o
  std::vector<ScpOperand> sources;  // spotcheck::ScpOperand (ssh_grammar.hpp)
  ScpOperand target;

  bool has_flag(char flag) const { return flags.find(flag) != std::string::npos; }
  bool recursive() const { return has_flag('r'); }
};
ScpCommandLine parse_scp_command_line(const std::vector<std::string>& args);

struct KeyscanCommandLine {
  std::vector<std::string> key_types = {"rsa", "ecdsa", "ed25519"};  // -t, default as ssh-keyscan 9.2
  int port = 22;
  bool hash_hosts = false;  // -H
  long timeout = 5;         // -T
  std::vector<std::string> hosts;
};
KeyscanCommandLine parse_keyscan_command_line(const std::vector<std::string>& args);

}  // namespace spotcheck::fakes
