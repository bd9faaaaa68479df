// Tests of contracts/src/ssh_grammar.cpp: ssh and scp command lines split as OpenSSH 9.2's getopt loops do;
// and a cross-check that the fake ssh/scp (shims/ssh_options.cpp) and the effects oracle read them alike.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <ostream>

#include "shims/ssh_options.hpp"
#include "spotcheck/effects.hpp"
#include "spotcheck/ssh_grammar.hpp"

namespace spotcheck {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

using Words = std::vector<std::string>;

std::string letters(const std::vector<ShortOption>& options) {
  std::string out;
  for (const auto& o : options) out += o.letter;
  return out;
}

// ---------------------------------------------------------------- the option tables

TEST(SshGrammar, OptstringsSayWhichLettersTakeAnArgument) {
  for (char letter : std::string_view("bcDEeFIiJLlmOoPpQRSWw")) {
    EXPECT_EQ(option_takes_argument(kSshOptstring, letter), true) << letter;
  }
  for (char letter : std::string_view("46AaCfGgKkMNnqsTtVvXxYy")) {
    EXPECT_EQ(option_takes_argument(kSshOptstring, letter), false) << letter;
  }
  EXPECT_EQ(option_takes_argument(kSshOptstring, 'Z'), std::nullopt);
  EXPECT_EQ(option_takes_argument(kSshOptstring, ':'), std::nullopt);
  EXPECT_EQ(option_takes_argument(kScpOptstring, 'P'), true);
  EXPECT_EQ(option_takes_argument(kScpOptstring, 'p'), false);  // scp -p preserves times; -P is the port
  EXPECT_EQ(option_takes_argument(kScpOptstring, 'r'), false);
}

TEST(SshGrammar, GetoptPassStopsAtTheFirstOperandWithoutReordering) {
  const Words args = {"-tti", "key", "-p22", "host", "-v"};
  const GetoptPass pass = getopt_pass(args, 0, kSshOptstring);
  EXPECT_EQ(letters(pass.options), "ttip");
  EXPECT_EQ(pass.options[2].argument, "key");
  EXPECT_EQ(pass.options[3].argument, "22");
  EXPECT_EQ(pass.next, 3u);
  EXPECT_FALSE(pass.error);
}

TEST(SshGrammar, GetoptPassReportsTheLetterItStoppedAt) {
  const Words unknown = {"-vZ", "host"};
  const auto pass = getopt_pass(unknown, 0, kSshOptstring);
  ASSERT_TRUE(pass.error);
  EXPECT_EQ(pass.error->kind, GetoptError::Kind::UnknownOption);
  EXPECT_EQ(pass.error->letter, 'Z');
  EXPECT_EQ(letters(pass.options), "v");
  const Words missing = {"-i"};
  ASSERT_TRUE(getopt_pass(missing, 0, kSshOptstring).error);
  EXPECT_EQ(getopt_pass(missing, 0, kSshOptstring).error->kind, GetoptError::Kind::MissingArgument);
}

// ---------------------------------------------------------------- ssh

TEST(SshGrammar, SplitsOptionsDestinationAndCommand) {
  const Words args = {"-o", "StrictHostKeyChecking=no", "-i", "key", "-p", "22", "user@host", "cmd", "-x"};
  const SshArgs ssh = split_ssh_args(args);
  EXPECT_EQ(letters(ssh.options), "oip");
  EXPECT_EQ(ssh.options_before_destination, 3u);
  EXPECT_EQ(ssh.destination, "user@host");
  EXPECT_THAT(ssh.command, ElementsAre("cmd", "-x"));  // options end at the first command word
  EXPECT_FALSE(ssh.error);
}

TEST(SshGrammar, OptionsAfterTheDestinationAreReadToo) {
  const Words args = {"host", "-l", "bob", "-N", "uptime"};
  const SshArgs ssh = split_ssh_args(args);
  EXPECT_EQ(ssh.options_before_destination, 0u);
  EXPECT_EQ(letters(ssh.options), "lN");
  EXPECT_THAT(ssh.command, ElementsAre("uptime"));
}

TEST(SshGrammar, DoubleDashBeforeTheDestinationEndsAllOptions) {
  const Words plain = {"--", "host", "-V"};
  EXPECT_THAT(split_ssh_args(plain).command, ElementsAre("-V"));
  // ssh.c looks at the word before the destination, so an option argument "--" ends options too.
  const Words as_argument = {"-i", "--", "host", "-V"};
  const SshArgs ssh = split_ssh_args(as_argument);
  EXPECT_EQ(ssh.destination, "host");
  EXPECT_THAT(ssh.command, ElementsAre("-V"));
  EXPECT_FALSE(ssh.version_only());
}

TEST(SshGrammar, VersionEndsTheLineWhereverItIs) {
  const Words first = {"-V", "-Z"};
  EXPECT_TRUE(split_ssh_args(first).version_only());
  EXPECT_FALSE(split_ssh_args(first).error);
  EXPECT_FALSE(split_ssh_args(first).destination);
  const Words after = {"host", "-V", "cmd"};
  EXPECT_TRUE(split_ssh_args(after).version_only());
  EXPECT_THAT(split_ssh_args(after).command, IsEmpty());
}

TEST(SshGrammar, NoDestinationOrABadOptionLeavesNoDestination) {
  EXPECT_FALSE(split_ssh_args(Words{}).destination);
  EXPECT_FALSE(split_ssh_args(Words{"-i", "key"}).destination);
  EXPECT_FALSE(split_ssh_args(Words{"-Z", "host"}).destination);
  const SshArgs late = split_ssh_args(Words{"host", "-p"});
  EXPECT_EQ(late.destination, "host");
  ASSERT_TRUE(late.error);
  EXPECT_EQ(late.error->letter, 'p');
}

TEST(SshGrammar, DestinationsCarryUserHostAndPort) {
  const auto plain = parse_ssh_destination("ec2-user@10.0.0.5");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->user, "ec2-user");
  EXPECT_EQ(plain->host, "10.0.0.5");
  EXPECT_EQ(plain->port, std::nullopt);
  const auto uri = parse_ssh_destination("ssh://a@b@[fe80::1]:2200/ignored");
  ASSERT_TRUE(uri);
  EXPECT_EQ(uri->user, "a@b");
  EXPECT_EQ(uri->host, "fe80::1");
  EXPECT_EQ(uri->port, 2200);
  EXPECT_FALSE(parse_ssh_destination("user@"));
  EXPECT_FALSE(parse_ssh_destination("ssh://h:99999"));
}

TEST(SshGrammar, PortsAreDecimalOneTo65535) {
  EXPECT_EQ(parse_ssh_port("22"), 22);
  EXPECT_EQ(parse_ssh_port("65535"), 65535);
  EXPECT_EQ(parse_ssh_port("0"), std::nullopt);
  EXPECT_EQ(parse_ssh_port("65536"), std::nullopt);
  EXPECT_EQ(parse_ssh_port("2x"), std::nullopt);
  EXPECT_EQ(parse_ssh_port(""), std::nullopt);
}

// ---------------------------------------------------------------- scp

TEST(ScpGrammar, SplitsOptionsAndOperands) {
  const Words args = {"-r", "-P", "22", "a", "host:b"};
  const ScpArgs scp = split_scp_args(args);
  EXPECT_EQ(letters(scp.options), "rP");
  EXPECT_TRUE(scp.has('r'));
  EXPECT_THAT(scp.operands, ElementsAre("a", "host:b"));
}

TEST(ScpGrammar, OptionsEndAtTheFirstOperand) {
  EXPECT_THAT(split_scp_args(Words{"a", "-r", "host:b"}).operands, ElementsAre("a", "-r", "host:b"));
  EXPECT_THAT(split_scp_args(Words{"--", "-a", "b"}).operands, ElementsAre("-a", "b"));
}

TEST(ScpGrammar, ABadOptionReadsNoOperands) {
  const ScpArgs scp = split_scp_args(Words{"-Z", "a", "host:b"});
  ASSERT_TRUE(scp.error);
  EXPECT_EQ(scp.error->letter, 'Z');
  EXPECT_THAT(scp.operands, IsEmpty());
}

TEST(ScpGrammar, RemoteOperandsHaveAColonBeforeAnySlash) {
  EXPECT_TRUE(parse_scp_operand("host:b").remote());
  EXPECT_TRUE(parse_scp_operand("[fe80::1]:x").remote());
  EXPECT_EQ(parse_scp_operand("[fe80::1]:x").host, "fe80::1");
  EXPECT_TRUE(parse_scp_operand("scp://u@h:2222/p").remote());
  EXPECT_EQ(parse_scp_operand("scp://u@h:2222/p").port, 2222);
  EXPECT_FALSE(parse_scp_operand("./a:b").remote());
  EXPECT_FALSE(parse_scp_operand(":x").remote());
  EXPECT_FALSE(parse_scp_operand("a").remote());
}

// ---------------------------------------------------------------- cross-check: fake and oracle agree

// A line either tool reads, what the fake ssh makes of it, and what the oracle must say.
struct SshCase {
  std::string name;
  Words args;           // argv without argv[0]
  bool fake_accepts;    // parse_ssh_command_line does not throw
  std::string host;     // the fake's host, when it accepts
  std::string command;  // the fake's joined remote command
  bool remote_exec;     // the oracle's classification
};

void PrintTo(const SshCase& c, std::ostream* os) {
  *os << c.name << ": ssh";
  for (const auto& a : c.args) *os << " " << a;
}

const std::vector<SshCase> kSshCases = {
    {"options_then_destination_then_command",
     {"-o", "StrictHostKeyChecking=no", "-i", "key", "-p", "22", "user@host", "cmd", "-x"},
     true,
     "host",
     "cmd -x",
     true},
    {"flag_cluster", {"-vT", "host"}, true, "host", "", true},
    {"repeated_tty_flag", {"-tt", "host", "sudo", "true"}, true, "host", "sudo true", true},
    {"login_option", {"-l", "user", "host"}, true, "host", "", true},
    {"glued_values", {"-ikey.pem", "-p22", "-oBatchMode=yes", "host", "true"}, true, "host", "true", true},
    {"options_after_the_destination", {"host", "-p", "2222", "uptime", "-p"}, true, "host", "uptime -p", true},
    {"double_dash_then_command", {"host", "--", "ls", "-l"}, true, "host", "ls -l", true},
    {"ssh_uri", {"ssh://ec2-user@10.0.0.5:2200", "true"}, true, "10.0.0.5", "true", true},
    {"option_argument_double_dash_ends_options", {"-i", "--", "host", "-V"}, true, "host", "-V", true},
    {"version_after_the_destination", {"host", "-V"}, true, "", "", false},
    {"version_alone", {"-V"}, true, "", "", false},
    {"forwarding_only", {"-N", "-L", "8080:localhost:80", "host"}, true, "host", "", false},
    {"forwarding_only_after_the_destination", {"host", "-N"}, true, "host", "", false},
    {"unknown_option", {"-Z", "host", "true"}, false, "", "", false},
    {"missing_option_argument", {"host", "-p"}, false, "", "", false},
    {"no_destination", {"-i", "key"}, false, "", "", false},
    {"empty_host", {"user@", "true"}, false, "", "", false},
    {"protocol_1", {"-1", "host"}, false, "", "", false},
};

class SshFakeAndOracle : public ::testing::TestWithParam<SshCase> {};

TEST_P(SshFakeAndOracle, ReadTheSameDestinationAndCommand) {
  const SshCase& c = GetParam();
  bool accepted = true;
  fakes::SshCommandLine fake;
  try {
    fake = fakes::parse_ssh_command_line(c.args);
  } catch (const fakes::CommandLineError&) {
    accepted = false;
  }
  Words argv = {"ssh"};
  argv.insert(argv.end(), c.args.begin(), c.args.end());
  const auto effects = classify(CallSite{"dispatcher", "ssh", argv});

  EXPECT_EQ(accepted, c.fake_accepts);
  if (accepted && !fake.version_only()) {
    EXPECT_EQ(fake.host, c.host);
    EXPECT_EQ(fake.joined_command(), c.command);
  }
  EXPECT_EQ(effects, c.remote_exec ? Words{"remote.exec"} : Words{});
  // The agreement itself: the oracle counts a remote exec only where the fake ssh would open a session.
  if (c.remote_exec) {
    EXPECT_TRUE(accepted && !fake.version_only() && !fake.host.empty());
  }
  if (!accepted || fake.version_only()) {
    EXPECT_THAT(effects, IsEmpty());
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, SshFakeAndOracle, ::testing::ValuesIn(kSshCases),
                         [](const auto& info) { return info.param.name; });

struct ScpCase {
  std::string name;
  Words args;
  bool fake_accepts;
  bool remote_copy;  // the oracle's classification
};

void PrintTo(const ScpCase& c, std::ostream* os) {
  *os << c.name << ": scp";
  for (const auto& a : c.args) *os << " " << a;
}

const std::vector<ScpCase> kScpCases = {
    {"upload_with_port_and_recursion", {"-r", "-P", "22", "a", "host:b"}, true, true},
    {"download_with_identity", {"-i", "key", "-o", "BatchMode=yes", "user@host:/tmp/x", "."}, true, true},
    {"several_sources", {"-q", "a", "b", "host:dir/"}, true, true},
    {"option_after_an_operand_is_an_operand", {"a", "-r", "host:b"}, true, true},
    {"scp_uri", {"scp://ec2-user@h:2222/tmp/x", "."}, true, true},
    {"local_paths_only", {"-P", "22", "./a:b", "./c"}, true, false},
    {"one_operand", {"host:a"}, false, false},
    {"unknown_option", {"-Z", "a", "host:b"}, false, false},
    {"dash_word_after_the_operands_is_an_operand", {"a", "host:b", "-P"}, true, true},
    {"missing_port_value", {"-P"}, false, false},
};

class ScpFakeAndOracle : public ::testing::TestWithParam<ScpCase> {};

TEST_P(ScpFakeAndOracle, ReadTheSameOperands) {
  const ScpCase& c = GetParam();
  bool accepted = true;
  bool any_remote = false;
  try {
    const auto fake = fakes::parse_scp_command_line(c.args);
    any_remote = fake.target.remote();
    for (const auto& source : fake.sources) any_remote = any_remote || source.remote();
  } catch (const fakes::CommandLineError&) {
    accepted = false;
  }
  Words argv = {"scp"};
  argv.insert(argv.end(), c.args.begin(), c.args.end());
  const auto effects = classify(CallSite{"dispatcher", "scp", argv});

  EXPECT_EQ(accepted, c.fake_accepts);
  EXPECT_EQ(effects, c.remote_copy ? Words{"remote.copy"} : Words{});
  // The agreement itself: a remote copy exactly where the fake scp would reach a host.
  EXPECT_EQ(!effects.empty(), accepted && any_remote);
}

INSTANTIATE_TEST_SUITE_P(Cases, ScpFakeAndOracle, ::testing::ValuesIn(kScpCases),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace spotcheck
