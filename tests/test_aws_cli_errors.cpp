// Unit tests for the fake aws failure texts: every literal was captured from the real awscli 2.9.19 (REFERENCE.md).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "aws/cli_errors.hpp"
#include "aws_usage.hpp"

namespace spotcheck::fakes::aws {
namespace {

// The banner every argparse failure starts with, as the real CLI printed it.
const std::string& kBanner = spotcheck::testing::kAwsUsageBanner;

TEST(AwsCliErrors, BogusOutputIsAnInvalidChoiceListingTheFiveFormats) {
  // aws ec2 describe-instances --output bogus
  const auto f = invalid_choice("--output", "bogus", {"json", "text", "table", "yaml", "yaml-stream"});
  EXPECT_EQ(f.exit, 252);
  EXPECT_EQ(f.stderr_text, kBanner +
                               "aws: error: argument --output: Invalid choice, valid choices are:\n"
                               "\n"
                               "json                                     | text                                    \n"
                               "table                                    | yaml                                    \n"
                               "yaml-stream                             \n"
                               "\n");
}

TEST(AwsCliErrors, InvalidChoiceSuggestsCloseMatchesLikeDifflib) {
  // aws s3 lss
  const auto f =
      invalid_choice("subcommand", "lss", {"ls", "website", "cp", "mv", "rm", "sync", "mb", "rb", "presign"});
  EXPECT_EQ(f.exit, 252);
  EXPECT_EQ(f.stderr_text, kBanner +
                               "aws: error: argument subcommand: Invalid choice, valid choices are:\n"
                               "\n"
                               "ls                                       | website                                 \n"
                               "cp                                       | mv                                      \n"
                               "rm                                       | sync                                    \n"
                               "mb                                       | rb                                      \n"
                               "presign                                 \n"
                               "\n"
                               "\n"
                               "Invalid choice: 'lss', maybe you meant:\n"
                               "\n"
                               "  * ls\n"
                               "\n");
}

TEST(AwsCliErrors, WaiterTypoListsAllWaitersAndTheNearestOne) {
  // aws ec2 wait instance-runnin
  const std::vector<std::string> waiters = {"bundle-task-complete",
                                            "conversion-task-cancelled",
                                            "conversion-task-completed",
                                            "conversion-task-deleted",
                                            "customer-gateway-available",
                                            "export-task-cancelled",
                                            "export-task-completed",
                                            "image-available",
                                            "image-exists",
                                            "instance-exists",
                                            "instance-running",
                                            "instance-status-ok",
                                            "instance-stopped",
                                            "instance-terminated",
                                            "internet-gateway-exists",
                                            "key-pair-exists",
                                            "nat-gateway-available",
                                            "nat-gateway-deleted",
                                            "network-interface-available",
                                            "password-data-available",
                                            "security-group-exists",
                                            "snapshot-completed",
                                            "spot-instance-request-fulfilled",
                                            "subnet-available",
                                            "system-status-ok",
                                            "volume-available",
                                            "volume-deleted",
                                            "volume-in-use",
                                            "vpc-available",
                                            "vpc-exists",
                                            "vpc-peering-connection-deleted",
                                            "vpc-peering-connection-exists",
                                            "vpn-connection-available",
                                            "vpn-connection-deleted"};
  const auto f = invalid_choice("subcommand", "instance-runnin", waiters);
  const std::string tail =
      "vpn-connection-available                 | vpn-connection-deleted                  \n"
      "\n"
      "\n"
      "Invalid choice: 'instance-runnin', maybe you meant:\n"
      "\n"
      "  * instance-running\n"
      "\n";
  EXPECT_EQ(f.exit, 252);
  ASSERT_GE(f.stderr_text.size(), tail.size());
  EXPECT_EQ(f.stderr_text.substr(f.stderr_text.size() - tail.size()), tail);
  EXPECT_NE(f.stderr_text.find("bundle-task-complete                     | conversion-task-cancelled               \n"),
            std::string::npos);
}

TEST(AwsCliErrors, CloseMatchesRankLikeDifflibGetCloseMatches) {
  const std::vector<std::string> ops = {"describe-instances", "describe-instance-status", "describe-images",
                                        "run-instances", "terminate-instances"};
  EXPECT_EQ(close_matches("describe-instancez", ops),
            (std::vector<std::string>{"describe-instances", "describe-instance-status"}));
  EXPECT_EQ(close_matches("run-instance", ops), std::vector<std::string>{"run-instances"});
  EXPECT_TRUE(close_matches("xyz", ops).empty());
  EXPECT_EQ(close_matches("ec2b", {"ec2", "ecr", "ecs", "ebs", "ec2-instance-connect"}),
            std::vector<std::string>{"ec2"});
  EXPECT_EQ(close_matches("s3pi", {"s3", "s3api", "s3control"}), std::vector<std::string>{"s3api"});
  // aws ec2 describe-instancez: three suggestions, best first
  EXPECT_EQ(close_matches("describe-instancez", {"describe-instance-status", "describe-instance-types",
                                                 "describe-instances", "describe-images"}),
            (std::vector<std::string>{"describe-instances", "describe-instance-types", "describe-instance-status"}));
}

TEST(AwsCliErrors, MissingRequiredArgumentsAreJoinedWithCommas) {
  // aws ssm put-parameter
  const auto f = missing_required({"--name", "--value"});
  EXPECT_EQ(f.exit, 252);
  EXPECT_EQ(f.stderr_text, kBanner + "aws: error: the following arguments are required: --name, --value\n\n");
}

TEST(AwsCliErrors, MissingCommandUsesTheSameUsageShape) {
  // aws (no arguments), aws ec2 (no operation)
  EXPECT_EQ(usage_error("the following arguments are required: command").stderr_text,
            kBanner + "aws: error: the following arguments are required: command\n\n");
  EXPECT_EQ(usage_error("argument --region: expected one argument").stderr_text,
            kBanner + "aws: error: argument --region: expected one argument\n\n");
  EXPECT_EQ(usage_error("x").exit, 252);
}

TEST(AwsCliErrors, UnknownOptionsHaveNoErrorPrefix) {
  // aws ec2 describe-instances --bogus-opt x --other
  const auto f = unknown_options({"--bogus-opt", "--other", "x"});
  EXPECT_EQ(f.exit, 252);
  EXPECT_EQ(f.stderr_text, kBanner + "Unknown options: --bogus-opt, --other, x\n\n");
}

TEST(AwsCliErrors, QuerySyntaxErrorIsExit252WithoutTheBanner) {
  // aws ec2 describe-instances --query 'Reservations[?'
  const auto f = bad_query("Reservations[?",
                           "Invalid jmespath expression: Incomplete expression:\n\"Reservations[?\"\n               ^");
  EXPECT_EQ(f.exit, 252);
  EXPECT_EQ(f.stderr_text,
            "\nBad value for --query Reservations[?: Invalid jmespath expression: Incomplete expression:\n"
            "\"Reservations[?\"\n"
            "               ^\n");
}

TEST(AwsCliErrors, QueryErrorWhileSearchingIsAGeneralError) {
  // aws ec2 describe-instances --query 'nofunc(Reservations)' (answered by a local endpoint)
  const auto f = general_error("Unknown function: nofunc()");
  EXPECT_EQ(f.exit, 255);
  EXPECT_EQ(f.stderr_text, "\nUnknown function: nofunc()\n");
}

TEST(AwsCliErrors, MissingRegionIsExit253) {
  const auto f = missing_region();
  EXPECT_EQ(f.exit, 253);
  EXPECT_EQ(f.stderr_text,
            "\nYou must specify a region. You can also configure your region by running \"aws configure\".\n");
}

TEST(AwsCliErrors, MissingCredentialsIsExit253) {
  const auto f = missing_credentials();
  EXPECT_EQ(f.exit, 253);
  EXPECT_EQ(f.stderr_text,
            "\nUnable to locate credentials. You can configure credentials by running \"aws configure\".\n");
}

TEST(AwsCliErrors, ServiceErrorIsExit254) {
  const auto f =
      service_error("InvalidInstanceID.NotFound", "DescribeInstances", "The instance ID 'i-nope' does not exist");
  EXPECT_EQ(f.exit, 254);
  EXPECT_EQ(f.stderr_text,
            "\nAn error occurred (InvalidInstanceID.NotFound) when calling the DescribeInstances operation: "
            "The instance ID 'i-nope' does not exist\n");
  EXPECT_EQ(
      service_error("NoSuchBucket", "ListObjectsV2", "The specified bucket does not exist").stderr_text,
      "\nAn error occurred (NoSuchBucket) when calling the ListObjectsV2 operation: The specified bucket does not "
      "exist\n");
}

TEST(AwsCliErrors, WaiterFailureIsExit255) {
  const auto f = waiter_failed("InstanceRunning",
                               "Waiter encountered a terminal failure state: For expression "
                               "\"Reservations[].Instances[].State.Name\" we matched expected path: \"terminated\" at "
                               "least once");
  EXPECT_EQ(f.exit, 255);
  EXPECT_EQ(f.stderr_text,
            "\nWaiter InstanceRunning failed: Waiter encountered a terminal failure state: For expression "
            "\"Reservations[].Instances[].State.Name\" we matched expected path: \"terminated\" at least once\n");
  EXPECT_EQ(
      waiter_failed("InstanceRunning",
                    "Max attempts exceeded. Previously accepted state: Matched expected "
                    "service error code: InvalidInstanceID.NotFound")
          .stderr_text,
      "\nWaiter InstanceRunning failed: Max attempts exceeded. Previously accepted state: Matched expected service "
      "error code: InvalidInstanceID.NotFound\n");
}

TEST(AwsCliErrors, S3TransferFailuresAreExit1WithoutABlankLine) {
  // aws s3 cp s3://bkt/missing ./dl.txt
  const auto missing_key = s3_failure(
      "fatal error: An error occurred (404) when calling the HeadObject operation: Key \"missing\" does not exist");
  EXPECT_EQ(missing_key.exit, 1);
  EXPECT_EQ(
      missing_key.stderr_text,
      "fatal error: An error occurred (404) when calling the HeadObject operation: Key \"missing\" does not exist\n");
  // aws s3 cp /etc/hostname s3://bkt/key with no credentials, run from /tmp/awsout
  EXPECT_EQ(s3_failure("upload failed: ../../etc/hostname to s3://bkt/key Unable to locate credentials").stderr_text,
            "upload failed: ../../etc/hostname to s3://bkt/key Unable to locate credentials\n");
  EXPECT_EQ(s3_failure("fatal error: Unable to locate credentials").stderr_text,
            "fatal error: Unable to locate credentials\n");
}

TEST(AwsCliErrors, S3FailuresThroughTheHandlerGainTheBlankLine) {
  // aws s3 cp /nonexistent s3://b/k
  const auto f = s3_failure("The user-provided path /nonexistent does not exist.", 255);
  EXPECT_EQ(f.exit, 255);
  EXPECT_EQ(f.stderr_text, "\nThe user-provided path /nonexistent does not exist.\n");
}

TEST(AwsCliErrors, ConnectErrorIsExit255) {
  const auto f = connect_error("https://ec2.us-east-1.amazonaws.com/");
  EXPECT_EQ(f.exit, 255);
  EXPECT_EQ(f.stderr_text, "\nCould not connect to the endpoint URL: \"https://ec2.us-east-1.amazonaws.com/\"\n");
}

TEST(AwsCliErrors, S3AndStsFallBackToGlobalEndpointsWithoutARegion) {
  EXPECT_FALSE(requires_region("s3", "ls"));
  EXPECT_FALSE(requires_region("s3", "cp"));
  EXPECT_FALSE(requires_region("s3", "sync"));
  EXPECT_FALSE(requires_region("s3api", "get-object"));
  EXPECT_FALSE(requires_region("sts", "get-caller-identity"));
  EXPECT_FALSE(requires_region("iam", "list-roles"));
}

TEST(AwsCliErrors, RegionalServicesNeedARegion) {
  EXPECT_TRUE(requires_region("ec2", "describe-instances"));
  EXPECT_TRUE(requires_region("ec2", "wait"));
  EXPECT_TRUE(requires_region("ssm", "get-parameter"));
  EXPECT_TRUE(requires_region("cloudwatch", "put-metric-data"));
  EXPECT_TRUE(requires_region("ses", "send-email"));
  EXPECT_TRUE(requires_region("sns", "publish"));
  EXPECT_TRUE(requires_region("logs", "describe-log-groups"));
}

}  // namespace
}  // namespace spotcheck::fakes::aws
