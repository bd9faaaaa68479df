// Tests of the fake aws's JMESPath engine: the official compliance suite and the queries launchers pass to --query.
#include <gtest/gtest.h>

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "jmespath/jmespath.hpp"
#include "test_support.hpp"

namespace {

namespace jp = spotcheck::fakes::jmespath;
using spotcheck::fakes::Json;

const std::vector<std::string> kComplianceFiles = {
    "basic",   "benchmarks", "boolean",     "current", "escape", "filters", "functions", "identifiers",
    "indices", "literal",    "multiselect", "pipe",    "slice",  "syntax",  "unicode",   "wildcard"};

std::filesystem::path compliance_dir() {
  return spotcheck::testing::data_dir() / "jmespath-compliance";
}

// Member order is irrelevant and 1 == 1.0, so compare as plain (std::map based) nlohmann::json.
nlohmann::json plain(const Json& value) {
  return nlohmann::json::parse(value.dump());
}

std::string describe(const Json& kase) {
  return kase["expression"].get<std::string>();
}

// Empty when the case passes, else what went wrong.
std::optional<std::string> error_case_failure(const Json& given, const Json& kase) {
  const std::string expected = kase["error"].get<std::string>();
  try {
    Json got = jp::search(kase["expression"].get<std::string>(), given);
    return describe(kase) + ": expected error " + expected + ", got " + got.dump();
  } catch (const jp::Error& e) {
    if (jp::to_string(e.kind()) == expected) return std::nullopt;
    return describe(kase) + ": expected error " + expected + ", got " + std::string(jp::to_string(e.kind())) + ": " +
           e.what();
  }
}

std::optional<std::string> case_failure(const Json& given, const Json& kase) {
  if (kase.contains("error")) return error_case_failure(given, kase);
  try {
    Json got = jp::search(kase["expression"].get<std::string>(), given);
    if (kase.contains("bench")) return std::nullopt;  // benchmarks only have to evaluate
    if (plain(got) == plain(kase["result"])) return std::nullopt;
    return describe(kase) + ": expected " + kase["result"].dump() + ", got " + got.dump();
  } catch (const std::exception& e) {
    return describe(kase) + ": unexpected error: " + e.what();
  }
}

struct Tally {
  int passed = 0;
  int total = 0;
  std::vector<std::string> failures;
};

Tally run_compliance_file(const std::string& name) {
  Tally tally;
  Json suites = Json::parse(spotcheck::testing::read_file(compliance_dir() / (name + ".json")));
  for (const Json& suite : suites) {
    for (const Json& kase : suite["cases"]) {
      ++tally.total;
      std::optional<std::string> failure = case_failure(suite["given"], kase);
      if (failure)
        tally.failures.push_back(name + ".json: " + *failure);
      else
        ++tally.passed;
    }
  }
  return tally;
}

class JmespathComplianceFile : public ::testing::TestWithParam<std::string> {};

TEST_P(JmespathComplianceFile, PassesEveryCaseOfTheFile) {
  if (!std::filesystem::is_directory(compliance_dir()))
    GTEST_SKIP() << "the compliance suite is not at " << compliance_dir() << " (set SPOTCHECK_DATA_DIR)";
  Tally tally = run_compliance_file(GetParam());
  for (const std::string& failure : tally.failures) ADD_FAILURE() << failure;
  EXPECT_GT(tally.total, 0);
  EXPECT_EQ(tally.passed, tally.total);
}

INSTANTIATE_TEST_SUITE_P(Official, JmespathComplianceFile, ::testing::ValuesIn(kComplianceFiles),
                         [](const ::testing::TestParamInfo<std::string>& param_info) { return param_info.param; });

TEST(JmespathCompliance, TheWholeSuitePassesAndItsRateIsPrinted) {
  if (!std::filesystem::is_directory(compliance_dir()))
    GTEST_SKIP() << "the compliance suite is not at " << compliance_dir() << " (set SPOTCHECK_DATA_DIR)";
  Tally all;
  for (const std::string& name : kComplianceFiles) {
    Tally file = run_compliance_file(name);
    all.passed += file.passed;
    all.total += file.total;
  }
  std::printf(
      "JMESPath compliance: %d/%d cases (%.1f%%; the 16 benchmark cases count as passing when they "
      "evaluate without error)\n",
      all.passed, all.total, all.total == 0 ? 0.0 : 100.0 * all.passed / all.total);
  EXPECT_EQ(all.total, 908);
  EXPECT_EQ(all.passed, all.total);
}

// --- the queries the launchers use ---

const Json kRunInstances = Json::parse(R"({
  "Groups": [], "Instances": [{"InstanceId": "i-0abc123", "InstanceType": "c5.xlarge",
                               "State": {"Code": 0, "Name": "pending"}}], "OwnerId": "123456789012"})");

const Json kDescribeInstances = Json::parse(R"({"Reservations": [
  {"Instances": [{"InstanceId": "i-1", "PublicIpAddress": "203.0.113.7", "State": {"Name": "running"}},
                 {"InstanceId": "i-2", "State": {"Name": "pending"}}]},
  {"Instances": [{"InstanceId": "i-3", "PublicIpAddress": "203.0.113.9", "State": {"Name": "terminated"}}]}]})");

TEST(JmespathLauncherQueries, InstanceIdOfTheFirstLaunchedInstance) {
  EXPECT_EQ(jp::search("Instances[0].InstanceId", kRunInstances), "i-0abc123");
}

TEST(JmespathLauncherQueries, PublicIpOfTheFirstReservationsFirstInstance) {
  EXPECT_EQ(jp::search("Reservations[0].Instances[0].PublicIpAddress", kDescribeInstances), "203.0.113.7");
}

TEST(JmespathLauncherQueries, FlattenedIdAndStatePairsKeepTheirOrder) {
  Json got = jp::search("Reservations[].Instances[].[InstanceId,State.Name]", kDescribeInstances);
  EXPECT_EQ(got.dump(), R"([["i-1","running"],["i-2","pending"],["i-3","terminated"]])");
}

TEST(JmespathLauncherQueries, MissingFieldIsNullNotAnError) {
  EXPECT_TRUE(jp::search("Reservations[0].Instances[1].PublicIpAddress", kDescribeInstances).is_null());
}

TEST(JmespathLauncherQueries, SsmParameterValue) {
  Json parameter = Json::parse(R"({"Parameter": {"Name": "/ci/token", "Type": "SecureString", "Value": "s3cr3t"}})");
  EXPECT_EQ(jp::search("Parameter.Value", parameter), "s3cr3t");
}

TEST(JmespathLauncherQueries, LengthOfContentsIsAnIntegerThatPrintsWithoutDecimals) {
  Json listing = Json::parse(R"({"Contents": [{"Key": "a"}, {"Key": "b"}, {"Key": "c"}]})");
  Json got = jp::search("length(Contents)", listing);
  EXPECT_TRUE(got.is_number_integer());
  EXPECT_EQ(got.dump(), "3");
}

TEST(JmespathLauncherQueries, LengthOfAMissingListIsATypeError) {
  try {
    jp::search("length(Contents)", Json::object());
    FAIL() << "expected an error";
  } catch (const jp::Error& e) {
    EXPECT_EQ(e.kind(), jp::ErrorKind::InvalidType);
    EXPECT_NE(std::string(e.what()).find("length()"), std::string::npos) << e.what();
  }
}

TEST(JmespathLauncherQueries, FilterOnStateName) {
  Json got = jp::search("Reservations[].Instances[?State.Name=='running'].InstanceId | []", kDescribeInstances);
  EXPECT_EQ(got.dump(), R"(["i-1"])");
}

// --- errors and API ---

TEST(JmespathErrors, SyntaxErrorNamesTheColumnAndTheExpression) {
  try {
    jp::compile("Reservations[0].Instances[0.InstanceId");
    FAIL() << "expected a syntax error";
  } catch (const jp::Error& e) {
    std::string message = e.what();
    EXPECT_EQ(e.kind(), jp::ErrorKind::Syntax);
    EXPECT_NE(message.find("column 27"), std::string::npos) << message;
    EXPECT_NE(message.find("\"Reservations[0].Instances[0.InstanceId\""), std::string::npos) << message;
  }
}

TEST(JmespathErrors, SyntaxErrorMessageReadsLikeTheRealCli) {
  try {
    jp::compile("foo.");
    FAIL() << "expected a syntax error";
  } catch (const jp::Error& e) {
    EXPECT_STREQ(e.what(),
                 "Expecting: ['quoted_identifier', 'unquoted_identifier', 'lbracket', 'lbrace'], got: eof: "
                 "Parse error at column 4, token \"\" (EOF), for expression:\n\"foo.\"\n     ^");
  }
}

TEST(JmespathErrors, UnknownFunctionIsReportedAtCompileTime) {
  try {
    jp::compile("lenght(Contents)");
    FAIL() << "expected an error";
  } catch (const jp::Error& e) {
    EXPECT_EQ(e.kind(), jp::ErrorKind::UnknownFunction);
    EXPECT_STREQ(e.what(), "Unknown function: lenght()");
  }
}

TEST(JmespathErrors, ErrorKindsHaveTheComplianceSuiteNames) {
  EXPECT_EQ(jp::to_string(jp::ErrorKind::Syntax), "syntax");
  EXPECT_EQ(jp::to_string(jp::ErrorKind::InvalidType), "invalid-type");
  EXPECT_EQ(jp::to_string(jp::ErrorKind::InvalidValue), "invalid-value");
  EXPECT_EQ(jp::to_string(jp::ErrorKind::InvalidArity), "invalid-arity");
  EXPECT_EQ(jp::to_string(jp::ErrorKind::UnknownFunction), "unknown-function");
}

TEST(JmespathApi, ACompiledExpressionIsReusableAcrossDocuments) {
  jp::Expression expression = jp::compile("a.b");
  EXPECT_EQ(expression.search(Json::parse(R"({"a": {"b": 1}})")), 1);
  EXPECT_EQ(expression.search(Json::parse(R"({"a": {"b": "two"}})")), "two");
  EXPECT_TRUE(expression.search(Json::parse("[]")).is_null());
}

TEST(JmespathApi, ResultsKeepTheDocumentsMemberOrder) {
  Json doc = Json::parse(R"({"z": 1, "a": 2, "m": 3})");
  EXPECT_EQ(jp::search("keys(@)", doc).dump(), R"(["z","a","m"])");
  EXPECT_EQ(jp::search("{z: z, a: a}", doc).dump(), R"({"z":1,"a":2})");
}

TEST(JmespathApi, NumbersKeepPythonsIntegerOrFloatShape) {
  EXPECT_EQ(jp::search("sum(@)", Json::parse("[1, 2]")).dump(), "3");
  EXPECT_EQ(jp::search("avg(@)", Json::parse("[2, 2]")).dump(), "2.0");
  EXPECT_EQ(jp::search("ceil(`1.2`)", Json()).dump(), "2");
  EXPECT_EQ(jp::search("to_string(@)", Json::parse(R"({"a": [1, 1.5]})")), R"({"a":[1,1.5]})");
}

// --- where jmespath.py (the real CLI) and the spec leave room, the fake follows jmespath.py ---

TEST(JmespathCliCompatibility, StringsAreOrderedLikeTheRealCli) {
  Json doc = Json::parse(R"([{"t": "2024-01-02"}, {"t": "2023-12-31"}])");
  EXPECT_EQ(jp::search("[?t > '2024'].t", doc).dump(), R"(["2024-01-02"])");
  EXPECT_TRUE(jp::search("`1` < 'a'", Json()).is_null());
}

TEST(JmespathCliCompatibility, ASliceRightAfterAnIndexDoesNotProject) {
  Json doc = Json::parse(R"({"a": [[{"b": 1}, {"b": 2}, {"b": 3}]]})");
  EXPECT_TRUE(jp::search("a[0][1:3].b", doc).is_null());
  EXPECT_EQ(jp::search("a[0][1:3][*].b", doc).dump(), "[2,3]");
}

TEST(JmespathErrors, AbsurdlyDeepNestingIsASyntaxErrorNotACrash) {
  std::string deep = std::string(5000, '(') + "a" + std::string(5000, ')');
  try {
    jp::compile(deep);
    FAIL() << "expected an error";
  } catch (const jp::Error& e) {
    EXPECT_EQ(e.kind(), jp::ErrorKind::Syntax);
    EXPECT_NE(std::string(e.what()).find("nested too deeply"), std::string::npos);
  }
}

}  // namespace
