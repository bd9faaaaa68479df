// The semantic differ: equivalence per host, polling matched strictly, divergences explained.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "spotcheck/differ.hpp"

namespace spotcheck::harness {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

LeafCall call(std::string host, std::string tool, std::vector<std::string> args, int exit = 0) {
  LeafCall c;
  c.host = std::move(host);
  c.tool = std::move(tool);
  c.args = std::move(args);
  c.exit = exit;
  c.where = "seq ?";
  return c;
}

std::vector<LeafCall> preflight() {
  return {call("dispatcher", "aws", {"ec2", "run-instances", "--region", "us-east-1"}),
          call("dispatcher", "ssh", {"ec2-user@<ip:1>", "true"}),
          call("<instance-id:1>", "python3.12", {"-m", "pip", "install", "-r", "requirements.txt"}),
          call("<instance-id:1>", "python3.12", {"backtest.py", "--mode=smoke"}),
          call("dispatcher", "aws",
               {"ec2", "terminate-instances", "--region", "us-east-1", "--instance-ids", "<instance-id:1>"})};
}

TEST(Differ, IdenticalSequencesAreEquivalent) {
  const auto d = diff_leaf_calls(preflight(), preflight());
  EXPECT_TRUE(d.equivalent);
  EXPECT_THAT(d.report, HasSubstr("equivalent: 5 leaf calls on 2 hosts"));
}

TEST(Differ, InterleavingAcrossHostsIsNotADifference) {
  auto b = preflight();
  std::swap(b[1], b[2]);  // the spot's call recorded before the dispatcher's: per-host order is unchanged
  EXPECT_TRUE(diff_leaf_calls(preflight(), b).equivalent);
}

TEST(Differ, OneMorePollIsADivergence) {
  auto b = preflight();
  b.insert(b.begin() + 1, call("dispatcher", "ssh", {"ec2-user@<ip:1>", "true"}, 255));
  const auto d = diff_leaf_calls(preflight(), b, {"bash", "native"});
  EXPECT_FALSE(d.equivalent);
  ASSERT_EQ(d.hosts.size(), 1u);
  EXPECT_EQ(d.hosts[0].host, "dispatcher");
  EXPECT_EQ(d.hosts[0].added, 1u);
  EXPECT_THAT(d.report, HasSubstr("+ ssh ec2-user@<ip:1> true -> exit 255"));
}

TEST(Differ, AMissingRegionIsNamedAsTheMissingWord) {
  auto b = preflight();
  b[4].args = {"ec2", "terminate-instances", "--instance-ids", "<instance-id:1>"};
  const auto d = diff_leaf_calls(preflight(), b, {"golden", "native"});
  EXPECT_FALSE(d.equivalent);
  EXPECT_THAT(d.report, HasSubstr("first divergence on host dispatcher"));
  EXPECT_THAT(d.report, HasSubstr("argv[3..4] `--region us-east-1` is missing in native"));
  EXPECT_THAT(d.report, HasSubstr("--- golden  host dispatcher"));
  EXPECT_THAT(d.report, HasSubstr("+++ native  host dispatcher"));
}

TEST(Differ, TheFirstDivergenceInCallOrderIsReportedFirst) {
  auto b = preflight();
  b[3].args = {"backtest.py", "--mode", "all", "--upload"};  // spot, position 3
  b.pop_back();                                              // dispatcher, position 4: later
  const auto d = diff_leaf_calls(preflight(), b);
  ASSERT_EQ(d.hosts.size(), 2u);
  EXPECT_EQ(d.hosts[0].host, "<instance-id:1>");
  EXPECT_THAT(d.report, HasSubstr("first divergence on host <instance-id:1>"));
  EXPECT_THAT(d.report, HasSubstr("argv[2]: `--mode=smoke` vs `--mode`"));
}

TEST(Differ, ExitStatusAndPayloadDigestsCount) {
  auto b = preflight();
  b[3].exit = 1;
  EXPECT_THAT(diff_leaf_calls(preflight(), b).report, HasSubstr("exit status 0 vs 1"));
  LeafCall x = call("dispatcher", "scp", {"a", "b"}), y = x;
  x.payloads.push_back({"<ip:1>:/home/ec2-user/.env", "aaaaaaaaaaaaaaaa", 3});
  y.payloads.push_back({"<ip:1>:/home/ec2-user/.env", "bbbbbbbbbbbbbbbb", 3});
  EXPECT_THAT(explain_difference(x, y), HasSubstr("different bytes copied to `<ip:1>:/home/ec2-user/.env`"));
}

TEST(Differ, WrappersAreBehaviour) {
  LeafCall x = call("<instance-id:1>", "aws", {"ssm", "get-parameter"}), y = x;
  x.via = {"timeout 60"};
  EXPECT_EQ(explain_difference(x, y), "wrapped differently: timeout 60 vs no wrapper");
}

TEST(Differ, AHostOnlyOneSideUsedIsReported) {
  auto b = preflight();
  b.push_back(call("<instance-id:2>", "python3.12", {"backtest.py", "--mode=smoke"}));
  const auto d = diff_leaf_calls(preflight(), b, {"bash", "native"});
  EXPECT_FALSE(d.equivalent);
  EXPECT_THAT(d.report, HasSubstr("bash made no calls on this host"));
  EXPECT_THAT(d.report, Not(HasSubstr("no difference")));
}

TEST(Differ, ManyDivergencesAreBoundedToTheFirstHunks) {
  std::vector<LeafCall> a, b;
  for (int k = 0; k < 200; ++k) {
    a.push_back(call("dispatcher", "sleep", {"10"}));
    b.push_back(call("dispatcher", "sleep", {k % 20 == 0 ? "11" : "10"}));
  }
  const auto d = diff_leaf_calls(a, b, {}, 2);
  EXPECT_THAT(d.report, HasSubstr("more hunks on this host"));
}

}  // namespace
}  // namespace spotcheck::harness
