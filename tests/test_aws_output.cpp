// Unit tests for the fake aws output formats: every expected string was printed by awscli 2.9.19's own formatter.
// Regenerate by feeding the same JSON to awscli.formatter (see fakes/src/aws/REFERENCE.md).
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "aws/output.hpp"

namespace spotcheck::fakes::aws {
namespace {

// The formatted text, or "EXCEPTION: what" where the real CLI's formatter raises.
std::string render(const Json& value, OutputFormat format, std::string_view title) {
  try {
    return format_output(value, format, title);
  } catch (const std::runtime_error& e) {
    return std::string("EXCEPTION: ") + e.what();
  }
}

TEST(AwsOutput, ParsesTheFiveOutputNamesAndRejectsOthers) {
  EXPECT_EQ(parse_output_format("json"), OutputFormat::Json);
  EXPECT_EQ(parse_output_format("text"), OutputFormat::Text);
  EXPECT_EQ(parse_output_format("table"), OutputFormat::Table);
  EXPECT_EQ(parse_output_format("yaml"), OutputFormat::Yaml);
  EXPECT_EQ(parse_output_format("yaml-stream"), OutputFormat::YamlStream);
  EXPECT_FALSE(parse_output_format("bogus").has_value());
  EXPECT_FALSE(parse_output_format("JSON").has_value());
}

TEST(AwsOutput, PythonStrSpellsScalarsAsTheCliPrintsThem) {
  EXPECT_EQ(python_str(Json(nullptr)), "None");
  EXPECT_EQ(python_str(Json(true)), "True");
  EXPECT_EQ(python_str(Json(1.0)), "1.0");
  EXPECT_EQ(python_str(Json(1e16)), "1e+16");
  EXPECT_EQ(python_str(Json(1e15)), "1000000000000000.0");
  EXPECT_EQ(python_str(Json(0.00001)), "1e-05");
  EXPECT_EQ(python_str(Json(0.1 + 0.2)), "0.30000000000000004");
  EXPECT_EQ(python_str(Json::parse(R"({"k": ["it's", null]})")), R"({'k': ["it's", None]})");
}

TEST(AwsOutput, DescribeInstancesResponseRendersLikeTheRealCli) {
  const Json value = Json::parse(
      R"JSON({"Reservations": [{"ReservationId": "r-0abc", "OwnerId": "123456789012", "Groups": [], "Instances": [{"InstanceId": "i-0123456789abcdef0", "ImageId": "ami-0abcdef1234567890", "InstanceType": "c5.large", "LaunchTime": "2024-05-01T12:00:00+00:00", "State": {"Code": 16, "Name": "running"}, "PrivateIpAddress": "10.0.0.5", "PublicIpAddress": "54.1.2.3", "Tags": [{"Key": "Name", "Value": "spot-backtest"}, {"Key": "Role", "Value": "worker"}], "SecurityGroups": [{"GroupName": "default", "GroupId": "sg-1"}], "EbsOptimized": false, "SpotInstanceRequestId": "sir-1", "CpuOptions": {"CoreCount": 1, "ThreadsPerCore": 2}}]}]})JSON");
  EXPECT_EQ(render(value, OutputFormat::Json, "DescribeInstances"),
            "{\n"
            "    \"Reservations\": [\n"
            "        {\n"
            "            \"ReservationId\": \"r-0abc\",\n"
            "            \"OwnerId\": \"123456789012\",\n"
            "            \"Groups\": [],\n"
            "            \"Instances\": [\n"
            "                {\n"
            "                    \"InstanceId\": \"i-0123456789abcdef0\",\n"
            "                    \"ImageId\": \"ami-0abcdef1234567890\",\n"
            "                    \"InstanceType\": \"c5.large\",\n"
            "                    \"LaunchTime\": \"2024-05-01T12:00:00+00:00\",\n"
            "                    \"State\": {\n"
            "                        \"Code\": 16,\n"
            "                        \"Name\": \"running\"\n"
            "                    },\n"
            "                    \"PrivateIpAddress\": \"10.0.0.5\",\n"
            "                    \"PublicIpAddress\": \"54.1.2.3\",\n"
            "                    \"Tags\": [\n"
            "                        {\n"
            "                            \"Key\": \"Name\",\n"
            "                            \"Value\": \"spot-backtest\"\n"
            "                        },\n"
            "                        {\n"
            "                            \"Key\": \"Role\",\n"
            "                            \"Value\": \"worker\"\n"
            "                        }\n"
            "                    ],\n"
            "                    \"SecurityGroups\": [\n"
            "                        {\n"
            "                            \"GroupName\": \"default\",\n"
            "                            \"GroupId\": \"sg-1\"\n"
            "                        }\n"
            "                    ],\n"
            "                    \"EbsOptimized\": false,\n"
            "                    \"SpotInstanceRequestId\": \"sir-1\",\n"
            "                    \"CpuOptions\": {\n"
            "                        \"CoreCount\": 1,\n"
            "                        \"ThreadsPerCore\": 2\n"
            "                    }\n"
            "                }\n"
            "            ]\n"
            "        }\n"
            "    ]\n"
            "}\n");
  EXPECT_EQ(render(value, OutputFormat::Text, "DescribeInstances"),
            "RESERVATIONS\t123456789012\tr-0abc\n"
            "INSTANCES\tFalse\tami-0abcdef1234567890\ti-0123456789abcdef0\tc5.large\t2024-05-01T12:00:00+00:00\t10.0.0."
            "5\t54.1.2.3\tsir-1\n"
            "CPUOPTIONS\t1\t2\n"
            "SECURITYGROUPS\tsg-1\tdefault\n"
            "STATE\t16\trunning\n"
            "TAGS\tName\tspot-backtest\n"
            "TAGS\tRole\tworker\n");
  EXPECT_EQ(render(value, OutputFormat::Table, "DescribeInstances"),
            "------------------------------------------------------------\n"
            "|                     DescribeInstances                    |\n"
            "+----------------------------------------------------------+\n"
            "||                      Reservations                      ||\n"
            "|+----------------------------+---------------------------+|\n"
            "||  OwnerId                   |  123456789012             ||\n"
            "||  ReservationId             |  r-0abc                   ||\n"
            "|+----------------------------+---------------------------+|\n"
            "|||                       Instances                      |||\n"
            "||+------------------------+-----------------------------+||\n"
            "|||  EbsOptimized          |  False                      |||\n"
            "|||  ImageId               |  ami-0abcdef1234567890      |||\n"
            "|||  InstanceId            |  i-0123456789abcdef0        |||\n"
            "|||  InstanceType          |  c5.large                   |||\n"
            "|||  LaunchTime            |  2024-05-01T12:00:00+00:00  |||\n"
            "|||  PrivateIpAddress      |  10.0.0.5                   |||\n"
            "|||  PublicIpAddress       |  54.1.2.3                   |||\n"
            "|||  SpotInstanceRequestId |  sir-1                      |||\n"
            "||+------------------------+-----------------------------+||\n"
            "||||                     CpuOptions                     ||||\n"
            "|||+----------------------------------------+-----------+|||\n"
            "||||  CoreCount                             |  1        ||||\n"
            "||||  ThreadsPerCore                        |  2        ||||\n"
            "|||+----------------------------------------+-----------+|||\n"
            "||||                   SecurityGroups                   ||||\n"
            "|||+---------------------------+------------------------+|||\n"
            "||||  GroupId                  |  sg-1                  ||||\n"
            "||||  GroupName                |  default               ||||\n"
            "|||+---------------------------+------------------------+|||\n"
            "||||                        State                       ||||\n"
            "|||+---------------------+------------------------------+|||\n"
            "||||  Code               |  16                          ||||\n"
            "||||  Name               |  running                     ||||\n"
            "|||+---------------------+------------------------------+|||\n"
            "||||                        Tags                        ||||\n"
            "|||+---------------+------------------------------------+|||\n"
            "||||      Key      |               Value                ||||\n"
            "|||+---------------+------------------------------------+|||\n"
            "||||  Name         |  spot-backtest                     ||||\n"
            "||||  Role         |  worker                            ||||\n"
            "|||+---------------+------------------------------------+|||\n");
  EXPECT_EQ(render(value, OutputFormat::Yaml, "DescribeInstances"),
            "Reservations:\n"
            "- Groups: []\n"
            "  Instances:\n"
            "  - CpuOptions:\n"
            "      CoreCount: 1\n"
            "      ThreadsPerCore: 2\n"
            "    EbsOptimized: false\n"
            "    ImageId: ami-0abcdef1234567890\n"
            "    InstanceId: i-0123456789abcdef0\n"
            "    InstanceType: c5.large\n"
            "    LaunchTime: '2024-05-01T12:00:00+00:00'\n"
            "    PrivateIpAddress: 10.0.0.5\n"
            "    PublicIpAddress: 54.1.2.3\n"
            "    SecurityGroups:\n"
            "    - GroupId: sg-1\n"
            "      GroupName: default\n"
            "    SpotInstanceRequestId: sir-1\n"
            "    State:\n"
            "      Code: 16\n"
            "      Name: running\n"
            "    Tags:\n"
            "    - Key: Name\n"
            "      Value: spot-backtest\n"
            "    - Key: Role\n"
            "      Value: worker\n"
            "  OwnerId: '123456789012'\n"
            "  ReservationId: r-0abc\n");
  EXPECT_EQ(render(value, OutputFormat::YamlStream, "DescribeInstances"),
            "- Reservations:\n"
            "  - Groups: []\n"
            "    Instances:\n"
            "    - CpuOptions:\n"
            "        CoreCount: 1\n"
            "        ThreadsPerCore: 2\n"
            "      EbsOptimized: false\n"
            "      ImageId: ami-0abcdef1234567890\n"
            "      InstanceId: i-0123456789abcdef0\n"
            "      InstanceType: c5.large\n"
            "      LaunchTime: '2024-05-01T12:00:00+00:00'\n"
            "      PrivateIpAddress: 10.0.0.5\n"
            "      PublicIpAddress: 54.1.2.3\n"
            "      SecurityGroups:\n"
            "      - GroupId: sg-1\n"
            "        GroupName: default\n"
            "      SpotInstanceRequestId: sir-1\n"
            "      State:\n"
            "        Code: 16\n"
            "        Name: running\n"
            "      Tags:\n"
            "      - Key: Name\n"
            "        Value: spot-backtest\n"
            "      - Key: Role\n"
            "        Value: worker\n"
            "    OwnerId: '123456789012'\n"
            "    ReservationId: r-0abc\n");
}

TEST(AwsOutput, QueryToAScalarStringPrintsTheBareValue) {
  const Json value = Json::parse(R"JSON("i-0123456789abcdef0")JSON");
  EXPECT_EQ(render(value, OutputFormat::Json, "DescribeInstances"), "\"i-0123456789abcdef0\"\n");
  EXPECT_EQ(render(value, OutputFormat::Text, "DescribeInstances"), "i-0123456789abcdef0\n");
  EXPECT_EQ(render(value, OutputFormat::Table, "DescribeInstances"),
            "-------------------\n"
            "|DescribeInstances|\n"
            "+-----------------+\n");
  EXPECT_EQ(render(value, OutputFormat::Yaml, "DescribeInstances"), "\"i-0123456789abcdef0\"\n");
  EXPECT_EQ(render(value, OutputFormat::YamlStream, "DescribeInstances"), "- i-0123456789abcdef0\n");
}

TEST(AwsOutput, ListOfListsPrintsOneRowPerInstance) {
  const Json value = Json::parse(R"JSON([["i-1", "running"], ["i-2", "stopped"]])JSON");
  EXPECT_EQ(render(value, OutputFormat::Json, "DescribeInstances"),
            "[\n"
            "    [\n"
            "        \"i-1\",\n"
            "        \"running\"\n"
            "    ],\n"
            "    [\n"
            "        \"i-2\",\n"
            "        \"stopped\"\n"
            "    ]\n"
            "]\n");
  EXPECT_EQ(render(value, OutputFormat::Text, "DescribeInstances"),
            "i-1\trunning\n"
            "i-2\tstopped\n");
  EXPECT_EQ(render(value, OutputFormat::Table, "DescribeInstances"),
            "--------------------\n"
            "| DescribeInstances|\n"
            "+------+-----------+\n"
            "|  i-1 |  running  |\n"
            "|  i-2 |  stopped  |\n"
            "+------+-----------+\n");
  EXPECT_EQ(render(value, OutputFormat::Yaml, "DescribeInstances"),
            "- - i-1\n"
            "  - running\n"
            "- - i-2\n"
            "  - stopped\n");
  EXPECT_EQ(render(value, OutputFormat::YamlStream, "DescribeInstances"),
            "- - - i-1\n"
            "    - running\n"
            "  - - i-2\n"
            "    - stopped\n");
}

TEST(AwsOutput, NullResultPrintsNullNoneOrNothing) {
  const Json value = Json::parse(R"JSON(null)JSON");
  EXPECT_EQ(render(value, OutputFormat::Json, "DescribeInstances"), "null\n");
  EXPECT_EQ(render(value, OutputFormat::Text, "DescribeInstances"), "None\n");
  EXPECT_EQ(render(value, OutputFormat::Table, "DescribeInstances"), "");
  EXPECT_EQ(render(value, OutputFormat::Yaml, "DescribeInstances"), "null\n");
  EXPECT_EQ(render(value, OutputFormat::YamlStream, "DescribeInstances"), "- null\n");
}

TEST(AwsOutput, BooleansNumbersAndNullUsePythonSpellings) {
  const Json value = Json::parse(R"JSON([true, false, null, 1, 2.5, 1e+16, 1e-05, 0.0001, 123456789.125, -0.0])JSON");
  EXPECT_EQ(render(value, OutputFormat::Json, "DescribeInstances"),
            "[\n"
            "    true,\n"
            "    false,\n"
            "    null,\n"
            "    1,\n"
            "    2.5,\n"
            "    1e+16,\n"
            "    1e-05,\n"
            "    0.0001,\n"
            "    123456789.125,\n"
            "    -0.0\n"
            "]\n");
  EXPECT_EQ(render(value, OutputFormat::Text, "DescribeInstances"),
            "True\tFalse\tNone\t1\t2.5\t1e+16\t1e-05\t0.0001\t123456789.125\t-0.0\n");
  EXPECT_EQ(render(value, OutputFormat::Table, "DescribeInstances"),
            "-------------------\n"
            "|DescribeInstances|\n"
            "+-----------------+\n"
            "|  True           |\n"
            "|  False          |\n"
            "|  None           |\n"
            "|  1              |\n"
            "|  2.5            |\n"
            "|  1e+16          |\n"
            "|  1e-05          |\n"
            "|  0.0001         |\n"
            "|  123456789.125  |\n"
            "|  -0.0           |\n"
            "+-----------------+\n");
  EXPECT_EQ(render(value, OutputFormat::Yaml, "DescribeInstances"),
            "- true\n"
            "- false\n"
            "- null\n"
            "- 1\n"
            "- 2.5\n"
            "- 1e+16\n"
            "- 1e-05\n"
            "- 0.0001\n"
            "- 123456789.125\n"
            "- -0.0\n");
  EXPECT_EQ(render(value, OutputFormat::YamlStream, "DescribeInstances"),
            "- - true\n"
            "  - false\n"
            "  - null\n"
            "  - 1\n"
            "  - 2.5\n"
            "  - 1e+16\n"
            "  - 1e-05\n"
            "  - 0.0001\n"
            "  - 123456789.125\n"
            "  - -0.0\n");
}

TEST(AwsOutput, NestedDictWithBooleanAndNullValues) {
  const Json value = Json::parse(
      R"JSON({"Parameter": {"Name": "/x", "Value": "v", "Version": 3, "LastModifiedDate": "2024-01-01T00:00:00.000000+00:00", "Selected": true, "Nothing": null}})JSON");
  EXPECT_EQ(render(value, OutputFormat::Json, "GetParameter"),
            "{\n"
            "    \"Parameter\": {\n"
            "        \"Name\": \"/x\",\n"
            "        \"Value\": \"v\",\n"
            "        \"Version\": 3,\n"
            "        \"LastModifiedDate\": \"2024-01-01T00:00:00.000000+00:00\",\n"
            "        \"Selected\": true,\n"
            "        \"Nothing\": null\n"
            "    }\n"
            "}\n");
  EXPECT_EQ(render(value, OutputFormat::Text, "GetParameter"),
            "PARAMETER\t2024-01-01T00:00:00.000000+00:00\t/x\tNone\tTrue\tv\t3\n");
  EXPECT_EQ(render(value, OutputFormat::Table, "GetParameter"),
            "------------------------------------------------------------\n"
            "|                       GetParameter                       |\n"
            "+----------------------------------------------------------+\n"
            "||                        Parameter                       ||\n"
            "|+-------------------+------------------------------------+|\n"
            "||  LastModifiedDate |  2024-01-01T00:00:00.000000+00:00  ||\n"
            "||  Name             |  /x                                ||\n"
            "||  Nothing          |  None                              ||\n"
            "||  Selected         |  True                              ||\n"
            "||  Value            |  v                                 ||\n"
            "||  Version          |  3                                 ||\n"
            "|+-------------------+------------------------------------+|\n");
  EXPECT_EQ(render(value, OutputFormat::Yaml, "GetParameter"),
            "Parameter:\n"
            "  LastModifiedDate: '2024-01-01T00:00:00.000000+00:00'\n"
            "  Name: /x\n"
            "  Nothing: null\n"
            "  Selected: true\n"
            "  Value: v\n"
            "  Version: 3\n");
  EXPECT_EQ(render(value, OutputFormat::YamlStream, "GetParameter"),
            "- Parameter:\n"
            "    LastModifiedDate: '2024-01-01T00:00:00.000000+00:00'\n"
            "    Name: /x\n"
            "    Nothing: null\n"
            "    Selected: true\n"
            "    Value: v\n"
            "    Version: 3\n");
}

TEST(AwsOutput, EmptyListPrintsBracketsOrNothing) {
  const Json value = Json::parse(R"JSON([])JSON");
  EXPECT_EQ(render(value, OutputFormat::Json, "DescribeInstances"), "[]\n");
  EXPECT_EQ(render(value, OutputFormat::Text, "DescribeInstances"), "");
  EXPECT_EQ(render(value, OutputFormat::Table, "DescribeInstances"), "");
  EXPECT_EQ(render(value, OutputFormat::Yaml, "DescribeInstances"), "[]\n");
  EXPECT_EQ(render(value, OutputFormat::YamlStream, "DescribeInstances"), "- []\n");
}

TEST(AwsOutput, EmptyObjectPrintsNothingInAnyFormat) {
  const Json value = Json::parse(R"JSON({})JSON");
  EXPECT_EQ(render(value, OutputFormat::Json, "DescribeInstances"), "");
  EXPECT_EQ(render(value, OutputFormat::Text, "DescribeInstances"), "");
  EXPECT_EQ(render(value, OutputFormat::Table, "DescribeInstances"), "");
  EXPECT_EQ(render(value, OutputFormat::Yaml, "DescribeInstances"), "");
  EXPECT_EQ(render(value, OutputFormat::YamlStream, "DescribeInstances"), "");
}

TEST(AwsOutput, ListOfDictsWithDifferentKeysUsesTheUnionOfScalarKeys) {
  const Json value = Json::parse(R"JSON([{"a": 1, "b": {"c": 2}}, {"a": 3, "d": [1, 2]}])JSON");
  EXPECT_EQ(render(value, OutputFormat::Json, "DescribeInstances"),
            "[\n"
            "    {\n"
            "        \"a\": 1,\n"
            "        \"b\": {\n"
            "            \"c\": 2\n"
            "        }\n"
            "    },\n"
            "    {\n"
            "        \"a\": 3,\n"
            "        \"d\": [\n"
            "            1,\n"
            "            2\n"
            "        ]\n"
            "    }\n"
            "]\n");
  EXPECT_EQ(render(value, OutputFormat::Text, "DescribeInstances"),
            "1\n"
            "B\t2\n"
            "3\n"
            "D\t1\n"
            "D\t2\n");
  EXPECT_EQ(render(value, OutputFormat::Table, "DescribeInstances"),
            "-------------------\n"
            "|DescribeInstances|\n"
            "+-----------------+\n"
            "|        a        |\n"
            "+-----------------+\n"
            "|  1              |\n"
            "+-----------------+\n"
            "||       b       ||\n"
            "|+------+--------+|\n"
            "||  c   |  2     ||\n"
            "|+------+--------+|\n"
            "|DescribeInstances|\n"
            "+-----------------+\n"
            "|        a        |\n"
            "+-----------------+\n"
            "|  3              |\n"
            "+-----------------+\n"
            "||       d       ||\n"
            "|+---------------+|\n"
            "||  1            ||\n"
            "||  2            ||\n"
            "|+---------------+|\n");
  EXPECT_EQ(render(value, OutputFormat::Yaml, "DescribeInstances"),
            "- a: 1\n"
            "  b:\n"
            "    c: 2\n"
            "- a: 3\n"
            "  d:\n"
            "  - 1\n"
            "  - 2\n");
  EXPECT_EQ(render(value, OutputFormat::YamlStream, "DescribeInstances"),
            "- - a: 1\n"
            "    b:\n"
            "      c: 2\n"
            "  - a: 3\n"
            "    d:\n"
            "    - 1\n"
            "    - 2\n");
}

TEST(AwsOutput, ListOfDictsWithNestedListsStartsASectionPerElement) {
  const Json value = Json::parse(
      R"JSON([{"Id": "i-1", "Tags": [{"Key": "k", "Value": "v"}]}, {"Id": "i-2", "Tags": [{"Key": "k2", "Value": "v2"}]}])JSON");
  EXPECT_EQ(render(value, OutputFormat::Json, "DescribeInstances"),
            "[\n"
            "    {\n"
            "        \"Id\": \"i-1\",\n"
            "        \"Tags\": [\n"
            "            {\n"
            "                \"Key\": \"k\",\n"
            "                \"Value\": \"v\"\n"
            "            }\n"
            "        ]\n"
            "    },\n"
            "    {\n"
            "        \"Id\": \"i-2\",\n"
            "        \"Tags\": [\n"
            "            {\n"
            "                \"Key\": \"k2\",\n"
            "                \"Value\": \"v2\"\n"
            "            }\n"
            "        ]\n"
            "    }\n"
            "]\n");
  EXPECT_EQ(render(value, OutputFormat::Text, "DescribeInstances"),
            "i-1\n"
            "TAGS\tk\tv\n"
            "i-2\n"
            "TAGS\tk2\tv2\n");
  EXPECT_EQ(render(value, OutputFormat::Table, "DescribeInstances"),
            "--------------------\n"
            "| DescribeInstances|\n"
            "+------------------+\n"
            "|        Id        |\n"
            "+------------------+\n"
            "|  i-1             |\n"
            "+------------------+\n"
            "||      Tags      ||\n"
            "|+------+---------+|\n"
            "||  Key |  Value  ||\n"
            "|+------+---------+|\n"
            "||  k   |  v      ||\n"
            "|+------+---------+|\n"
            "| DescribeInstances|\n"
            "+------------------+\n"
            "|        Id        |\n"
            "+------------------+\n"
            "|  i-2             |\n"
            "+------------------+\n"
            "||      Tags      ||\n"
            "|+------+---------+|\n"
            "||  Key |  Value  ||\n"
            "|+------+---------+|\n"
            "||  k2  |  v2     ||\n"
            "|+------+---------+|\n");
  EXPECT_EQ(render(value, OutputFormat::Yaml, "DescribeInstances"),
            "- Id: i-1\n"
            "  Tags:\n"
            "  - Key: k\n"
            "    Value: v\n"
            "- Id: i-2\n"
            "  Tags:\n"
            "  - Key: k2\n"
            "    Value: v2\n");
  EXPECT_EQ(render(value, OutputFormat::YamlStream, "DescribeInstances"),
            "- - Id: i-1\n"
            "    Tags:\n"
            "    - Key: k\n"
            "      Value: v\n"
            "  - Id: i-2\n"
            "    Tags:\n"
            "    - Key: k2\n"
            "      Value: v2\n");
}

TEST(AwsOutput, ListsOfScalarsAndNestedListsSplitScalarsFirst) {
  const Json value =
      Json::parse(R"JSON({"Names": ["a", "b", "c"], "Nested": [[1, 2], [3, 4]], "Mixed": [1, [2, 3], "x"]})JSON");
  EXPECT_EQ(render(value, OutputFormat::Json, "DescribeInstances"),
            "{\n"
            "    \"Names\": [\n"
            "        \"a\",\n"
            "        \"b\",\n"
            "        \"c\"\n"
            "    ],\n"
            "    \"Nested\": [\n"
            "        [\n"
            "            1,\n"
            "            2\n"
            "        ],\n"
            "        [\n"
            "            3,\n"
            "            4\n"
            "        ]\n"
            "    ],\n"
            "    \"Mixed\": [\n"
            "        1,\n"
            "        [\n"
            "            2,\n"
            "            3\n"
            "        ],\n"
            "        \"x\"\n"
            "    ]\n"
            "}\n");
  EXPECT_EQ(render(value, OutputFormat::Text, "DescribeInstances"),
            "MIXED\t1\n"
            "MIXED\tx\n"
            "MIXED\t2\n"
            "MIXED\t3\n"
            "NAMES\ta\n"
            "NAMES\tb\n"
            "NAMES\tc\n"
            "NESTED\t1\n"
            "NESTED\t2\n"
            "NESTED\t3\n"
            "NESTED\t4\n");
  EXPECT_EQ(render(value, OutputFormat::Table, "DescribeInstances"),
            "EXCEPTION: Row should have 1 elements, instead it has 2");
  EXPECT_EQ(render(value, OutputFormat::Yaml, "DescribeInstances"),
            "Mixed:\n"
            "- 1\n"
            "- - 2\n"
            "  - 3\n"
            "- x\n"
            "Names:\n"
            "- a\n"
            "- b\n"
            "- c\n"
            "Nested:\n"
            "- - 1\n"
            "  - 2\n"
            "- - 3\n"
            "  - 4\n");
  EXPECT_EQ(render(value, OutputFormat::YamlStream, "DescribeInstances"),
            "- Mixed:\n"
            "  - 1\n"
            "  - - 2\n"
            "    - 3\n"
            "  - x\n"
            "  Names:\n"
            "  - a\n"
            "  - b\n"
            "  - c\n"
            "  Nested:\n"
            "  - - 1\n"
            "    - 2\n"
            "  - - 3\n"
            "    - 4\n");
}

TEST(AwsOutput, ListOfListsOfDictsSharesTheTopSection) {
  const Json value = Json::parse(R"JSON([[{"id": "i-1"}, {"id": "i-2"}]])JSON");
  EXPECT_EQ(render(value, OutputFormat::Json, "DescribeInstances"),
            "[\n"
            "    [\n"
            "        {\n"
            "            \"id\": \"i-1\"\n"
            "        },\n"
            "        {\n"
            "            \"id\": \"i-2\"\n"
            "        }\n"
            "    ]\n"
            "]\n");
  EXPECT_EQ(render(value, OutputFormat::Text, "DescribeInstances"),
            "i-1\n"
            "i-2\n");
  EXPECT_EQ(render(value, OutputFormat::Table, "DescribeInstances"),
            "-------------------\n"
            "|DescribeInstances|\n"
            "+-----------------+\n"
            "|       id        |\n"
            "+-----------------+\n"
            "|  i-1            |\n"
            "|  i-2            |\n"
            "+-----------------+\n");
  EXPECT_EQ(render(value, OutputFormat::Yaml, "DescribeInstances"),
            "- - id: i-1\n"
            "  - id: i-2\n");
  EXPECT_EQ(render(value, OutputFormat::YamlStream, "DescribeInstances"),
            "- - - id: i-1\n"
            "    - id: i-2\n");
}

TEST(AwsOutput, UnicodeIsKeptAndControlCharactersEscaped) {
  const Json value = Json::parse(R"JSON({"Unicode": "héllo wörld ✓ 日本", "Quote": "a\"b\\c\nd\te\u0001"})JSON");
  EXPECT_EQ(render(value, OutputFormat::Json, "DescribeInstances"),
            "{\n"
            "    \"Unicode\": \"héllo wörld ✓ 日本\",\n"
            "    \"Quote\": \"a\\\"b\\\\c\\nd\\te\\u0001\"\n"
            "}\n");
  EXPECT_EQ(render(value, OutputFormat::Text, "DescribeInstances"),
            "a\"b\\c\n"
            "d\te\x01"
            "\théllo wörld ✓ 日本\n");
  EXPECT_EQ(render(value, OutputFormat::Table, "DescribeInstances"),
            "---------------------------------------\n"
            "|          DescribeInstances          |\n"
            "+-------------+-----------------------+\n"
            "|    Quote    |        Unicode        |\n"
            "+-------------+-----------------------+\n"
            "|  a\"b\\c\n"
            "d\te\x01"
            " |  héllo wörld ✓ 日本  |\n"
            "+-------------+-----------------------+\n");
  EXPECT_EQ(render(value, OutputFormat::Yaml, "DescribeInstances"),
            "Quote: \"a\\\"b\\\\c\\nd\\te\\x01\"\n"
            "Unicode: héllo wörld ✓ 日本\n");
  EXPECT_EQ(render(value, OutputFormat::YamlStream, "DescribeInstances"),
            "- Quote: \"a\\\"b\\\\c\\nd\\te\\x01\"\n"
            "  Unicode: héllo wörld ✓ 日本\n");
}

TEST(AwsOutput, TableWiderThanEightyColumnsTurnsVertical) {
  const Json value = Json::parse(
      R"JSON({"Long": "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "Short": "y", "Other": "zz"})JSON");
  EXPECT_EQ(
      render(value, OutputFormat::Json, "DescribeInstances"),
      "{\n"
      "    \"Long\": \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\",\n"
      "    \"Short\": \"y\",\n"
      "    \"Other\": \"zz\"\n"
      "}\n");
  EXPECT_EQ(render(value, OutputFormat::Text, "DescribeInstances"),
            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\tzz\ty\n");
  EXPECT_EQ(
      render(value, OutputFormat::Table, "DescribeInstances"),
      "---------------------------------------------------------------------------------------------------------\n"
      "|                                           DescribeInstances                                           |\n"
      "+-------+-----------------------------------------------------------------------------------------------+\n"
      "|  Long |  xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx   |\n"
      "|  Other|  zz                                                                                           |\n"
      "|  Short|  y                                                                                            |\n"
      "+-------+-----------------------------------------------------------------------------------------------+\n");
  EXPECT_EQ(render(value, OutputFormat::Yaml, "DescribeInstances"),
            "Long: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n"
            "Other: zz\n"
            "Short: y\n");
  EXPECT_EQ(render(value, OutputFormat::YamlStream, "DescribeInstances"),
            "- Long: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n"
            "  Other: zz\n"
            "  Short: y\n");
}

TEST(AwsOutput, SpotPriceHistoryRendersAsOneRowTable) {
  const Json value = Json::parse(
      R"JSON({"SpotPriceHistory": [{"AvailabilityZone": "us-east-1a", "InstanceType": "c5.large", "ProductDescription": "Linux/UNIX", "SpotPrice": "0.034100", "Timestamp": "2024-05-01T12:00:00+00:00"}]})JSON");
  EXPECT_EQ(render(value, OutputFormat::Json, "DescribeSpotPriceHistory"),
            "{\n"
            "    \"SpotPriceHistory\": [\n"
            "        {\n"
            "            \"AvailabilityZone\": \"us-east-1a\",\n"
            "            \"InstanceType\": \"c5.large\",\n"
            "            \"ProductDescription\": \"Linux/UNIX\",\n"
            "            \"SpotPrice\": \"0.034100\",\n"
            "            \"Timestamp\": \"2024-05-01T12:00:00+00:00\"\n"
            "        }\n"
            "    ]\n"
            "}\n");
  EXPECT_EQ(render(value, OutputFormat::Text, "DescribeSpotPriceHistory"),
            "SPOTPRICEHISTORY\tus-east-1a\tc5.large\tLinux/UNIX\t0.034100\t2024-05-01T12:00:00+00:00\n");
  EXPECT_EQ(render(value, OutputFormat::Table, "DescribeSpotPriceHistory"),
            "-------------------------------------------------------\n"
            "|              DescribeSpotPriceHistory               |\n"
            "+-----------------------------------------------------+\n"
            "||                 SpotPriceHistory                  ||\n"
            "|+---------------------+-----------------------------+|\n"
            "||  AvailabilityZone   |  us-east-1a                 ||\n"
            "||  InstanceType       |  c5.large                   ||\n"
            "||  ProductDescription |  Linux/UNIX                 ||\n"
            "||  SpotPrice          |  0.034100                   ||\n"
            "||  Timestamp          |  2024-05-01T12:00:00+00:00  ||\n"
            "|+---------------------+-----------------------------+|\n");
  EXPECT_EQ(render(value, OutputFormat::Yaml, "DescribeSpotPriceHistory"),
            "SpotPriceHistory:\n"
            "- AvailabilityZone: us-east-1a\n"
            "  InstanceType: c5.large\n"
            "  ProductDescription: Linux/UNIX\n"
            "  SpotPrice: '0.034100'\n"
            "  Timestamp: '2024-05-01T12:00:00+00:00'\n");
  EXPECT_EQ(render(value, OutputFormat::YamlStream, "DescribeSpotPriceHistory"),
            "- SpotPriceHistory:\n"
            "  - AvailabilityZone: us-east-1a\n"
            "    InstanceType: c5.large\n"
            "    ProductDescription: Linux/UNIX\n"
            "    SpotPrice: '0.034100'\n"
            "    Timestamp: '2024-05-01T12:00:00+00:00'\n");
}

TEST(AwsOutput, CallerIdentityRendersAsHeaderAndRow) {
  const Json value = Json::parse(
      R"JSON({"UserId": "AIDAFAKE", "Account": "123456789012", "Arn": "arn:aws:iam::123456789012:user/dev"})JSON");
  EXPECT_EQ(render(value, OutputFormat::Json, "GetCallerIdentity"),
            "{\n"
            "    \"UserId\": \"AIDAFAKE\",\n"
            "    \"Account\": \"123456789012\",\n"
            "    \"Arn\": \"arn:aws:iam::123456789012:user/dev\"\n"
            "}\n");
  EXPECT_EQ(render(value, OutputFormat::Text, "GetCallerIdentity"),
            "123456789012\tarn:aws:iam::123456789012:user/dev\tAIDAFAKE\n");
  EXPECT_EQ(render(value, OutputFormat::Table, "GetCallerIdentity"),
            "--------------------------------------------------------------------\n"
            "|                         GetCallerIdentity                        |\n"
            "+--------------+--------------------------------------+------------+\n"
            "|    Account   |                 Arn                  |  UserId    |\n"
            "+--------------+--------------------------------------+------------+\n"
            "|  123456789012|  arn:aws:iam::123456789012:user/dev  |  AIDAFAKE  |\n"
            "+--------------+--------------------------------------+------------+\n");
  EXPECT_EQ(render(value, OutputFormat::Yaml, "GetCallerIdentity"),
            "Account: '123456789012'\n"
            "Arn: arn:aws:iam::123456789012:user/dev\n"
            "UserId: AIDAFAKE\n");
  EXPECT_EQ(render(value, OutputFormat::YamlStream, "GetCallerIdentity"),
            "- Account: '123456789012'\n"
            "  Arn: arn:aws:iam::123456789012:user/dev\n"
            "  UserId: AIDAFAKE\n");
}

TEST(AwsOutput, DictWithOneScalarKeyRendersAKeyValueRow) {
  const Json value = Json::parse(R"JSON({"OnlyOne": "v"})JSON");
  EXPECT_EQ(render(value, OutputFormat::Json, "X"),
            "{\n"
            "    \"OnlyOne\": \"v\"\n"
            "}\n");
  EXPECT_EQ(render(value, OutputFormat::Text, "X"), "v\n");
  EXPECT_EQ(render(value, OutputFormat::Table, "X"),
            "------------------\n"
            "|        X       |\n"
            "+----------+-----+\n"
            "|  OnlyOne |  v  |\n"
            "+----------+-----+\n");
  EXPECT_EQ(render(value, OutputFormat::Yaml, "X"), "OnlyOne: v\n");
  EXPECT_EQ(render(value, OutputFormat::YamlStream, "X"), "- OnlyOne: v\n");
}

TEST(AwsOutput, ZeroIsFalsyForTheTable) {
  const Json value = Json::parse(R"JSON(0)JSON");
  EXPECT_EQ(render(value, OutputFormat::Json, "X"), "0\n");
  EXPECT_EQ(render(value, OutputFormat::Text, "X"), "0\n");
  EXPECT_EQ(render(value, OutputFormat::Table, "X"), "");
  EXPECT_EQ(render(value, OutputFormat::Yaml, "X"), "0\n");
  EXPECT_EQ(render(value, OutputFormat::YamlStream, "X"), "- 0\n");
}

TEST(AwsOutput, IntegerScalarPrintsDigits) {
  const Json value = Json::parse(R"JSON(42)JSON");
  EXPECT_EQ(render(value, OutputFormat::Json, "X"), "42\n");
  EXPECT_EQ(render(value, OutputFormat::Text, "X"), "42\n");
  EXPECT_EQ(render(value, OutputFormat::Table, "X"),
            "---\n"
            "|X|\n"
            "+-+\n");
  EXPECT_EQ(render(value, OutputFormat::Yaml, "X"), "42\n");
  EXPECT_EQ(render(value, OutputFormat::YamlStream, "X"), "- 42\n");
}

TEST(AwsOutput, ListOfNumbersPrintsOnOneTextLine) {
  const Json value = Json::parse(R"JSON([1, 2, 3])JSON");
  EXPECT_EQ(render(value, OutputFormat::Json, "X"),
            "[\n"
            "    1,\n"
            "    2,\n"
            "    3\n"
            "]\n");
  EXPECT_EQ(render(value, OutputFormat::Text, "X"), "1\t2\t3\n");
  EXPECT_EQ(render(value, OutputFormat::Table, "X"),
            "-------\n"
            "|  X  |\n"
            "+-----+\n"
            "|  1  |\n"
            "|  2  |\n"
            "|  3  |\n"
            "+-----+\n");
  EXPECT_EQ(render(value, OutputFormat::Yaml, "X"),
            "- 1\n"
            "- 2\n"
            "- 3\n");
  EXPECT_EQ(render(value, OutputFormat::YamlStream, "X"),
            "- - 1\n"
            "  - 2\n"
            "  - 3\n");
}

TEST(AwsOutput, RaggedListOfListsBreaksTheTableLikeTheRealCli) {
  const Json value = Json::parse(R"JSON([[1, 2], [3, 4, 5]])JSON");
  EXPECT_EQ(render(value, OutputFormat::Json, "X"),
            "[\n"
            "    [\n"
            "        1,\n"
            "        2\n"
            "    ],\n"
            "    [\n"
            "        3,\n"
            "        4,\n"
            "        5\n"
            "    ]\n"
            "]\n");
  EXPECT_EQ(render(value, OutputFormat::Text, "X"),
            "1\t2\n"
            "3\t4\t5\n");
  EXPECT_EQ(render(value, OutputFormat::Table, "X"), "EXCEPTION: Row should have 2 elements, instead it has 3");
  EXPECT_EQ(render(value, OutputFormat::Yaml, "X"),
            "- - 1\n"
            "  - 2\n"
            "- - 3\n"
            "  - 4\n"
            "  - 5\n");
  EXPECT_EQ(render(value, OutputFormat::YamlStream, "X"),
            "- - - 1\n"
            "    - 2\n"
            "  - - 3\n"
            "    - 4\n"
            "    - 5\n");
}

TEST(AwsOutput, DeeplyNestedDictsGetIdentifiersAndIndentedSections) {
  const Json value = Json::parse(R"JSON({"k": {"a": {"b": 1}}, "t": "x", "v": [{"x": 1}]})JSON");
  EXPECT_EQ(render(value, OutputFormat::Json, "X"),
            "{\n"
            "    \"k\": {\n"
            "        \"a\": {\n"
            "            \"b\": 1\n"
            "        }\n"
            "    },\n"
            "    \"t\": \"x\",\n"
            "    \"v\": [\n"
            "        {\n"
            "            \"x\": 1\n"
            "        }\n"
            "    ]\n"
            "}\n");
  EXPECT_EQ(render(value, OutputFormat::Text, "X"),
            "x\n"
            "A\t1\n"
            "V\t1\n");
  EXPECT_EQ(render(value, OutputFormat::Table, "X"),
            "----------------\n"
            "|       X      |\n"
            "+------+-------+\n"
            "|  t   |  x    |\n"
            "+------+-------+\n"
            "||      k     ||\n"
            "|+------------+|\n"
            "|||     a    |||\n"
            "||+----+-----+||\n"
            "|||  b |  1  |||\n"
            "||+----+-----+||\n"
            "||      v     ||\n"
            "|+------------+|\n"
            "||      x     ||\n"
            "|+------------+|\n"
            "||  1         ||\n"
            "|+------------+|\n");
  EXPECT_EQ(render(value, OutputFormat::Yaml, "X"),
            "k:\n"
            "  a:\n"
            "    b: 1\n"
            "t: x\n"
            "v:\n"
            "- x: 1\n");
  EXPECT_EQ(render(value, OutputFormat::YamlStream, "X"),
            "- k:\n"
            "    a:\n"
            "      b: 1\n"
            "  t: x\n"
            "  v:\n"
            "  - x: 1\n");
}

TEST(AwsOutput, KeyScalarInOneDictAndNestedInAnotherPrintsPythonRepr) {
  const Json value = Json::parse(R"JSON([{"a": "s", "b": {"c": 1}}, {"a": {"n": 1}}])JSON");
  EXPECT_EQ(render(value, OutputFormat::Json, "X"),
            "[\n"
            "    {\n"
            "        \"a\": \"s\",\n"
            "        \"b\": {\n"
            "            \"c\": 1\n"
            "        }\n"
            "    },\n"
            "    {\n"
            "        \"a\": {\n"
            "            \"n\": 1\n"
            "        }\n"
            "    }\n"
            "]\n");
  EXPECT_EQ(render(value, OutputFormat::Text, "X"),
            "s\n"
            "B\t1\n"
            "{'n': 1}\n");
  EXPECT_EQ(render(value, OutputFormat::Table, "X"),
            "--------------\n"
            "|      X     |\n"
            "+------------+\n"
            "|      a     |\n"
            "+------------+\n"
            "|  s         |\n"
            "+------------+\n"
            "||     a    ||\n"
            "|+----------+|\n"
            "||     b    ||\n"
            "|+----+-----+|\n"
            "||  c |  1  ||\n"
            "|+----+-----+|\n"
            "|      X     |\n"
            "+------------+\n"
            "|      a     |\n"
            "+------------+\n"
            "|  {'n': 1}  |\n"
            "+------------+\n"
            "||     a    ||\n"
            "|+----+-----+|\n"
            "||  n |  1  ||\n"
            "|+----+-----+|\n");
  EXPECT_EQ(render(value, OutputFormat::Yaml, "X"),
            "- a: s\n"
            "  b:\n"
            "    c: 1\n"
            "- a:\n"
            "    n: 1\n");
  EXPECT_EQ(render(value, OutputFormat::YamlStream, "X"),
            "- - a: s\n"
            "    b:\n"
            "      c: 1\n"
            "  - a:\n"
            "      n: 1\n");
}

TEST(AwsOutput, EmptyAndFalsyValuesInADict) {
  const Json value = Json::parse(R"JSON({"Empty": "", "Zero": 0, "F": false, "Lst": [], "D": {}})JSON");
  EXPECT_EQ(render(value, OutputFormat::Json, "X"),
            "{\n"
            "    \"Empty\": \"\",\n"
            "    \"Zero\": 0,\n"
            "    \"F\": false,\n"
            "    \"Lst\": [],\n"
            "    \"D\": {}\n"
            "}\n");
  EXPECT_EQ(render(value, OutputFormat::Text, "X"), "\tFalse\t0\n");
  EXPECT_EQ(render(value, OutputFormat::Table, "X"),
            "----------------------------\n"
            "|             X            |\n"
            "+-------+---------+--------+\n"
            "| Empty |    F    | Zero   |\n"
            "+-------+---------+--------+\n"
            "|       |  False  |  0     |\n"
            "+-------+---------+--------+\n");
  EXPECT_EQ(render(value, OutputFormat::Yaml, "X"),
            "D: {}\n"
            "Empty: ''\n"
            "F: false\n"
            "Lst: []\n"
            "Zero: 0\n");
  EXPECT_EQ(render(value, OutputFormat::YamlStream, "X"),
            "- D: {}\n"
            "  Empty: ''\n"
            "  F: false\n"
            "  Lst: []\n"
            "  Zero: 0\n");
}

TEST(AwsOutput, QuotesInStringsFollowEachFormatsRules) {
  const Json value = Json::parse(R"JSON({"Text": "it's a \"quote\"", "Dict": [{"a": "x"}, {"a": {"k": "it's"}}]})JSON");
  EXPECT_EQ(render(value, OutputFormat::Json, "X"),
            "{\n"
            "    \"Text\": \"it's a \\\"quote\\\"\",\n"
            "    \"Dict\": [\n"
            "        {\n"
            "            \"a\": \"x\"\n"
            "        },\n"
            "        {\n"
            "            \"a\": {\n"
            "                \"k\": \"it's\"\n"
            "            }\n"
            "        }\n"
            "    ]\n"
            "}\n");
  EXPECT_EQ(render(value, OutputFormat::Text, "X"),
            "it's a \"quote\"\n"
            "DICT\tx\n"
            "DICT\t{'k': \"it's\"}\n");
  EXPECT_EQ(render(value, OutputFormat::Table, "X"),
            "----------------------------\n"
            "|             X            |\n"
            "+-------+------------------+\n"
            "|  Text |  it's a \"quote\"  |\n"
            "+-------+------------------+\n"
            "||          Dict          ||\n"
            "|+------------------------+|\n"
            "||            a           ||\n"
            "|+------------------------+|\n"
            "||  x                     ||\n"
            "|+------------------------+|\n"
            "|||           a          |||\n"
            "||+----------------------+||\n"
            "||          Dict          ||\n"
            "|+------------------------+|\n"
            "||            a           ||\n"
            "|+------------------------+|\n"
            "||  {'k': \"it's\"}         ||\n"
            "|+------------------------+|\n"
            "|||           a          |||\n"
            "||+-------+--------------+||\n"
            "|||  k    |  it's        |||\n"
            "||+-------+--------------+||\n");
  EXPECT_EQ(render(value, OutputFormat::Yaml, "X"),
            "Dict:\n"
            "- a: x\n"
            "- a:\n"
            "    k: it's\n"
            "Text: it's a \"quote\"\n");
  EXPECT_EQ(render(value, OutputFormat::YamlStream, "X"),
            "- Dict:\n"
            "  - a: x\n"
            "  - a:\n"
            "      k: it's\n"
            "  Text: it's a \"quote\"\n");
}

TEST(AwsOutput, YamlQuotesStringsThatWouldLoadAsOtherTypes) {
  const Json value = Json::parse(
      R"JSON({"a": 1.0, "b": 1e+20, "d": 1e-07, "g": "", "h": "true", "i": "123", "k": "a: b", "l": "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx yyyyyyyyyy", "m": "line1\nline2", "n": "-x", "o": "- x", "p": "it's", "t": "#x", "u": "a #b", "w": "0x1F", "x": "1_000", "y": ".5", "z": "yes", "sp": " lead", "colon": "end:", "url": "https://x.y/z?a=b#c", "star": "*x", "wrap": "word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word "})JSON");
  EXPECT_EQ(render(value, OutputFormat::Json, "X"),
            "{\n"
            "    \"a\": 1.0,\n"
            "    \"b\": 1e+20,\n"
            "    \"d\": 1e-07,\n"
            "    \"g\": \"\",\n"
            "    \"h\": \"true\",\n"
            "    \"i\": \"123\",\n"
            "    \"k\": \"a: b\",\n"
            "    \"l\": "
            "\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx "
            "yyyyyyyyyy\",\n"
            "    \"m\": \"line1\\nline2\",\n"
            "    \"n\": \"-x\",\n"
            "    \"o\": \"- x\",\n"
            "    \"p\": \"it's\",\n"
            "    \"t\": \"#x\",\n"
            "    \"u\": \"a #b\",\n"
            "    \"w\": \"0x1F\",\n"
            "    \"x\": \"1_000\",\n"
            "    \"y\": \".5\",\n"
            "    \"z\": \"yes\",\n"
            "    \"sp\": \" lead\",\n"
            "    \"colon\": \"end:\",\n"
            "    \"url\": \"https://x.y/z?a=b#c\",\n"
            "    \"star\": \"*x\",\n"
            "    \"wrap\": \"word word word word word word word word word word word word word word word word word word "
            "word word word word word word word word word word word word \"\n"
            "}\n");
  EXPECT_EQ(render(value, OutputFormat::Text, "X"),
            "1.0\t1e+20\tend:\t1e-07\t\ttrue\t123\ta: "
            "b\txxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx "
            "yyyyyyyyyy\tline1\n"
            "line2\t-x\t- x\tit's\t lead\t*x\t#x\ta #b\thttps://x.y/z?a=b#c\t0x1F\tword word word word word word word "
            "word word word word word word word word word word word word word word word word word word word word word "
            "word word \t1_000\t.5\tyes\n");
  EXPECT_EQ(
      render(value, OutputFormat::Table, "X"),
      "----------------------------------------------------------------------------------------------------------------"
      "-----------------------------------------------------\n"
      "|                                                                                 X                             "
      "                                                    |\n"
      "+-------+-------------------------------------------------------------------------------------------------------"
      "----------------------------------------------------+\n"
      "|  a    |  1.0                                                                                                  "
      "                                                    |\n"
      "|  b    |  1e+20                                                                                                "
      "                                                    |\n"
      "|  colon|  end:                                                                                                 "
      "                                                    |\n"
      "|  d    |  1e-07                                                                                                "
      "                                                    |\n"
      "|  g    |                                                                                                       "
      "                                                    |\n"
      "|  h    |  true                                                                                                 "
      "                                                    |\n"
      "|  i    |  123                                                                                                  "
      "                                                    |\n"
      "|  k    |  a: b                                                                                                 "
      "                                                    |\n"
      "|  l    |  xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx "
      "yyyyyyyyyy                                          |\n"
      "|  m    |  line1\n"
      "line2                                                                                                           "
      "                                   |\n"
      "|  n    |  -x                                                                                                   "
      "                                                    |\n"
      "|  o    |  - x                                                                                                  "
      "                                                    |\n"
      "|  p    |  it's                                                                                                 "
      "                                                    |\n"
      "|  sp   |   lead                                                                                                "
      "                                                    |\n"
      "|  star |  *x                                                                                                   "
      "                                                    |\n"
      "|  t    |  #x                                                                                                   "
      "                                                    |\n"
      "|  u    |  a #b                                                                                                 "
      "                                                    |\n"
      "|  url  |  https://x.y/z?a=b#c                                                                                  "
      "                                                    |\n"
      "|  w    |  0x1F                                                                                                 "
      "                                                    |\n"
      "|  wrap |  word word word word word word word word word word word word word word word word word word word word "
      "word word word word word word word word word word    |\n"
      "|  x    |  1_000                                                                                                "
      "                                                    |\n"
      "|  y    |  .5                                                                                                   "
      "                                                    |\n"
      "|  z    |  yes                                                                                                  "
      "                                                    |\n"
      "+-------+-------------------------------------------------------------------------------------------------------"
      "----------------------------------------------------+\n");
  EXPECT_EQ(render(value, OutputFormat::Yaml, "X"),
            "a: 1.0\n"
            "b: 1e+20\n"
            "colon: 'end:'\n"
            "d: 1e-07\n"
            "g: ''\n"
            "h: 'true'\n"
            "i: '123'\n"
            "k: 'a: b'\n"
            "l: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n"
            "  yyyyyyyyyy\n"
            "m: 'line1\n"
            "\n"
            "  line2'\n"
            "n: -x\n"
            "o: '- x'\n"
            "p: it's\n"
            "sp: ' lead'\n"
            "star: '*x'\n"
            "t: '#x'\n"
            "u: 'a #b'\n"
            "url: https://x.y/z?a=b#c\n"
            "w: '0x1F'\n"
            "wrap: 'word word word word word word word word word word word word word word word\n"
            "  word word word word word word word word word word word word word word word '\n"
            "x: '1_000'\n"
            "y: '.5'\n"
            "z: yes\n");
  EXPECT_EQ(
      render(value, OutputFormat::YamlStream, "X"),
      "- a: 1.0\n"
      "  b: 1e+20\n"
      "  colon: 'end:'\n"
      "  d: 1e-07\n"
      "  g: ''\n"
      "  h: 'true'\n"
      "  i: '123'\n"
      "  k: 'a: b'\n"
      "  l: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n"
      "    yyyyyyyyyy\n"
      "  m: 'line1\n"
      "\n"
      "    line2'\n"
      "  n: -x\n"
      "  o: '- x'\n"
      "  p: it's\n"
      "  sp: ' lead'\n"
      "  star: '*x'\n"
      "  t: '#x'\n"
      "  u: 'a #b'\n"
      "  url: https://x.y/z?a=b#c\n"
      "  w: '0x1F'\n"
      "  wrap: 'word word word word word word word word word word word word word word word\n"
      "    word word word word word word word word word word word word word word word '\n"
      "  x: '1_000'\n"
      "  y: '.5'\n"
      "  z: yes\n");
}

TEST(AwsOutput, MixedListWithADictBreaksTextLikeTheRealCli) {
  const Json value = Json::parse(R"JSON([[1, 2], [], {}, "s"])JSON");
  EXPECT_EQ(render(value, OutputFormat::Json, "X"),
            "[\n"
            "    [\n"
            "        1,\n"
            "        2\n"
            "    ],\n"
            "    [],\n"
            "    {},\n"
            "    \"s\"\n"
            "]\n");
  EXPECT_EQ(render(value, OutputFormat::Text, "X"), "EXCEPTION: 'list' object has no attribute 'items'");
  EXPECT_EQ(render(value, OutputFormat::Table, "X"), "EXCEPTION: Row should have 2 elements, instead it has 0");
  EXPECT_EQ(render(value, OutputFormat::Yaml, "X"),
            "- - 1\n"
            "  - 2\n"
            "- []\n"
            "- {}\n"
            "- s\n");
  EXPECT_EQ(render(value, OutputFormat::YamlStream, "X"),
            "- - - 1\n"
            "    - 2\n"
            "  - []\n"
            "  - {}\n"
            "  - s\n");
}

TEST(AwsOutput, YamlFoldsLongPlainScalarsAtColumnEighty) {
  const Json value = Json::parse(
      R"JSON({"Messages": [{"Body": "hello world this is a long message body that goes past the eighty column limit easily yes"}]})JSON");
  EXPECT_EQ(render(value, OutputFormat::Json, "X"),
            "{\n"
            "    \"Messages\": [\n"
            "        {\n"
            "            \"Body\": \"hello world this is a long message body that goes past the eighty column limit "
            "easily yes\"\n"
            "        }\n"
            "    ]\n"
            "}\n");
  EXPECT_EQ(render(value, OutputFormat::Text, "X"),
            "MESSAGES\thello world this is a long message body that goes past the eighty column limit easily yes\n");
  EXPECT_EQ(
      render(value, OutputFormat::Table, "X"),
      "---------------------------------------------------------------------------------------------------------\n"
      "|                                                   X                                                   |\n"
      "+-------------------------------------------------------------------------------------------------------+\n"
      "||                                              Messages                                               ||\n"
      "|+------+----------------------------------------------------------------------------------------------+|\n"
      "||  Body|  hello world this is a long message body that goes past the eighty column limit easily yes   ||\n"
      "|+------+----------------------------------------------------------------------------------------------+|\n");
  EXPECT_EQ(render(value, OutputFormat::Yaml, "X"),
            "Messages:\n"
            "- Body: hello world this is a long message body that goes past the eighty column limit\n"
            "    easily yes\n");
  EXPECT_EQ(render(value, OutputFormat::YamlStream, "X"),
            "- Messages:\n"
            "  - Body: hello world this is a long message body that goes past the eighty column\n"
            "      limit easily yes\n");
}

TEST(AwsOutput, EmptyStringIsFalsyForTheTable) {
  const Json value = Json::parse(R"JSON("")JSON");
  EXPECT_EQ(render(value, OutputFormat::Json, "X"), "\"\"\n");
  EXPECT_EQ(render(value, OutputFormat::Text, "X"), "\n");
  EXPECT_EQ(render(value, OutputFormat::Table, "X"), "");
  EXPECT_EQ(render(value, OutputFormat::Yaml, "X"), "\"\"\n");
  EXPECT_EQ(render(value, OutputFormat::YamlStream, "X"), "- ''\n");
}

TEST(AwsOutput, ListOfDictsWithoutNestingIsOneTableWithBlankCells) {
  const Json value =
      Json::parse(R"JSON([{"Id": "i-1", "State": "running"}, {"Id": "i-2", "State": "stopped", "Extra": "yes"}])JSON");
  EXPECT_EQ(render(value, OutputFormat::Json, "X"),
            "[\n"
            "    {\n"
            "        \"Id\": \"i-1\",\n"
            "        \"State\": \"running\"\n"
            "    },\n"
            "    {\n"
            "        \"Id\": \"i-2\",\n"
            "        \"State\": \"stopped\",\n"
            "        \"Extra\": \"yes\"\n"
            "    }\n"
            "]\n");
  EXPECT_EQ(render(value, OutputFormat::Text, "X"),
            "\ti-1\trunning\n"
            "yes\ti-2\tstopped\n");
  EXPECT_EQ(render(value, OutputFormat::Table, "X"),
            "-----------------------------\n"
            "|             X             |\n"
            "+-------+-------+-----------+\n"
            "| Extra |  Id   |   State   |\n"
            "+-------+-------+-----------+\n"
            "|       |  i-1  |  running  |\n"
            "|  yes  |  i-2  |  stopped  |\n"
            "+-------+-------+-----------+\n");
  EXPECT_EQ(render(value, OutputFormat::Yaml, "X"),
            "- Id: i-1\n"
            "  State: running\n"
            "- Extra: yes\n"
            "  Id: i-2\n"
            "  State: stopped\n");
  EXPECT_EQ(render(value, OutputFormat::YamlStream, "X"),
            "- - Id: i-1\n"
            "    State: running\n"
            "  - Extra: yes\n"
            "    Id: i-2\n"
            "    State: stopped\n");
}

}  // namespace
}  // namespace spotcheck::fakes::aws
