// Normalisation: leaf calls only, volatile values as stable references, goldens round-trip.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "spotcheck/error.hpp"
#include "spotcheck/normalise.hpp"
#include "test_support.hpp"

namespace spotcheck::harness {
namespace {

using spotcheck::testing::TempDir;
using spotcheck::testing::write_file;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

Record rec(std::int64_t seq, std::string host, std::vector<std::string> argv, std::optional<std::int64_t> parent = {}) {
  Record r;
  r.seq = seq;
  r.host = std::move(host);
  r.tool = argv.front();
  r.argv = std::move(argv);
  r.parent = parent;
  return r;
}

TEST(Normaliser, TheSameInstanceIdGetsTheSameReferenceAndANewOneTheNext) {
  Normaliser n;
  EXPECT_EQ(n.apply("--instance-ids i-06212a06cac8b50f7"), "--instance-ids <instance-id:1>");
  EXPECT_EQ(n.apply("i-0aaaaaaaaaaaaaaaa i-06212a06cac8b50f7"), "<instance-id:2> <instance-id:1>");
}

TEST(Normaliser, AddressesTimesAndMktempPathsBecomeReferences) {
  Normaliser n;
  EXPECT_EQ(n.apply("ec2-user@203.0.113.11:~/x"), "ec2-user@<ip:1>:~/x");
  EXPECT_EQ(n.apply("at 2026-12-01T22:29:20.123Z and 2026-12-01T22:29:20.123Z"), "at <time:1> and <time:1>");
  EXPECT_EQ(n.apply("/tmp/spot-launcher.Ab12Cd/remote-1.sh"), "<tmp:1>/remote-1.sh");
  // mkdtemp's letters are sometimes all lowercase (1 in ~180): still a temp name.
  EXPECT_EQ(n.apply("file:///tmp/spot-launcher.akdlzu/ssm-parameters.json"), "file://<tmp:2>/ssm-parameters.json");
  EXPECT_EQ(n.apply("sir-8f3a1b2c and r-0123456789abcdef0"), "<spot-request:1> and <reservation:1>");
}

TEST(Normaliser, RunCommandIdsBecomeReferencesAndNearMissesStay) {
  Normaliser n;
  EXPECT_EQ(n.apply("--command-id 94fa3883-13f6-952c-9f2a-ca69c3025d9b"), "--command-id <command-id:1>");
  EXPECT_EQ(n.apply("1feb95d3-8e37-d684-8736-926939037713 94fa3883-13f6-952c-9f2a-ca69c3025d9b"),
            "<command-id:2> <command-id:1>");
  for (const char* s : {"94fa3883-13f6-952c-9f2a-ca69c3025d9", "94fa3883-13f6-952c-9f2a-ca69c3025d9bx",
                        "94fa3883-13f6-952c-9f2a", "94FA3883-13F6-952C-9F2A-CA69C3025D9B"})
    EXPECT_EQ(n.apply(s), s);
}

TEST(Normaliser, ConfiguredValuesAndFixedTempNamesStayAsTheyAre) {
  Normaliser n;
  for (const char* s : {"ami-0abcdef1234567890", "sg-0123456789abcdef0", "/tmp/trades.db", "/tmp/parity_report.json",
                        "c6i.4xlarge", "1.2.3", "version 10.0.0.1.2", "multi-i-0123456789abcdef"})
    EXPECT_EQ(n.apply(s), s);
}

TEST(LeafCalls, TransportAndDateAreDroppedAndWrappersBecomeVia) {
  std::vector<Record> records = {
      rec(1, "dispatcher", {"date", "-u", "+%H:%M:%S"}),
      rec(2, "dispatcher", {"ssh", "ec2-user@203.0.113.11", "bash -s --"}),
      rec(3, "i-06212a06cac8b50f7", {"timeout", "60", "aws", "ssm", "get-parameter"}, 2),
      rec(4, "i-06212a06cac8b50f7", {"/run/spotcheck/shims/aws", "ssm", "get-parameter"}, 3),
      rec(5, "dispatcher", {"ssh", "ec2-user@203.0.113.11", "true"}),
  };
  records[3].tool = "aws";
  const auto calls = leaf_calls(records);
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].host, "<instance-id:1>");
  EXPECT_EQ(calls[0].tool, "aws");
  EXPECT_THAT(calls[0].args, ElementsAre("ssm", "get-parameter"));
  EXPECT_THAT(calls[0].via, ElementsAre("timeout 60"));
  EXPECT_EQ(calls[0].where, "seq 4");
  EXPECT_EQ(calls[1].host, "dispatcher");
  EXPECT_THAT(calls[1].args, ElementsAre("ec2-user@<ip:1>", "true"));
  EXPECT_EQ(render(calls[0]), "timeout 60 > aws ssm get-parameter -> exit 0");
}

TEST(LeafCalls, PayloadPathsAreNormalisedAndDigestsKept) {
  Record scp = rec(1, "dispatcher", {"scp", "/home/runner/work/.env", "ec2-user@203.0.113.11:~/backtester/.env"});
  scp.payloads.push_back({"203.0.113.11:/home/ec2-user/backtester/.env", "fe157c407ed758c6", 132});
  const auto calls = leaf_calls({scp});
  ASSERT_EQ(calls.size(), 1u);
  ASSERT_EQ(calls[0].payloads.size(), 1u);
  EXPECT_EQ(calls[0].payloads[0].path, "<ip:1>:/home/ec2-user/backtester/.env");
  EXPECT_EQ(calls[0].payloads[0].sha256, "fe157c407ed758c6");
}

TEST(Golden, WrittenCallsReadBackTheSame) {
  TempDir dir;
  const auto golden = dir.path() / "x.expected.jsonl";
  Record r = rec(7, "i-06212a06cac8b50f7", {"python3.12", "backtest.py", "--mode=smoke"});
  r.exit = 3;
  const auto calls = leaf_calls({r});
  write_golden(golden, calls);
  const auto back = read_leaf_calls(golden);
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(render(back[0]), render(calls[0]));
  EXPECT_EQ(back[0].where, "line 1");
}

TEST(Golden, ABadLineNamesTheFileTheLineAndTheField) {
  TempDir dir;
  const auto golden = dir.path() / "bad.expected.jsonl";
  write_file(golden,
             "{\"host\":\"dispatcher\",\"tool\":\"aws\",\"args\":[]}\n{\"host\":\"dispatcher\",\"tool\":\"aws\","
             "\"args\":[1]}\n");
  try {
    read_leaf_calls(golden);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("bad.expected.jsonl:2"));
    EXPECT_THAT(e.what(), HasSubstr("/args"));
  }
}

TEST(Golden, AnUnknownFieldIsAnErrorNotIgnored) {
  TempDir dir;
  const auto golden = dir.path() / "bad.expected.jsonl";
  write_file(golden, "{\"host\":\"dispatcher\",\"tool\":\"aws\",\"argz\":[]}\n");
  EXPECT_THROW(read_leaf_calls(golden), Error);
}

}  // namespace
}  // namespace spotcheck::harness
