// Unit tests for the GoogleMock recording matchers: match results and the wording of descriptions and explanations.
#include <gmock/gmock.h>
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include "spotcheck/matchers.hpp"

namespace spotcheck::harness {
namespace {

using ::testing::DescribeMatcher;
using ::testing::Not;

Record make(std::int64_t seq, std::string host, std::string tool, std::vector<std::string> argv,
            std::vector<std::string> effects = {}) {
  Record r;
  r.seq = seq;
  r.host = std::move(host);
  r.tool = std::move(tool);
  r.argv = std::move(argv);
  r.effects = std::move(effects);
  return r;
}

// launch (1), a full-mode python run on the spot (2), an S3 upload from the spot (3).
std::vector<Record> run() {
  return {make(1, "dispatcher", "aws", {"aws", "ec2", "run-instances"}, {"ec2.launch"}),
          make(2, "i-1", "python3.12", {"python3.12", "backtest.py", "--mode=full"}),
          make(3, "i-1", "aws", {"aws", "s3", "cp", "out.csv", "s3://b/k"}, {"s3.write"})};
}

// MatchAndExplain through gmock's public API: the explanation text, and whether it matched.
template <typename M>
std::pair<bool, std::string> explain(const M& matcher, const std::vector<Record>& records) {
  ::testing::StringMatchResultListener listener;
  const bool ok = ::testing::ExplainMatchResult(matcher, records, &listener);
  return {ok, listener.str()};
}

TEST(Called, PassesWhenAMatchingCallWasRecorded) {
  auto records = run();
  records[1].argv[2] = "--mode=smoke";
  EXPECT_THAT(records, Called(call().tool("python").on_spot().argv_contains({"--mode=smoke"})));
  const auto [ok, why] = explain(Called(call().tool("python").on_spot()), records);
  EXPECT_TRUE(ok);
  EXPECT_EQ(why, "first such call is #2 python3.12 on i-1 `backtest.py --mode=smoke` exit 0");
}

TEST(Called, FailsAndExplainsTheSearchAndTheNearestMiss) {
  const auto [ok, why] = explain(Called(call().tool("python").on_spot().argv_contains({"--mode=smoke"})), run());
  EXPECT_FALSE(ok);
  EXPECT_EQ(why,
            "the recording has 0 such calls; searched all 3 records from #1; nearest: #2 python3.12 on i-1 "
            "`backtest.py --mode=full` exit 0 — argv lacks `--mode=smoke`");
}

TEST(Called, AFailedExpectThatCarriesTheExplanation) {
  EXPECT_NONFATAL_FAILURE(EXPECT_THAT(run(), Called(call().tool("python").on_spot().argv_contains({"--mode=smoke"}))),
                          "searched all 3 records from #1");
}

TEST(Called, DescribesItselfAndItsNegation) {
  const ::testing::Matcher<const std::vector<Record>&> m =
      Called(call().tool("python").on_spot().argv_contains({"--mode=smoke"}));
  EXPECT_EQ(DescribeMatcher<const std::vector<Record>&>(m),
            "has at least 1 × a python call on a spot whose argv contains [--mode=smoke]");
  EXPECT_EQ(DescribeMatcher<const std::vector<Record>&>(m, true),
            "does not have at least 1 × a python call on a spot whose argv contains [--mode=smoke]");
}

TEST(Called, WorksUnderNot) {
  EXPECT_THAT(run(), Not(Called(call().tool("python").argv_contains({"--mode=smoke"}))));
  EXPECT_FALSE(explain(Not(Called(call().effect("s3.write"))), run()).first);
}

TEST(CalledTimes, CountsExactly) {
  EXPECT_THAT(run(), CalledTimes(call().tool("aws"), 2));
  const auto [ok, why] = explain(CalledTimes(call().tool("aws").on_dispatcher(), 2), run());
  EXPECT_FALSE(ok);
  EXPECT_EQ(why, "the recording has 1 such calls");
  EXPECT_EQ(DescribeMatcher<const std::vector<Record>&>(CalledTimes(call().tool("aws").host("i-1"), 2)),
            "has exactly 2 × a aws call on i-1");
}

TEST(NotCalled, FailsWhenTheCallHappened) {
  EXPECT_THAT(run(), NotCalled(call().tool("aws").argv_prefix({"s3", "rm"})));
  const auto [ok, why] = explain(NotCalled(call().tool("aws").argv_prefix({"s3", "cp"})), run());
  EXPECT_FALSE(ok);
  EXPECT_EQ(why, "the recording has 1 such calls");
}

TEST(CallSpec, ArgvRegexAndEffectNarrowTheMatch) {
  EXPECT_THAT(run(), Called(call().argv_regex("s3://b/.*")));
  EXPECT_THAT(run(), NotCalled(call().argv_regex("s3://other/")));
  EXPECT_THAT(run(), CalledTimes(call().effect("ec2.launch"), 1));
  EXPECT_EQ(call().tool("aws").host("i-9").matcher().host, "i-9");
}

TEST(HasNoEffect, ExplainsWhereTheEffectHappened) {
  const auto [ok, why] = explain(HasNoEffect("s3.write"), run());
  EXPECT_FALSE(ok);
  EXPECT_EQ(why, "the recording has 1 s3.write; #3 aws on i-1 `s3 cp out.csv s3://b/k` exit 0");
  EXPECT_THAT(run(), HasNoEffect("metric.write"));
  EXPECT_EQ(explain(HasNoEffect("metric.write"), run()).second, "the recording has 0 metric.write");
  EXPECT_EQ(DescribeMatcher<const std::vector<Record>&>(HasNoEffect("s3.write")), "has exactly 0 s3.write effects");
  EXPECT_EQ(DescribeMatcher<const std::vector<Record>&>(HasNoEffect("s3.write"), true),
            "does not have exactly 0 s3.write effects");
}

TEST(HasEffectCount, ListsAtMostThreePlaces) {
  std::vector<Record> records;
  for (int i = 1; i <= 5; ++i) records.push_back(make(i, "d", "sleep", {"sleep", std::to_string(i)}, {"sleep"}));
  EXPECT_THAT(records, HasEffectCount("sleep", 5));
  const auto [ok, why] = explain(HasEffectCount("sleep", 4), records);
  EXPECT_FALSE(ok);
  EXPECT_EQ(why,
            "the recording has 5 sleep; #1 sleep on d `1` exit 0; #2 sleep on d `2` exit 0; #3 sleep on d `3` exit 0");
}

TEST(HasEffectAtLeast, AcceptsMoreAndRejectsFewer) {
  EXPECT_THAT(run(), HasEffectAtLeast("ec2.launch", 1));
  EXPECT_THAT(run(), Not(HasEffectAtLeast("ec2.launch", 2)));
  EXPECT_EQ(DescribeMatcher<const std::vector<Record>&>(HasEffectAtLeast("ec2.launch", 2)),
            "has at least 2 ec2.launch effects");
}

TEST(PrintTo, PrintsARecordAsItsOneLineDescription) {
  EXPECT_EQ(::testing::PrintToString(run()[2]), "#3 aws on i-1 `s3 cp out.csv s3://b/k` exit 0");
}

}  // namespace
}  // namespace spotcheck::harness
