// Tests of the fake aws's command-line reader: global options anywhere, typed parameters, shorthand, file://.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "aws/cli_args.hpp"
#include "aws/cli_errors.hpp"
#include "aws_usage.hpp"
#include "test_support.hpp"

namespace spotcheck::fakes::aws {
namespace {

using ::testing::HasSubstr;

// Runs `fn`, expecting a CliFailure; returns it.
template <typename Fn>
CliFailure failure_of(Fn&& fn) {
  try {
    fn();
  } catch (const CliFailure& f) {
    return f;
  }
  ADD_FAILURE() << "expected a CliFailure";
  return CliFailure{0, ""};
}

const std::vector<ParamSpec> kSpecs = {
    {"image-id", ParamKind::String, true},   {"instance-ids", ParamKind::StringList},
    {"filters", ParamKind::StructureList},   {"dry-run", ParamKind::Boolean},
    {"with-decryption", ParamKind::Boolean}, {"instance-market-options", ParamKind::Structure},
    {"max-results", ParamKind::Integer},     {"user-data", ParamKind::String},
};

TEST(AwsCommandLine, GlobalOptionsAreTakenBeforeAndAfterTheService) {
  const auto line = split_command_line({"--region", "eu-west-1", "ec2", "describe-instances", "--output", "text",
                                        "--query=Reservations[0]", "--no-cli-pager", "--instance-ids", "i-1"});
  EXPECT_EQ(line.service, "ec2");
  EXPECT_EQ(line.operation, "describe-instances");
  EXPECT_EQ(line.globals.region, "eu-west-1");
  EXPECT_EQ(line.globals.output, "text");
  EXPECT_EQ(line.globals.query, "Reservations[0]");
  EXPECT_TRUE(line.globals.no_cli_pager);
  EXPECT_EQ(line.args, (std::vector<std::string>{"--instance-ids", "i-1"}));
}

TEST(AwsCommandLine, ProfileEndpointAndTimeoutsAreGlobal) {
  const auto line = split_command_line({"s3", "ls", "--profile", "dev", "--endpoint-url", "https://s3.amazonaws.com",
                                        "--cli-read-timeout", "5", "--debug", "--no-paginate"});
  EXPECT_EQ(line.globals.profile, "dev");
  EXPECT_EQ(line.globals.endpoint_url, "https://s3.amazonaws.com");
  EXPECT_EQ(line.globals.read_timeout, "5");
  EXPECT_TRUE(line.globals.debug);
  EXPECT_TRUE(line.globals.no_paginate);
  EXPECT_TRUE(line.args.empty());
}

TEST(AwsCommandLine, AGlobalOptionWithoutItsValueIsAUsageError) {
  const auto f = failure_of([] { split_command_line({"ec2", "describe-instances", "--region"}); });
  EXPECT_EQ(f.exit, 252);
  EXPECT_THAT(f.stderr_text, HasSubstr("--region"));
}

TEST(AwsCommandLine, OperationNamesBecomePascalCase) {
  EXPECT_EQ(pascal_case("describe-instances"), "DescribeInstances");
  EXPECT_EQ(pascal_case("list-objects-v2"), "ListObjectsV2");
}

TEST(AwsParams, ScalarAndEqualsFormsAreRead) {
  const auto p = parse_params({"--image-id", "ami-1", "--max-results=5"}, kSpecs);
  EXPECT_EQ(p["image-id"], "ami-1");
  EXPECT_EQ(p["max-results"], 5);
}

TEST(AwsParams, ListParametersTakeSeveralValuesAndCommas) {
  const auto p = parse_params({"--image-id", "x", "--instance-ids", "i-1", "i-2,i-3", "--dry-run"}, kSpecs);
  EXPECT_EQ(p["instance-ids"], Json::array({"i-1", "i-2", "i-3"}));
  EXPECT_EQ(p["dry-run"], true);
}

TEST(AwsParams, ListParametersAcceptAJsonArray) {
  const auto p = parse_params({"--image-id", "x", "--instance-ids", R"(["i-1","i-2"])"}, kSpecs);
  EXPECT_EQ(p["instance-ids"], Json::array({"i-1", "i-2"}));
}

TEST(AwsParams, BooleanFlagsHaveANoForm) {
  const auto p = parse_params({"--image-id", "x", "--no-with-decryption", "--dry-run"}, kSpecs);
  EXPECT_EQ(p["with-decryption"], false);
  EXPECT_EQ(p["dry-run"], true);
}

TEST(AwsParams, FiltersInShorthandBecomeStructures) {
  const auto p = parse_params(
      {"--image-id", "x", "--filters", "Name=instance-state-name,Values=running,pending", "Name=tag:Name,Values=job"},
      kSpecs);
  ASSERT_EQ(p["filters"].size(), 2u);
  EXPECT_EQ(p["filters"][0]["Name"], "instance-state-name");
  EXPECT_EQ(p["filters"][0]["Values"], Json::array({"running", "pending"}));
  EXPECT_EQ(p["filters"][1]["Values"], "job");
}

TEST(AwsParams, NestedShorthandStructuresAreRead) {
  const auto p = parse_params({"--image-id", "x", "--instance-market-options",
                               "MarketType=spot,SpotOptions={MaxPrice=0.5,SpotInstanceType=one-time}"},
                              kSpecs);
  const Json& m = p["instance-market-options"];
  EXPECT_EQ(m["MarketType"], "spot");
  EXPECT_EQ(m["SpotOptions"]["MaxPrice"], "0.5");
  EXPECT_EQ(m["SpotOptions"]["SpotInstanceType"], "one-time");
}

TEST(AwsParams, ShorthandListsOfStructuresAreRead) {
  const Json v =
      parse_shorthand("ResourceType=instance,Tags=[{Key=Name,Value=job},{Key=Owner,Value=ci}]", "tag-specifications");
  EXPECT_EQ(v["ResourceType"], "instance");
  ASSERT_EQ(v["Tags"].size(), 2u);
  EXPECT_EQ(v["Tags"][1]["Key"], "Owner");
  EXPECT_EQ(v["Tags"][1]["Value"], "ci");
}

TEST(AwsParams, QuotedShorthandValuesKeepCommas) {
  const Json v = parse_shorthand("Key=msg,Value='a,b'", "tags");
  EXPECT_EQ(v["Value"], "a,b");
}

TEST(AwsParams, JsonStructuresAreReadAsJson) {
  const auto p = parse_params({"--image-id", "x", "--instance-market-options", R"({"MarketType":"spot"})"}, kSpecs);
  EXPECT_EQ(p["instance-market-options"]["MarketType"], "spot");
}

TEST(AwsParams, MalformedShorthandIsAUsageError) {
  const auto f = failure_of([] {
    parse_params({"--image-id", "x", "--instance-market-options", "MarketType"}, kSpecs);
  });
  EXPECT_EQ(f.exit, 252);
  EXPECT_THAT(f.stderr_text, HasSubstr("instance-market-options"));
}

TEST(AwsParams, FileValuesAreReadFromTheFile) {
  spotcheck::testing::TempDir dir;
  spotcheck::testing::write_file(dir.path() / "user-data.sh", "#!/bin/bash\necho hi\n");
  const auto p =
      parse_params({"--image-id", "x", "--user-data", "file://" + (dir.path() / "user-data.sh").string()}, kSpecs);
  EXPECT_EQ(p["user-data"], "#!/bin/bash\necho hi\n");
}

TEST(AwsParams, AMissingFileValueIsAUsageError) {
  const auto f = failure_of([] { parse_params({"--image-id", "x", "--user-data", "file:///nonexistent/x"}, kSpecs); });
  EXPECT_EQ(f.exit, 252);
  EXPECT_THAT(f.stderr_text, HasSubstr("/nonexistent/x"));
}

TEST(AwsParams, UnknownOptionsAreListedWithTheirValues) {
  const auto f = failure_of([] { parse_params({"--image-id", "x", "--min-count", "1", "--bogus"}, kSpecs); });
  EXPECT_EQ(f.exit, 252);
  EXPECT_THAT(f.stderr_text, HasSubstr("--min-count"));
  EXPECT_THAT(f.stderr_text, HasSubstr("--bogus"));
}

TEST(AwsParams, MissingRequiredParametersAreNamed) {
  const auto f = failure_of([] { parse_params({"--dry-run"}, kSpecs); });
  EXPECT_EQ(f.exit, 252);
  EXPECT_THAT(f.stderr_text, HasSubstr("--image-id"));
}

TEST(AwsParams, AParameterWithoutItsValueIsAUsageError) {
  const auto f = failure_of([] { parse_params({"--image-id"}, kSpecs); });
  EXPECT_EQ(f.exit, 252);
  EXPECT_THAT(f.stderr_text, HasSubstr("--image-id"));
}

TEST(AwsParams, IntegersAreCheckedWhenTheRequestIsBuiltNotByArgparse) {
  // aws ec2 describe-instances --max-results five: 255, Python's int() message (awscli 2.9.19).
  const auto f = failure_of([] { parse_params({"--image-id", "x", "--max-results", "five"}, kSpecs); });
  EXPECT_EQ(f.exit, 255);
  EXPECT_EQ(f.stderr_text, "\ninvalid literal for int() with base 10: 'five'\n");
}

// ---------------------------------------------------------------- argparse's abbreviations (allow_abbrev)

// The banner every argparse failure starts with, as the real CLI printed it.
const std::string& kBanner = spotcheck::testing::kAwsUsageBanner;

TEST(AwsAbbreviations, AUniquePrefixOfAnOperationOptionIsThatOption) {
  // aws ec2 describe-instances --instance-id i-1 means --instance-ids.
  const auto p = parse_params({"--image", "ami-1", "--instance-id", "i-1", "i-2", "--with-d", "--max-r=5",
                               "--instance-market", "MarketType=spot"},
                              kSpecs);
  EXPECT_EQ(p["image-id"], "ami-1");
  EXPECT_EQ(p["instance-ids"], Json::parse(R"(["i-1", "i-2"])"));
  EXPECT_EQ(p["with-decryption"], true);
  EXPECT_EQ(p["max-results"], 5);
  EXPECT_EQ(p["instance-market-options"], Json::parse(R"({"MarketType": "spot"})"));
}

TEST(AwsAbbreviations, APrefixOfABooleansNoFormIsThatForm) {
  EXPECT_EQ(parse_params({"--image-id", "x", "--no-dr"}, kSpecs)["dry-run"], false);
}

TEST(AwsAbbreviations, AnAmbiguousPrefixIsTheRealUsageError) {
  // aws ec2 run-instances --image-id ami-1 --no-d: "ambiguous option: --no-d could match --no-dry-run,
  // --no-disable-api-stop" (awscli 2.9.19); here the candidates are kSpecs' in their order.
  const auto f = failure_of([] { parse_params({"--image-id", "x", "--i", "y"}, kSpecs); });
  EXPECT_EQ(f.exit, 252);
  EXPECT_EQ(f.stderr_text,
            kBanner +
                "aws: error: ambiguous option: --i could match --image-id, --instance-ids, --instance-market-options\n"
                "\n");
  const auto no = failure_of([] { parse_params({"--image-id", "x", "--no-", "y"}, kSpecs); });
  EXPECT_EQ(no.stderr_text,
            kBanner + "aws: error: ambiguous option: --no- could match --no-dry-run, --no-with-decryption\n\n");
}

TEST(AwsAbbreviations, AnAmbiguousPrefixFailsBeforeMissingRequiredOptions) {
  // argparse classifies every word before it checks anything else.
  const auto f = failure_of([] { parse_params({"--ma", "5", "--i=x"}, kSpecs); });
  EXPECT_THAT(f.stderr_text, HasSubstr("ambiguous option: --i=x could match --image-id, --instance-ids"));
}

TEST(AwsAbbreviations, AnExactNameWinsOverALongerOption) {
  // aws s3 cp a s3://b/k --sse AES256 is --sse, although --sse-c and --sse-kms-key-id begin with it.
  const std::vector<ParamSpec> specs = {
      {"sse", ParamKind::String}, {"sse-c", ParamKind::String}, {"sse-kms-key-id", ParamKind::String}};
  const auto p = parse_params({"--sse", "AES256", "--sse-k", "k1"}, specs);
  EXPECT_EQ(p["sse"], "AES256");
  EXPECT_EQ(p["sse-kms-key-id"], "k1");
  EXPECT_FALSE(p.contains("sse-c"));
}

TEST(AwsAbbreviations, APrefixOfNoOptionIsStillUnknown) {
  const auto f = failure_of([] { parse_params({"--image-id", "x", "--instance-idz", "i-1"}, kSpecs); });
  EXPECT_EQ(f.stderr_text, kBanner + "Unknown options: --instance-idz, i-1\n\n");
}

TEST(AwsAbbreviations, AUniquePrefixOfAGlobalOptionIsThatGlobal) {
  const auto line = split_command_line({"ec2", "describe-instances", "--reg", "eu-west-1", "--out=text", "--que",
                                        "Reservations", "--no-pag", "--instance-ids", "i-1"});
  EXPECT_EQ(line.globals.region, "eu-west-1");
  EXPECT_EQ(line.globals.output, "text");
  EXPECT_EQ(line.globals.query, "Reservations");
  EXPECT_TRUE(line.globals.no_paginate);
  EXPECT_EQ(line.args, (std::vector<std::string>{"--instance-ids", "i-1"}));
}

TEST(AwsAbbreviations, AGlobalPrefixIsTakenBeforeTheOperationSeesIt) {
  // aws s3 rm s3://b/k --re: the main parser reads --region, then finds no value (awscli 2.9.19).
  const auto f = failure_of([] { split_command_line({"s3", "rm", "s3://b/k", "--re"}); });
  EXPECT_EQ(f.stderr_text, kBanner + "aws: error: argument --region: expected one argument\n\n");
}

TEST(AwsAbbreviations, AnAmbiguousGlobalPrefixIsTheRealUsageError) {
  // Both texts as awscli 2.9.19 printed them.
  const auto c = failure_of([] {
    split_command_line({"ec2", "describe-instances", "--region", "us-east-1", "--c", "x"});
  });
  EXPECT_EQ(c.exit, 252);
  EXPECT_EQ(c.stderr_text,
            kBanner +
                "aws: error: ambiguous option: --c could match --color, --ca-bundle, --cli-read-timeout, "
                "--cli-connect-timeout, --cli-binary-format, --cli-auto-prompt\n\n");
  const auto no = failure_of([] { split_command_line({"ec2", "describe-instances", "--no-"}); });
  EXPECT_EQ(no.stderr_text, kBanner +
                                "aws: error: ambiguous option: --no- could match --no-verify-ssl, --no-paginate, "
                                "--no-sign-request, --no-cli-pager, --no-cli-auto-prompt\n\n");
}

TEST(AwsAbbreviations, AListOptionWithoutAValueIsAnEmptyList) {
  // aws ec2 describe-instances --instance-ids: the real CLI sends the request (describes every instance).
  EXPECT_EQ(parse_params({"--image-id", "x", "--instance-ids"}, kSpecs)["instance-ids"], Json::array());
  const auto p = parse_params({"--instance-ids", "--filters", "--image-id", "x"}, kSpecs);
  EXPECT_EQ(p["instance-ids"], Json::array());
  EXPECT_EQ(p["filters"], Json::array());
  EXPECT_EQ(p["image-id"], "x");
}

TEST(AwsParams, PositionalParametersFillInOrder) {
  const std::vector<ParamSpec> specs = {{"bucket", ParamKind::String, true},
                                        {"outfile", ParamKind::String, true, true}};
  const auto p = parse_params({"--bucket", "b", "out.bin"}, specs);
  EXPECT_EQ(p["outfile"], "out.bin");
}

}  // namespace
}  // namespace spotcheck::fakes::aws
