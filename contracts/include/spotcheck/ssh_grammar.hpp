// The command-line grammar of OpenSSH 9.2's ssh, scp and ssh-keyscan: which option letters take an argument,
// where ssh's destination and remote command start, scp's operands. One table per tool, read by the fake
// ssh/scp (fakes/src/shims/ssh_options.cpp adds OpenSSH's messages) and by the effects oracle alike.
#pragma once
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace spotcheck {

// getopt(3) strings of OpenSSH 9.2 (ssh.c, scp.c, ssh-keyscan.c): a letter followed by ':' takes an argument.
inline constexpr std::string_view kSshOptstring =
    "1246ab:c:e:fgi:kl:m:no:p:qstvxAB:CD:E:F:GI:J:KL:MNO:P:Q:R:S:TVw:W:XYy";
inline constexpr std::string_view kScpOptstring = "12346ABCTdfOpqRrstvD:i:F:J:P:S:c:l:o:X:";
inline constexpr std::string_view kKeyscanOptstring = "cDHv46p:T:t:f:";

// Whether `letter` takes an argument under `optstring`; nullopt when the tool has no such option.
std::optional<bool> option_takes_argument(std::string_view optstring, char letter);

// One option as getopt read it: `-i key`, `-ikey` and the `i` of `-tti key` are all {'i', "key"}.
struct ShortOption {
  char letter;
  std::string argument;  // "" for a flag
};

// Where getopt gave up: a letter the tool does not know, or one whose argument is missing at the end of the line.
struct GetoptError {
  enum class Kind { UnknownOption, MissingArgument };
  Kind kind;
  char letter;
};

// One getopt pass as OpenSSH runs it (its own BSD getopt: no reordering). Reads options from args[start] until
// the first operand, "--", a letter of `final_letters` (ssh -V prints its version and exits) or an error.
struct GetoptPass {
  std::vector<ShortOption> options;
  std::size_t next = 0;  // the first word not read: an operand, or the word after "--"
  std::optional<GetoptError> error;
};
GetoptPass getopt_pass(std::span<const std::string> args, std::size_t start, std::string_view optstring,
                       std::string_view final_letters = "");

// `ssh [options] destination [options] [command [argument ...]]`, argv[0] excluded. As ssh.c does, options are
// read again after the destination, unless the word before the destination is "--"; -V ends the line.
struct SshArgs {
  std::vector<ShortOption> options;            // before and after the destination, in order
  std::size_t options_before_destination = 0;  // how many of `options` precede the destination
  std::optional<std::string> destination;      // absent: none on the line, or the scan stopped before it
  std::vector<std::string> command;            // the remote command's words, unjoined
  std::optional<GetoptError> error;            // what real ssh rejects; the scan stopped there

  bool has(char letter) const;
  bool version_only() const { return has('V'); }
};
SshArgs split_ssh_args(std::span<const std::string> args);

// A port as ssh reads one (-p, ssh://host:PORT, scp -P): decimal digits, 1 to 65535.
std::optional<int> parse_ssh_port(std::string_view text);

// `[user@]host` or `ssh://[user@]host[:port][/...]`; the user part ends at the last '@', `[v6]` loses its
// brackets. nullopt where ssh prints its usage: an empty host, a bad port.
struct SshDestination {
  std::string user;
  std::string host;
  std::optional<int> port;
};
std::optional<SshDestination> parse_ssh_destination(std::string_view text);

// `scp [options] source ... target`, argv[0] excluded.
struct ScpArgs {
  std::vector<ShortOption> options;
  std::vector<std::string> operands;  // the sources, then the target; fewer than two is scp's usage error
  std::optional<GetoptError> error;   // what real scp rejects; no operands are read then

  bool has(char letter) const;
};
ScpArgs split_scp_args(std::span<const std::string> args);

// One scp operand: remote when it is [user@]host:path (a colon before any slash) or scp://[user@]host[:port]/path.
struct ScpOperand {
  std::string text;  // as given
  std::string user;
  std::string host;  // empty: a local path
  std::string path;  // local path, or the remote path ("" means the remote home)
  std::optional<int> port;
  bool remote() const { return !host.empty(); }
};
ScpOperand parse_scp_operand(const std::string& text);

}  // namespace spotcheck
