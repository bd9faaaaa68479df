// Tests of the fake aws's SSM parameters, CloudWatch metrics, SES/SNS notifications and STS identity.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>

#include "ordered_json.hpp"
#include "spotcheck/fakes/shim.hpp"
#include "spotcheck/fakes/state.hpp"
#include "spotcheck/fakes/world/seed.hpp"
#include "test_support.hpp"

namespace spotcheck::fakes {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

struct Result {
  int rc;
  std::string out, err;
};

class WorldServicesTest : public ::testing::Test {
 protected:
  spotcheck::testing::TempDir dir;
  RunPaths paths{dir.path()};

  void SetUp() override {
    for (const char* v : {"AWS_REGION", "AWS_PROFILE", "AWS_DEFAULT_OUTPUT", "AWS_ACCESS_KEY_ID", "AWS_CONFIG_FILE",
                          "AWS_EC2_METADATA_DISABLED"}) {
      unsetenv(v);
    }
    setenv("HOME", dir.path().c_str(), 1);
    setenv("AWS_DEFAULT_REGION", "us-east-1", 1);
    spotcheck::testing::write_file(paths.world(), R"({"region": "us-east-1", "amis": ["ami-0123456789abcdef0"],
      "ssm": {"/spot/pip-token": {"value": "s3cr3t", "type": "SecureString"}, "/spot/branch": "main"}})");
    world::seed_world(paths);
  }

  Result aws(std::vector<std::string> args, const std::string& host = "dispatcher") {
    args.insert(args.begin(), "aws");
    Context ctx;
    ctx.paths = paths;
    ctx.host = host;
    Call call(ctx, args);
    const int rc = run_aws(call);
    return {rc, call.record().stdout_text, call.record().stderr_text};
  }
};

TEST_F(WorldServicesTest, GetParameterDecryptsOnlyWithDecryption) {
  const auto plain = aws({"ssm", "get-parameter", "--name", "/spot/pip-token", "--with-decryption", "--query",
                          "Parameter.Value", "--output", "text"});
  ASSERT_EQ(plain.rc, 0) << plain.err;
  EXPECT_EQ(plain.out, "s3cr3t\n");
  const auto sealed =
      aws({"ssm", "get-parameter", "--name", "/spot/pip-token", "--query", "Parameter.Value", "--output", "text"});
  EXPECT_THAT(sealed.out, StartsWith("AQICAH"));
  EXPECT_THAT(sealed.out, ::testing::Not(HasSubstr("s3cr3t")));
}

TEST_F(WorldServicesTest, GetParameterReturnsTheApiShape) {
  const auto r = aws({"ssm", "get-parameter", "--name", "/spot/branch"});
  ASSERT_EQ(r.rc, 0) << r.err;
  const Json p = Json::parse(r.out)["Parameter"];
  EXPECT_EQ(p["Name"], "/spot/branch");
  EXPECT_EQ(p["Type"], "String");
  EXPECT_EQ(p["Value"], "main");
  EXPECT_EQ(p["Version"], 1);
  EXPECT_EQ(p["ARN"], "arn:aws:ssm:us-east-1:123456789012:parameter/spot/branch");
}

TEST_F(WorldServicesTest, AMissingParameterIsParameterNotFound) {
  const auto r = aws({"ssm", "get-parameter", "--name", "/nope"});
  EXPECT_EQ(r.rc, 254);
  EXPECT_THAT(r.err, HasSubstr("An error occurred (ParameterNotFound) when calling the GetParameter operation"));
}

TEST_F(WorldServicesTest, ParametersLiveInTheWorldRegionOnly) {
  EXPECT_EQ(aws({"ssm", "get-parameter", "--name", "/spot/branch", "--region", "eu-west-1"}).rc, 254);
}

TEST_F(WorldServicesTest, PutParameterNeedsOverwriteForAnExistingName) {
  const auto exists = aws({"ssm", "put-parameter", "--name", "/spot/branch", "--value", "dev", "--type", "String"});
  EXPECT_EQ(exists.rc, 254);
  EXPECT_THAT(exists.err, HasSubstr("ParameterAlreadyExists"));
  const auto over = aws({"ssm", "put-parameter", "--name", "/spot/branch", "--value", "dev", "--overwrite"});
  ASSERT_EQ(over.rc, 0) << over.err;
  EXPECT_EQ(Json::parse(over.out)["Version"], 2);
  EXPECT_EQ(
      aws({"ssm", "get-parameter", "--name", "/spot/branch", "--query", "Parameter.Value", "--output", "text"}).out,
      "dev\n");
}

TEST_F(WorldServicesTest, PutParameterWithoutItsValueIsAUsageError) {
  const auto r = aws({"ssm", "put-parameter", "--name", "/x"});
  EXPECT_EQ(r.rc, 252);
  EXPECT_THAT(r.err, HasSubstr("--value"));
}

TEST_F(WorldServicesTest, GetParametersSplitsFoundAndInvalid) {
  const auto r = aws({"ssm", "get-parameters", "--names", "/spot/branch", "/nope", "--query", "InvalidParameters",
                      "--output", "text"});
  EXPECT_EQ(r.out, "/nope\n");
}

TEST_F(WorldServicesTest, PublicAmiParametersResolveToTheWorldAmi) {
  const auto r =
      aws({"ssm", "get-parameter", "--name", "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
           "--query", "Parameter.Value", "--output", "text"});
  EXPECT_EQ(r.out, "ami-0123456789abcdef0\n");
}

TEST_F(WorldServicesTest, SsmNeedsARegion) {
  unsetenv("AWS_DEFAULT_REGION");
  EXPECT_EQ(aws({"ssm", "get-parameter", "--name", "/spot/branch"}).rc, 253);
}

TEST_F(WorldServicesTest, PutMetricDataStoresTheDatapointAndPrintsNothing) {
  const auto r = aws({"cloudwatch", "put-metric-data", "--namespace", "Spot/Backtest", "--metric-name", "Heartbeat",
                      "--value", "1", "--unit", "Count", "--dimensions", "Module=backtester,Mode=full"});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out, "");
  const auto state = read_state(paths, "cloudwatch");
  ASSERT_EQ(state["datapoints"].size(), 1u);
  const auto& d = state["datapoints"][0];
  EXPECT_EQ(d["namespace"], "Spot/Backtest");
  EXPECT_EQ(d["metric_name"], "Heartbeat");
  EXPECT_EQ(d["value"], 1.0);
  EXPECT_EQ(d["unit"], "Count");
  EXPECT_EQ(d["dimensions"][0]["Name"], "Module");
  EXPECT_EQ(d["dimensions"][1]["Value"], "full");
}

TEST_F(WorldServicesTest, PutMetricDataAcceptsMetricDataJson) {
  const auto r =
      aws({"cloudwatch", "put-metric-data", "--namespace", "Spot", "--metric-data",
           R"([{"MetricName":"Rows","Value":42,"Unit":"Count","Dimensions":[{"Name":"Job","Value":"weekly"}]}])"});
  ASSERT_EQ(r.rc, 0) << r.err;
  const auto listed = aws(
      {"cloudwatch", "list-metrics", "--namespace", "Spot", "--query", "Metrics[0].MetricName", "--output", "text"});
  EXPECT_EQ(listed.out, "Rows\n");
  const auto stats = aws({"cloudwatch", "get-metric-statistics", "--namespace", "Spot", "--metric-name", "Rows",
                          "--start-time", "2027-01-01T00:00:00Z", "--end-time", "2027-01-02T00:00:00Z", "--period",
                          "60", "--statistics", "Sum", "--query", "Datapoints[0].Sum"});
  EXPECT_EQ(stats.out, "42.0\n");
}

TEST_F(WorldServicesTest, PutMetricDataWithoutANamespaceIsAUsageError) {
  EXPECT_EQ(aws({"cloudwatch", "put-metric-data", "--metric-name", "x", "--value", "1"}).rc, 252);
}

TEST_F(WorldServicesTest, SesSendEmailIsStoredForScenarios) {
  const auto r = aws({"ses", "send-email", "--from", "ci@example.com", "--destination", "ToAddresses=dev@example.com",
                      "--message", "Subject={Data=Preflight failed},Body={Text={Data=lib pin drift}}"});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_FALSE(Json::parse(r.out)["MessageId"].get<std::string>().empty());
  const auto state = read_state(paths, "notify");
  ASSERT_EQ(state["messages"].size(), 1u);
  EXPECT_EQ(state["messages"][0]["service"], "ses");
  EXPECT_EQ(state["messages"][0]["to"][0], "dev@example.com");
  EXPECT_EQ(state["messages"][0]["subject"], "Preflight failed");
  EXPECT_EQ(state["messages"][0]["text"], "lib pin drift");
}

TEST_F(WorldServicesTest, SnsPublishIsStoredWithAMessageId) {
  const auto r = aws({"sns", "publish", "--topic-arn", "arn:aws:sns:us-east-1:123456789012:alerts", "--message", "done",
                      "--query", "MessageId", "--output", "text"});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out.size(), 37u);  // uuid + newline
  EXPECT_EQ(read_state(paths, "notify")["messages"][0]["text"], "done");
}

TEST_F(WorldServicesTest, CallerIdentityIsAUserOnTheDispatcherAndARoleOnASpot) {
  const auto user = aws({"sts", "get-caller-identity", "--query", "[Account,Arn]", "--output", "text"});
  EXPECT_EQ(user.out, "123456789012\tarn:aws:iam::123456789012:user/spotcheck\n");
  const auto spot = aws({"sts", "get-caller-identity", "--query", "Arn", "--output", "text"}, "i-0123456789abcdef0");
  EXPECT_EQ(spot.out, "arn:aws:sts::123456789012:assumed-role/spotcheck-instance-role/i-0123456789abcdef0\n");
}

TEST_F(WorldServicesTest, StsNeedsNoRegion) {
  unsetenv("AWS_DEFAULT_REGION");
  EXPECT_EQ(aws({"sts", "get-caller-identity"}).rc, 0);
}

TEST_F(WorldServicesTest, ABadOutputFormatIsAUsageError) {
  EXPECT_EQ(aws({"sts", "get-caller-identity", "--output", "xml"}).rc, 252);
}

TEST_F(WorldServicesTest, ABadQueryIsExit252) {
  const auto r = aws({"sts", "get-caller-identity", "--query", "Account["});
  EXPECT_EQ(r.rc, 252);
  EXPECT_THAT(r.err, HasSubstr("Bad value for --query"));
}

TEST_F(WorldServicesTest, VersionIsPrinted) {
  EXPECT_THAT(aws({"--version"}).out, StartsWith("aws-cli/2."));
}

}  // namespace
}  // namespace spotcheck::fakes
