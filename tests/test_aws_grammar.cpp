// Tests of contracts/src/aws_grammar.cpp: aws command lines split into global options, service, operation and
// operation arguments; and a cross-check that the fake aws (aws/cli_args.cpp) and the effects oracle agree.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <ostream>

#include "aws/cli_args.hpp"
#include "aws/cli_errors.hpp"
#include "aws/service.hpp"
#include "spotcheck/aws_grammar.hpp"
#include "spotcheck/effects.hpp"

namespace spotcheck {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

using Words = std::vector<std::string>;

// ---------------------------------------------------------------- the global options table

TEST(AwsGrammar, GlobalOptionsAreValuesOrFlags) {
  for (std::string_view name : {"region", "output", "query", "profile", "endpoint-url", "color", "cli-read-timeout",
                                "cli-connect-timeout", "ca-bundle", "cli-binary-format"}) {
    EXPECT_EQ(aws_global_kind(name), AwsGlobalKind::Value) << name;
  }
  for (std::string_view name : {"no-cli-pager", "no-paginate", "debug", "no-sign-request", "no-verify-ssl",
                                "cli-auto-prompt", "no-cli-auto-prompt", "version"}) {
    EXPECT_EQ(aws_global_kind(name), AwsGlobalKind::Flag) << name;
  }
  for (std::string_view name : {"dry-run", "recursive", "instance-ids", "--region", "Region"}) {
    EXPECT_EQ(aws_global_kind(name), std::nullopt) << name;
  }
}

// ---------------------------------------------------------------- the split

TEST(AwsGrammar, GlobalsBeforeTheServiceAreTakenOff) {
  const Words args = {"--region", "us-east-1", "--output", "json", "s3", "cp", "a", "s3://b/k"};
  const AwsArgs line = split_aws_args(args);
  EXPECT_EQ(line.service, "s3");
  EXPECT_EQ(line.operation, "cp");
  EXPECT_THAT(line.args, ElementsAre("a", "s3://b/k"));
  EXPECT_EQ(line.global("region"), "us-east-1");
  EXPECT_EQ(line.global("output"), "json");
  EXPECT_FALSE(line.missing_value);
}

TEST(AwsGrammar, GlobalsAnywhereOnTheLineAreTakenOff) {
  const Words args = {"s3", "--profile", "p", "cp", "--no-cli-pager", "a", "--endpoint-url=https://x", "s3://b/k"};
  const AwsArgs line = split_aws_args(args);
  EXPECT_EQ(line.service, "s3");
  EXPECT_EQ(line.operation, "cp");
  EXPECT_THAT(line.args, ElementsAre("a", "s3://b/k"));
  EXPECT_EQ(line.global("profile"), "p");
  EXPECT_EQ(line.global("endpoint-url"), "https://x");
  EXPECT_TRUE(line.has("no-cli-pager"));
  EXPECT_EQ(line.global("no-cli-pager"), "");
}

TEST(AwsGrammar, AValuedGlobalTakesTheNextWordWhateverItIs) {
  const AwsArgs line = split_aws_args(Words{"--query", "--weird", "sts", "get-caller-identity"});
  EXPECT_EQ(line.global("query"), "--weird");
  EXPECT_EQ(line.service, "sts");
}

TEST(AwsGrammar, TheLastValueOfARepeatedGlobalWins) {
  EXPECT_EQ(split_aws_args(Words{"--region", "a", "ec2", "--region=b", "describe-instances"}).global("region"), "b");
}

TEST(AwsGrammar, OperationOptionsStayInTheArguments) {
  const AwsArgs line = split_aws_args(Words{"ec2", "run-instances", "--dry-run", "--image-id", "ami-1"});
  EXPECT_THAT(line.args, ElementsAre("--dry-run", "--image-id", "ami-1"));
  EXPECT_THAT(line.globals, IsEmpty());
}

TEST(AwsGrammar, AFlagWithAValueIsNoGlobal) {
  const AwsArgs line = split_aws_args(Words{"sts", "get-caller-identity", "--debug=1"});
  EXPECT_FALSE(line.has("debug"));
  EXPECT_THAT(line.args, ElementsAre("--debug=1"));
}

TEST(AwsGrammar, AValuedGlobalLastOnTheLineIsMissingItsValue) {
  const AwsArgs line = split_aws_args(Words{"ec2", "describe-instances", "--region"});
  EXPECT_EQ(line.missing_value, "region");
  EXPECT_EQ(line.operation, "describe-instances");
}

TEST(AwsGrammar, OnlyGlobalsLeaveNoService) {
  const AwsArgs line = split_aws_args(Words{"--version"});
  EXPECT_TRUE(line.has("version"));
  EXPECT_EQ(line.service, "");
  EXPECT_EQ(line.operation, "");
}

// ---------------------------------------------------------------- abbreviations (argparse's allow_abbrev)

TEST(AwsGrammar, AnOptionMatchesExactlyThenByUniquePrefix) {
  const std::vector<std::string_view> names = {"sse", "sse-c", "sse-kms-key-id", "recursive"};
  EXPECT_EQ(match_aws_option("--sse", names).name, "sse");
  EXPECT_EQ(match_aws_option("--sse-k", names).name, "sse-kms-key-id");
  EXPECT_EQ(match_aws_option("--rec=x", names).name, "recursive");
  EXPECT_EQ(match_aws_option("--bogus", names).name, "");
  EXPECT_THAT(match_aws_option("--bogus", names).candidates, IsEmpty());
  EXPECT_EQ(match_aws_option("recursive", names).name, "");
  const auto ambiguous = match_aws_option("--sse-", names);
  EXPECT_EQ(ambiguous.name, "");
  EXPECT_THAT(ambiguous.candidates, ElementsAre("--sse-c", "--sse-kms-key-id"));
  EXPECT_EQ(aws_ambiguous_option("--sse-", ambiguous.candidates),
            "ambiguous option: --sse- could match --sse-c, --sse-kms-key-id");
}

TEST(AwsGrammar, AUniquePrefixOfAGlobalIsThatGlobal) {
  const AwsArgs line = split_aws_args(Words{"--reg", "eu-west-1", "ec2", "--out=text", "describe-instances", "--deb"});
  EXPECT_EQ(line.global("region"), "eu-west-1");
  EXPECT_EQ(line.global("output"), "text");
  EXPECT_TRUE(line.has("debug"));
  EXPECT_EQ(line.service, "ec2");
  EXPECT_EQ(line.operation, "describe-instances");
  EXPECT_THAT(line.args, IsEmpty());
}

TEST(AwsGrammar, AWordSeveralGlobalsBeginIsAmbiguousWhereverItStands) {
  const AwsArgs line = split_aws_args(Words{"ec2", "describe-instances", "--region", "us-east-1", "--c", "x"});
  EXPECT_EQ(line.ambiguous,
            "ambiguous option: --c could match --color, --ca-bundle, --cli-read-timeout, "
            "--cli-connect-timeout, --cli-binary-format, --cli-auto-prompt");
  EXPECT_EQ(split_aws_args(Words{"--no-", "s3", "ls"}).ambiguous,
            "ambiguous option: --no- could match --no-verify-ssl, --no-paginate, --no-sign-request, --no-cli-pager, "
            "--no-cli-auto-prompt");
  EXPECT_FALSE(split_aws_args(Words{"ec2", "describe-instances", "--instance-id", "i-1"}).ambiguous);
}

// ---------------------------------------------------------------- cross-check: fake and oracle agree

// A line both read: the fake's service, operation and operation arguments, and the oracle's effects.
struct AwsCase {
  std::string name;
  Words args;  // argv without argv[0]
  std::string service;
  std::string operation;
  Words operation_args;
  Words effects;
};

void PrintTo(const AwsCase& c, std::ostream* os) {
  *os << c.name << ": aws";
  for (const auto& a : c.args) *os << " " << a;
}

const std::vector<AwsCase> kAwsCases = {
    {"globals_before_the_service",
     {"--region", "us-east-1", "--output", "json", "s3", "cp", "./r.json", "s3://b/results/r.json"},
     "s3",
     "cp",
     {"./r.json", "s3://b/results/r.json"},
     {"s3.write"}},
    {"global_after_the_service",
     {"s3", "--profile", "p", "cp", "./c.yaml", "s3://b/config/c.yaml"},
     "s3",
     "cp",
     {"./c.yaml", "s3://b/config/c.yaml"},
     {"s3.write", "config.write"}},
    {"globals_among_the_operation_arguments",
     {"ec2", "terminate-instances", "--no-cli-pager", "--instance-ids", "i-1", "--region", "us-east-1"},
     "ec2",
     "terminate-instances",
     {"--instance-ids", "i-1"},
     {"ec2.terminate"}},
    {"flags_and_equals_forms",
     {"--debug", "--no-paginate", "--query=Parameter.Value", "--output=text", "ssm", "get-parameter", "--name", "/t",
      "--with-decryption"},
     "ssm",
     "get-parameter",
     {"--name", "/t", "--with-decryption"},
     {"secret.read"}},
    {"ignored_valued_globals",
     {"--cli-binary-format", "raw-in-base64-out", "--ca-bundle", "/etc/ca.pem", "s3api", "put-object", "--bucket", "b",
      "--key", "config/x.json", "--body", "x.json"},
     "s3api",
     "put-object",
     {"--bucket", "b", "--key", "config/x.json", "--body", "x.json"},
     {"s3.write", "config.write"}},
    {"endpoint_outside_aws",
     {"--endpoint-url", "http://localhost:4566", "s3", "ls", "s3://b/"},
     "s3",
     "ls",
     {"s3://b/"},
     {"s3.read", "external.api"}},
    {"a_global_value_that_looks_like_an_operation",
     {"--profile", "s3", "ec2", "describe-instances"},
     "ec2",
     "describe-instances",
     {},
     {"ec2.describe"}},
    {"dry_run_among_globals",
     {"ec2", "--region", "eu-west-1", "run-instances", "--dry-run", "--image-id", "ami-1"},
     "ec2",
     "run-instances",
     {"--dry-run", "--image-id", "ami-1"},
     {}},
};

class AwsFakeAndOracle : public ::testing::TestWithParam<AwsCase> {};

TEST_P(AwsFakeAndOracle, ReadTheSameServiceOperationAndArguments) {
  const AwsCase& c = GetParam();
  const fakes::aws::CommandLine fake = fakes::aws::split_command_line(c.args);
  EXPECT_EQ(fake.service, c.service);
  EXPECT_EQ(fake.operation, c.operation);
  EXPECT_EQ(fake.args, c.operation_args);

  Words argv = {"aws"};
  argv.insert(argv.end(), c.args.begin(), c.args.end());
  const auto effects = classify(CallSite{"dispatcher", "aws", argv});
  EXPECT_EQ(effects, c.effects);

  // The agreement itself: the oracle gives the same effects for the fake's reading of the line, written
  // plainly (service, operation, arguments; the one global that matters to effects up front).
  Words plain = {"aws"};
  if (fake.globals.endpoint_url) plain.insert(plain.end(), {"--endpoint-url", *fake.globals.endpoint_url});
  plain.insert(plain.end(), {fake.service, fake.operation});
  plain.insert(plain.end(), fake.args.begin(), fake.args.end());
  EXPECT_EQ(classify(CallSite{"dispatcher", "aws", plain}), effects);
}

// An abbreviation and its full name: the fake reads the same parameters, the oracle the same effects.
struct AbbreviationCase {
  std::string name;
  Words abbreviated;  // argv without argv[0]
  Words full;
};

void PrintTo(const AbbreviationCase& c, std::ostream* os) {
  *os << c.name << ": aws";
  for (const auto& a : c.abbreviated) *os << " " << a;
}

const std::vector<AbbreviationCase> kAbbreviationCases = {
    {"dry_run",
     {"ec2", "run-instances", "--dry", "--image-id", "ami-1"},
     {"ec2", "run-instances", "--dry-run", "--image-id", "ami-1"}},
    {"dry_run_with_equals",
     {"ec2", "terminate-instances", "--dry-r", "--instance-ids=i-1"},
     {"ec2", "terminate-instances", "--dry-run", "--instance-ids=i-1"}},
    {"recursive_rm", {"s3", "rm", "--rec", "s3://b/tmp/"}, {"s3", "rm", "--recursive", "s3://b/tmp/"}},
    {"recursive_cp",
     {"s3", "cp", "./out", "s3://b/results/", "--recu", "--only"},
     {"s3", "cp", "./out", "s3://b/results/", "--recursive", "--only-show-errors"}},
    {"s3_dryrun", {"s3", "cp", "--dryr", "./a", "s3://b/config/a"}, {"s3", "cp", "--dryrun", "./a", "s3://b/config/a"}},
    {"rb_force", {"s3", "rb", "s3://b", "--f"}, {"s3", "rb", "s3://b", "--force"}},
    {"s3api_key",
     {"s3api", "put-object", "--buck", "b", "--ke", "config/x.json", "--body", "x"},
     {"s3api", "put-object", "--bucket", "b", "--key", "config/x.json", "--body", "x"}},
    {"global_region",
     {"--reg", "us-east-1", "ssm", "get-parameter", "--name", "/t", "--with-dec"},
     {"--region", "us-east-1", "ssm", "get-parameter", "--name", "/t", "--with-decryption"}},
    {"global_endpoint",
     {"--endpoint", "http://localhost:4566", "s3", "ls", "s3://b/"},
     {"--endpoint-url", "http://localhost:4566", "s3", "ls", "s3://b/"}},
    {"global_version", {"--vers", "s3", "rm", "s3://b/k"}, {"--version", "s3", "rm", "s3://b/k"}},
};

class AwsAbbreviationsInFakeAndOracle : public ::testing::TestWithParam<AbbreviationCase> {};

Words effects_of(const Words& args) {
  Words argv = {"aws"};
  argv.insert(argv.end(), args.begin(), args.end());
  return classify(CallSite{"dispatcher", "aws", argv});
}

TEST_P(AwsAbbreviationsInFakeAndOracle, ClassifyAsTheFullName) {
  const AbbreviationCase& c = GetParam();
  EXPECT_EQ(effects_of(c.abbreviated), effects_of(c.full));
  const auto fake = fakes::aws::split_command_line(c.abbreviated);
  const auto full = fakes::aws::split_command_line(c.full);
  EXPECT_EQ(fake.globals.region, full.globals.region);
  EXPECT_EQ(fake.globals.endpoint_url, full.globals.endpoint_url);
  EXPECT_EQ(fake.service, full.service);
  EXPECT_EQ(fake.operation, full.operation);
  // The fake's operation parser reads the abbreviated arguments as the full ones.
  if (fake.service == "ec2" || fake.service == "ssm") {
    const auto& service = fake.service == "ec2" ? fakes::aws::ec2_service() : fakes::aws::ssm_service();
    const auto* op = service.find(fake.operation);
    ASSERT_NE(op, nullptr);
    EXPECT_EQ(fakes::aws::parse_params(fake.args, op->params), fakes::aws::parse_params(full.args, op->params));
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, AwsAbbreviationsInFakeAndOracle, ::testing::ValuesIn(kAbbreviationCases),
                         [](const auto& info) { return info.param.name; });

TEST(AwsAbbreviationsInFakeAndOracle, TheEffectsAreThereToCompare) {
  // The pairs above compare something: a dry run launches nothing, a recursive rm writes under its prefix.
  EXPECT_THAT(effects_of({"ec2", "run-instances", "--dry", "--image-id", "ami-1"}), IsEmpty());
  EXPECT_FALSE(effects_of({"ec2", "run-instances", "--image-id", "ami-1"}).empty());
  EXPECT_FALSE(effects_of({"s3", "rm", "--rec", "s3://b/tmp/"}).empty());
}

TEST(AwsAbbreviationsInFakeAndOracle, AnAmbiguousGlobalStandsForNothing) {
  const Words args = {"s3", "rm", "--no-", "s3://b/k"};
  try {
    fakes::aws::split_command_line(args);
    ADD_FAILURE() << "the fake accepted an ambiguous option";
  } catch (const fakes::aws::CliFailure& f) {
    EXPECT_EQ(f.exit, 252);
  }
  EXPECT_THAT(effects_of(args), IsEmpty());
}

INSTANTIATE_TEST_SUITE_P(Cases, AwsFakeAndOracle, ::testing::ValuesIn(kAwsCases),
                         [](const auto& info) { return info.param.name; });

TEST(AwsFakeAndOracle, ALineTheFakeRejectsAsUsageStandsForNothing) {
  const Words args = {"s3", "cp", "a", "s3://b/k", "--region"};
  try {
    fakes::aws::split_command_line(args);
    ADD_FAILURE() << "the fake accepted a global without its value";
  } catch (const fakes::aws::CliFailure& f) {
    EXPECT_EQ(f.exit, 252);
  }
  Words argv = {"aws"};
  argv.insert(argv.end(), args.begin(), args.end());
  EXPECT_THAT(classify(CallSite{"dispatcher", "aws", argv}), IsEmpty());
}

TEST(AwsFakeAndOracle, VersionAnywhereRunsNoOperation) {
  // The fake answers `--version` wherever it stands (shims/aws.cpp); the oracle counts nothing for it.
  EXPECT_TRUE(split_aws_args(Words{"s3", "ls", "--version"}).has("version"));
  EXPECT_THAT(classify(CallSite{"dispatcher", "aws", {"aws", "s3", "ls", "--version"}}), IsEmpty());
  EXPECT_THAT(classify(CallSite{"dispatcher", "aws", {"aws", "--version", "s3", "rm", "s3://b/k"}}), IsEmpty());
}

}  // namespace
}  // namespace spotcheck
