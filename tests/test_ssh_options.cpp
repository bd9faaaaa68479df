// Tests of fakes/src/shims/ssh_options.cpp: ssh, scp and ssh-keyscan command lines as OpenSSH 9.2 reads them.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "shims/ssh_options.hpp"

namespace spotcheck::fakes {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

SshCommandLine ssh(std::vector<std::string> args) {
  return parse_ssh_command_line(args);
}

std::string ssh_error(std::vector<std::string> args) {
  try {
    parse_ssh_command_line(args);
  } catch (const CommandLineError& e) {
    return std::string(e.what()) + (e.show_usage() ? "\n[usage]" : "");
  }
  return "(accepted)";
}

TEST(SshCommandLine, TypicalLauncherCallSplitsOptionsDestinationAndCommand) {
  const auto cli = ssh({"-i", "key.pem", "-o", "StrictHostKeyChecking=no", "-o", "ConnectTimeout=5",
                        "ec2-user@203.0.113.5", "bash", "-s"});
  EXPECT_EQ(cli.user, "ec2-user");
  EXPECT_EQ(cli.host, "203.0.113.5");
  EXPECT_THAT(cli.identity_files, ElementsAre("key.pem"));
  EXPECT_EQ(cli.options.get("stricthostkeychecking"), "no");
  EXPECT_EQ(cli.connect_timeout(), 5);
  EXPECT_THAT(cli.command, ElementsAre("bash", "-s"));
  EXPECT_EQ(cli.joined_command(), "bash -s");
}

TEST(SshCommandLine, GluedOptionsAndFlagBundlesAreSplitLikeGetopt) {
  const auto cli = ssh({"-p22", "-oBatchMode=yes", "-nTq", "-ikey", "host", "true"});
  EXPECT_EQ(cli.port, 22);
  EXPECT_TRUE(ssh_yes(cli.options.get("BatchMode")));
  EXPECT_TRUE(cli.has_flag('n'));
  EXPECT_TRUE(cli.has_flag('T'));
  EXPECT_TRUE(cli.has_flag('q'));
  EXPECT_FALSE(cli.has_flag('t'));
  EXPECT_THAT(cli.identity_files, ElementsAre("key"));
}

TEST(SshCommandLine, DashOAcceptsSpaceAndEqualsSeparatedForms) {
  const auto cli = ssh({"-o", "ConnectTimeout 7", "-o", "LogLevel = ERROR", "-o", "UserKnownHostsFile=/dev/null", "h"});
  EXPECT_EQ(cli.options.get("ConnectTimeout"), "7");
  EXPECT_EQ(cli.options.get("loglevel"), "ERROR");
  EXPECT_EQ(cli.options.get("USERKNOWNHOSTSFILE"), "/dev/null");
}

TEST(SshCommandLine, FirstValueOfARepeatedOptionWins) {
  const auto cli = ssh({"-o", "ConnectTimeout=3", "-o", "connecttimeout=9", "h"});
  EXPECT_EQ(cli.connect_timeout(), 3);
}

TEST(SshCommandLine, ConnectTimeoutDefaultsAndAcceptsTimeSuffixes) {
  EXPECT_EQ(ssh({"h"}).connect_timeout(), 10);
  EXPECT_EQ(ssh({"-o", "ConnectTimeout=2m", "h"}).connect_timeout(), 120);
  EXPECT_EQ(parse_ssh_time("1h30m"), 5400);
  EXPECT_EQ(parse_ssh_time("abc"), std::nullopt);
}

TEST(SshCommandLine, OptionsAfterTheDestinationAreStillOptions) {
  const auto cli = ssh({"host", "-p", "2222", "-o", "BatchMode=yes", "uptime", "-p"});
  EXPECT_EQ(cli.port, 2222);
  EXPECT_THAT(cli.command, ElementsAre("uptime", "-p"));
}

TEST(SshCommandLine, DoubleDashEndsOptionsBeforeTheCommand) {
  const auto cli = ssh({"host", "--", "ls", "-l"});
  EXPECT_THAT(cli.command, ElementsAre("ls", "-l"));
}

TEST(SshCommandLine, SshUriDestinationCarriesUserAndPort) {
  const auto cli = ssh({"ssh://ec2-user@203.0.113.9:2200"});
  EXPECT_EQ(cli.user, "ec2-user");
  EXPECT_EQ(cli.host, "203.0.113.9");
  EXPECT_EQ(cli.port, 2200);
  EXPECT_TRUE(cli.command.empty());
}

TEST(SshCommandLine, LoginGivenFirstWinsOverTheDestinationUser) {
  EXPECT_EQ(ssh({"-l", "bob", "alice@h"}).user, "bob");
  EXPECT_EQ(ssh({"alice@h", "-l", "bob"}).user, "alice");
}

TEST(SshCommandLine, AgentForwardingAndTtyFlagsAreAccepted) {
  const auto cli = ssh({"-A", "-tt", "-J", "bastion", "-W", "x:22", "h"});
  EXPECT_TRUE(cli.has_flag('A'));
  EXPECT_EQ(std::count(cli.flags.begin(), cli.flags.end(), 't'), 2);
  EXPECT_EQ(cli.option_args.find('J')->second, "bastion");
}

TEST(SshCommandLine, VersionFlagStopsParsingAndNeedsNoDestination) {
  EXPECT_TRUE(ssh({"-V"}).version_only());
  EXPECT_TRUE(ssh({"-V", "-Z"}).version_only());
}

TEST(SshCommandLine, MissingDestinationIsTheUsageText) {
  EXPECT_THAT(ssh_error({}), StartsWith("usage: ssh [-46AaCfGgKkMNnqsTtVvXxYy] [-B bind_interface]\n"));
  EXPECT_THAT(ssh_error({"-i", "key"}), HasSubstr("destination [command [argument ...]]"));
}

TEST(SshCommandLine, UnknownOptionAndMissingArgumentUseGetoptWording) {
  EXPECT_EQ(ssh_error({"-Z", "h"}), "unknown option -- Z\n[usage]");
  EXPECT_EQ(ssh_error({"h", "-p"}), "option requires an argument -- p\n[usage]");
}

TEST(SshCommandLine, BadConfigurationOptionsAreRejectedLikeReadconf) {
  EXPECT_EQ(ssh_error({"-o", "Foo=bar", "h"}), "command-line: line 0: Bad configuration option: foo");
  EXPECT_EQ(ssh_error({"-o", "ConnectTimeout", "h"}),
            "command-line line 0: no argument after keyword \"connecttimeout\"");
  EXPECT_EQ(ssh_error({"-o", "BatchMode=maybe", "h"}), "command-line line 0: unsupported option \"maybe\".");
  EXPECT_EQ(ssh_error({"-o", "ConnectTimeout=abc", "h"}), "command-line line 0: invalid time value.");
  EXPECT_EQ(ssh_error({"-p", "abc", "h"}), "Bad port 'abc'");
}

TEST(SshCommandLine, StrictHostKeyCheckingAcceptsAcceptNew) {
  EXPECT_EQ(ssh({"-o", "StrictHostKeyChecking=accept-new", "h"}).options.get("StrictHostKeyChecking"), "accept-new");
}

TEST(ScpOperand, RemoteOperandsHaveAColonBeforeAnySlash) {
  const auto remote = parse_scp_operand("ec2-user@203.0.113.5:~/config.yaml");
  EXPECT_TRUE(remote.remote());
  EXPECT_EQ(remote.user, "ec2-user");
  EXPECT_EQ(remote.host, "203.0.113.5");
  EXPECT_EQ(remote.path, "~/config.yaml");
  EXPECT_FALSE(parse_scp_operand("./a:b").remote());
  EXPECT_FALSE(parse_scp_operand(":x").remote());
  EXPECT_FALSE(parse_scp_operand("plain.txt").remote());
  EXPECT_EQ(parse_scp_operand("host:").path, "");
}

TEST(ScpOperand, ScpUriCarriesPortAndPath) {
  const auto op = parse_scp_operand("scp://ec2-user@h:2222/tmp/x");
  EXPECT_EQ(op.host, "h");
  EXPECT_EQ(op.port, 2222);
  EXPECT_EQ(op.path, "tmp/x");
}

TEST(ScpCommandLine, SourcesTargetAndOptionsAreSeparated) {
  const auto cli = parse_scp_command_line(
      {"-q", "-r", "-P", "22", "-i", "k", "-o", "StrictHostKeyChecking=no", "a.txt", "dir", "ec2-user@h:/tmp/"});
  EXPECT_TRUE(cli.recursive());
  EXPECT_EQ(cli.port, 22);
  EXPECT_THAT(cli.identity_files, ElementsAre("k"));
  ASSERT_EQ(cli.sources.size(), 2u);
  EXPECT_EQ(cli.sources[1].text, "dir");
  EXPECT_EQ(cli.target.host, "h");
  EXPECT_EQ(cli.target.path, "/tmp/");
}

TEST(ScpCommandLine, FewerThanTwoOperandsIsTheUsageText) {
  try {
    parse_scp_command_line({"only-one"});
    FAIL() << "accepted a single operand";
  } catch (const CommandLineError& e) {
    EXPECT_THAT(e.what(), StartsWith("usage: scp [-346ABCOpqRrsTv]"));
  }
}

TEST(ScpCommandLine, UnknownOptionIsPrefixedWithScp) {
  try {
    parse_scp_command_line({"-Z", "a", "b"});
    FAIL() << "accepted -Z";
  } catch (const CommandLineError& e) {
    EXPECT_STREQ(e.what(), "scp: unknown option -- Z");
    EXPECT_TRUE(e.show_usage());
  }
}

TEST(KeyscanCommandLine, TypesPortTimeoutAndHashing) {
  const auto cli = parse_keyscan_command_line({"-H", "-t", "ed25519,rsa", "-p", "2222", "-T", "3", "h1", "h2"});
  EXPECT_TRUE(cli.hash_hosts);
  EXPECT_THAT(cli.key_types, ElementsAre("ed25519", "rsa"));
  EXPECT_EQ(cli.port, 2222);
  EXPECT_EQ(cli.timeout, 3);
  EXPECT_THAT(cli.hosts, ElementsAre("h1", "h2"));
}

TEST(KeyscanCommandLine, UnknownKeyTypeIsRejected) {
  EXPECT_THROW(parse_keyscan_command_line({"-t", "foo", "h"}), CommandLineError);
  EXPECT_THROW(parse_keyscan_command_line({}), CommandLineError);
}

}  // namespace
}  // namespace spotcheck::fakes
