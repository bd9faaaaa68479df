// Tests of the fake aws's EC2: launch, capacity, AMIs, waiters in virtual time, describe, terminate,
// region/credentials.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>

#include "ordered_json.hpp"
#include "spotcheck/error.hpp"
#include "spotcheck/fakes/shim.hpp"
#include "spotcheck/fakes/state.hpp"
#include "spotcheck/fakes/world/instances.hpp"
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

class Ec2Test : public ::testing::Test {
 protected:
  spotcheck::testing::TempDir dir;
  RunPaths paths{dir.path()};

  void SetUp() override {
    for (const char* v :
         {"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_DEFAULT_OUTPUT", "AWS_ACCESS_KEY_ID",
          "AWS_SECRET_ACCESS_KEY", "AWS_EC2_METADATA_DISABLED", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"}) {
      unsetenv(v);
    }
    setenv("HOME", dir.path().c_str(), 1);
    setenv("AWS_DEFAULT_REGION", "us-east-1", 1);
    world(
        R"({"region": "us-east-1", "amis": ["ami-0123456789abcdef0"], "capacity": {"c6i.4xlarge": 1, "c7i.4xlarge": 0},
              "boot_seconds": 20, "ssh_ready_after": 30})");
  }

  void world(const std::string& json) {
    spotcheck::testing::write_file(paths.world(), json);
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

  std::string launch(const std::string& type = "c6i.4xlarge") {
    const auto r = aws({"ec2", "run-instances", "--image-id", "ami-0123456789abcdef0", "--instance-type", type,
                        "--query", "Instances[0].InstanceId", "--output", "text"});
    EXPECT_EQ(r.rc, 0) << r.err;
    return r.out.substr(0, r.out.find('\n'));
  }
};

TEST_F(Ec2Test, RunInstancesReturnsAPendingInstanceWithADeterministicId) {
  const auto r = aws({"ec2", "run-instances", "--image-id", "ami-0123456789abcdef0", "--instance-type", "c6i.4xlarge",
                      "--instance-market-options", "MarketType=spot,SpotOptions={SpotInstanceType=one-time}",
                      "--tag-specifications", "ResourceType=instance,Tags=[{Key=Name,Value=backtest}]"});
  ASSERT_EQ(r.rc, 0) << r.err;
  const Json j = Json::parse(r.out);
  const Json& inst = j["Instances"][0];
  EXPECT_THAT(inst["InstanceId"].get<std::string>(), StartsWith("i-0"));
  EXPECT_EQ(inst["InstanceId"].get<std::string>().size(), 19u);
  EXPECT_EQ(inst["State"], Json::parse(R"({"Code": 0, "Name": "pending"})"));
  EXPECT_EQ(inst["InstanceType"], "c6i.4xlarge");
  EXPECT_EQ(inst["Placement"]["AvailabilityZone"], "us-east-1a");
  EXPECT_EQ(inst["InstanceLifecycle"], "spot");
  EXPECT_FALSE(inst.contains("PublicIpAddress"));
  EXPECT_THAT(inst["PrivateIpAddress"].get<std::string>(), StartsWith("10.0."));
  EXPECT_EQ(inst["Tags"][0]["Value"], "backtest");
}

TEST_F(Ec2Test, AnUnknownAmiIsInvalidAmiIdNotFound) {
  const auto r = aws({"ec2", "run-instances", "--image-id", "ami-0000000000000dead", "--instance-type", "c6i.4xlarge"});
  EXPECT_EQ(r.rc, 254);
  EXPECT_THAT(r.err, HasSubstr("InvalidAMIID.NotFound"));
  EXPECT_THAT(r.err, HasSubstr("The image id '[ami-0000000000000dead]' does not exist"));
  EXPECT_TRUE(world::list_instances(paths).empty());
}

TEST_F(Ec2Test, ExhaustedCapacityIsInsufficientInstanceCapacity) {
  const auto zero =
      aws({"ec2", "run-instances", "--image-id", "ami-0123456789abcdef0", "--instance-type", "c7i.4xlarge"});
  EXPECT_EQ(zero.rc, 254);
  EXPECT_THAT(zero.err, HasSubstr("InsufficientInstanceCapacity"));
  EXPECT_THAT(zero.err, HasSubstr("We currently do not have sufficient c7i.4xlarge capacity in the Availability Zone "
                                  "you requested (us-east-1a)."));
  launch("c6i.4xlarge");
  const auto full =
      aws({"ec2", "run-instances", "--image-id", "ami-0123456789abcdef0", "--instance-type", "c6i.4xlarge"});
  EXPECT_EQ(full.rc, 254);
  EXPECT_THAT(full.err, HasSubstr("InsufficientInstanceCapacity"));
}

TEST_F(Ec2Test, UnlistedInstanceTypesHaveUnlimitedCapacityAndCountLaunchesSeveral) {
  const auto r = aws({"ec2", "run-instances", "--image-id", "ami-0123456789abcdef0", "--instance-type", "m5.large",
                      "--count", "3", "--query", "length(Instances)"});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out, "3\n");
  EXPECT_EQ(world::list_instances(paths).size(), 3u);
}

TEST_F(Ec2Test, DryRunSucceedsAsDryRunOperationAndLaunchesNothing) {
  const auto r = aws({"ec2", "run-instances", "--image-id", "ami-0123456789abcdef0", "--dry-run"});
  EXPECT_EQ(r.rc, 254);
  EXPECT_THAT(r.err, HasSubstr("DryRunOperation"));
  EXPECT_TRUE(world::list_instances(paths).empty());
}

TEST_F(Ec2Test, ThePublicIpIsNoneInTextOutputWhilePending) {
  const std::string id = launch();
  const auto r = aws({"ec2", "describe-instances", "--instance-ids", id, "--query",
                      "Reservations[0].Instances[0].PublicIpAddress", "--output", "text"});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out, "None\n");
}

TEST_F(Ec2Test, WaitInstanceRunningAdvancesTheVirtualClockByWholePolls) {
  const std::string id = launch();
  const double before = virtual_now(paths);
  const auto w = aws({"ec2", "wait", "instance-running", "--instance-ids", id});
  ASSERT_EQ(w.rc, 0) << w.err;
  EXPECT_EQ(w.out, "");
  EXPECT_DOUBLE_EQ(virtual_now(paths) - before, 30.0);  // boot 20 s: polls at 0, 15, 30
  const auto r = aws({"ec2", "describe-instances", "--instance-ids", id, "--query",
                      "Reservations[0].Instances[0].[State.Name,PublicIpAddress]", "--output", "text"});
  EXPECT_THAT(r.out, HasSubstr("running"));
  EXPECT_THAT(r.out, HasSubstr("203.0.113."));
}

TEST_F(Ec2Test, WaitInstanceRunningFailsOnATerminatedInstance) {
  const std::string id = launch();
  ASSERT_EQ(aws({"ec2", "terminate-instances", "--instance-ids", id}).rc, 0);
  advance_clock(paths, 60);
  const auto w = aws({"ec2", "wait", "instance-running", "--instance-ids", id});
  EXPECT_EQ(w.rc, 255);
  EXPECT_THAT(w.err, HasSubstr("Waiter InstanceRunning failed"));
  EXPECT_THAT(w.err, HasSubstr("\"terminated\""));
}

TEST_F(Ec2Test, WaitForAnUnknownInstanceRetriesUntilMaxAttempts) {
  const double before = virtual_now(paths);
  const auto w = aws({"ec2", "wait", "instance-running", "--instance-ids", "i-0123456789abcdef0"});
  EXPECT_EQ(w.rc, 255);
  EXPECT_THAT(w.err, HasSubstr("Max attempts exceeded"));
  EXPECT_THAT(w.err, HasSubstr("InvalidInstanceID.NotFound"));
  EXPECT_DOUBLE_EQ(virtual_now(paths) - before, 39 * 15.0);
}

TEST_F(Ec2Test, AnUnknownWaiterIsAnInvalidChoice) {
  const auto w = aws({"ec2", "wait", "instance-flying", "--instance-ids", "i-0123456789abcdef0"});
  EXPECT_EQ(w.rc, 252);
}

TEST_F(Ec2Test, DescribeFiltersByStateAndTag) {
  const std::string a = launch("m5.large");
  aws({"ec2", "create-tags", "--resources", a, "--tags", "Key=job,Value=nightly"});
  const std::string b = launch("m5.large");
  advance_clock(paths, 25);
  aws({"ec2", "terminate-instances", "--instance-ids", b});
  const auto running = aws({"ec2", "describe-instances", "--filters", "Name=instance-state-name,Values=running",
                            "--query", "Reservations[].Instances[].InstanceId", "--output", "text"});
  EXPECT_EQ(running.out, a + "\n");
  const auto tagged = aws({"ec2", "describe-instances", "--filters", "Name=tag:job,Values=night*", "--query",
                           "Reservations[].Instances[].InstanceId", "--output", "text"});
  EXPECT_EQ(tagged.out, a + "\n");
}

TEST_F(Ec2Test, DescribeOfAnUnknownIdIsInvalidInstanceIdNotFound) {
  const auto r = aws({"ec2", "describe-instances", "--instance-ids", "i-0fffffffffffffff0"});
  EXPECT_EQ(r.rc, 254);
  EXPECT_THAT(r.err, HasSubstr("InvalidInstanceID.NotFound"));
  EXPECT_THAT(r.err, HasSubstr("The instance ID 'i-0fffffffffffffff0' does not exist"));
  const auto bad = aws({"ec2", "describe-instances", "--instance-ids", "nonsense"});
  EXPECT_THAT(bad.err, HasSubstr("InvalidInstanceID.Malformed"));
}

TEST_F(Ec2Test, TerminateReportsShuttingDownThenTheInstanceIsTerminated) {
  const std::string id = launch();
  const auto t = aws({"ec2", "terminate-instances", "--instance-ids", id});
  ASSERT_EQ(t.rc, 0) << t.err;
  const Json j = Json::parse(t.out);
  EXPECT_EQ(j["TerminatingInstances"][0]["CurrentState"]["Name"], "shutting-down");
  EXPECT_EQ(j["TerminatingInstances"][0]["PreviousState"]["Name"], "pending");
  const auto w = aws({"ec2", "wait", "instance-terminated", "--instance-ids", id});
  EXPECT_EQ(w.rc, 0) << w.err;
  EXPECT_EQ(world::state_at(*world::find_instance(paths, id), virtual_now(paths)), "terminated");
  const auto again = aws({"ec2", "terminate-instances", "--instance-ids", id, "--query",
                          "TerminatingInstances[0].[PreviousState.Name,CurrentState.Name]", "--output", "text"});
  EXPECT_EQ(again.rc, 0);
  EXPECT_THAT(again.out, HasSubstr("terminated"));
  EXPECT_THAT(again.out, ::testing::Not(HasSubstr("shutting-down")));
}

TEST_F(Ec2Test, TerminatedCapacityIsFreedForTheNextLaunch) {
  const std::string id = launch();
  aws({"ec2", "terminate-instances", "--instance-ids", id});
  advance_clock(paths, 10);
  EXPECT_FALSE(launch().empty());
}

TEST_F(Ec2Test, InstancesAreFoundByIdAndAddressOnceRunning) {
  const std::string id = launch();
  advance_clock(paths, 30);
  const auto inst = world::find_instance(paths, id);
  ASSERT_TRUE(inst);
  EXPECT_EQ(world::state_at(*inst, virtual_now(paths)), "running");
  EXPECT_DOUBLE_EQ(inst->ssh_ready_at - inst->launched_at, 30.0);
  ASSERT_FALSE(inst->public_ip.empty());
  EXPECT_EQ(world::find_instance(paths, inst->public_ip)->id, id);
  std::string dns = inst->public_ip;
  std::replace(dns.begin(), dns.end(), '.', '-');
  EXPECT_EQ(world::find_instance(paths, "ec2-" + dns + ".compute-1.amazonaws.com")->id, id);
  world::set_instance_state(paths, id, "terminated");
  EXPECT_EQ(world::find_instance(paths, id)->state, "terminated");
}

TEST_F(Ec2Test, InstanceStatusIsInitializingUntilSshIsReady) {
  const std::string id = launch();
  advance_clock(paths, 21);
  const auto early = aws({"ec2", "describe-instance-status", "--instance-ids", id, "--query",
                          "InstanceStatuses[0].InstanceStatus.Status", "--output", "text"});
  EXPECT_EQ(early.out, "initializing\n");
  EXPECT_EQ(aws({"ec2", "wait", "instance-status-ok", "--instance-ids", id}).rc, 0);
}

TEST_F(Ec2Test, NoRegionOnTheDispatcherIsExit253) {
  unsetenv("AWS_DEFAULT_REGION");
  const auto r = aws({"ec2", "describe-instances"});
  EXPECT_EQ(r.rc, 253);
  EXPECT_THAT(r.err, HasSubstr("region"));
}

TEST_F(Ec2Test, OnASpotHostTheRegionComesFromInstanceMetadata) {
  unsetenv("AWS_DEFAULT_REGION");
  EXPECT_EQ(aws({"ec2", "describe-instances"}, "i-0123456789abcdef0").rc, 0);
  setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
  EXPECT_EQ(aws({"ec2", "describe-instances"}, "i-0123456789abcdef0").rc, 253);
}

TEST_F(Ec2Test, TheRegionFlagWinsAndScopesInstances) {
  launch();
  const auto other = aws({"ec2", "describe-instances", "--region", "eu-west-1", "--query", "length(Reservations)"});
  EXPECT_EQ(other.out, "0\n");
  setenv("AWS_REGION", "eu-west-1", 1);
  EXPECT_EQ(aws({"ec2", "describe-instances", "--query", "length(Reservations)"}).out, "0\n");
  unsetenv("AWS_REGION");
  EXPECT_EQ(aws({"ec2", "describe-instances", "--query", "length(Reservations)"}).out, "1\n");
}

TEST_F(Ec2Test, TheConfigFileRegionIsUsed) {
  unsetenv("AWS_DEFAULT_REGION");
  spotcheck::testing::write_file(dir.path() / ".aws" / "config", "[default]\nregion = us-east-1\noutput = text\n");
  const auto r = aws({"ec2", "describe-instances", "--query", "length(Reservations)"});
  EXPECT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out, "0\n");
}

TEST_F(Ec2Test, WithoutAnyCredentialsTheCallIsExit253) {
  world(R"({"region": "us-east-1", "credentials": false})");
  const auto none = aws({"ec2", "describe-instances"});
  EXPECT_EQ(none.rc, 253);
  EXPECT_THAT(none.err, HasSubstr("Unable to locate credentials"));
  setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE", 1);
  setenv("AWS_SECRET_ACCESS_KEY", "secret", 1);
  EXPECT_EQ(aws({"ec2", "describe-instances"}).rc, 0);
}

TEST_F(Ec2Test, ANamedProfileThatDoesNotExistFails) {
  const auto r = aws({"ec2", "describe-instances", "--profile", "nope"});
  EXPECT_EQ(r.rc, 255);
  EXPECT_THAT(r.err, HasSubstr("The config profile (nope) could not be found"));
}

TEST_F(Ec2Test, UnknownOperationsAndParametersAreUsageErrors) {
  EXPECT_EQ(aws({"ec2", "launch-instances"}).rc, 252);
  EXPECT_EQ(aws({"ec2", "run-instances", "--image-id", "ami-0123456789abcdef0", "--min-count", "1"}).rc, 252);
  EXPECT_EQ(aws({"ec3", "describe-instances"}).rc, 252);
}

TEST_F(Ec2Test, AnEndpointOutsideAwsCannotBeReached) {
  const auto r = aws({"ec2", "describe-instances", "--endpoint-url", "http://localhost:4566"});
  EXPECT_EQ(r.rc, 255);
  EXPECT_THAT(r.err, HasSubstr("localhost:4566"));
}

TEST_F(Ec2Test, ABadWorldFileNamesTheJsonPointer) {
  spotcheck::testing::write_file(paths.world(), R"({"capacity": {"c6i.4xlarge": "four"}})");
  try {
    world::seed_world(paths);
    FAIL() << "expected bad input";
  } catch (const spotcheck::Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("world.json"));
    EXPECT_THAT(e.what(), HasSubstr("/capacity/c6i.4xlarge"));
  }
}

}  // namespace
}  // namespace spotcheck::fakes
