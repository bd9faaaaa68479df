// Tests of SSM Run Command in the fake aws (fakes/src/aws/ssm_run_command.cpp, world/ssm_commands.cpp,
// shims/ssm_agent.cpp): managed nodes, send-command running its script on the instance's host, the
// invocation's status in virtual time, the error texts, cancel, the output limits and S3 output.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "aws/run_command.hpp"
#include "ordered_json.hpp"
#include "spotcheck/digest.hpp"
#include "spotcheck/fakes/shim.hpp"
#include "spotcheck/fakes/state.hpp"
#include "spotcheck/fakes/world/instances.hpp"
#include "spotcheck/fakes/world/seed.hpp"
#include "spotcheck/record.hpp"
#include "test_support.hpp"
#include "world/ec2_store.hpp"
#include "world/s3_store.hpp"

namespace spotcheck::fakes {
namespace {

using spotcheck::testing::QuietOutput;
using spotcheck::testing::TempDir;
using spotcheck::testing::write_file;
using ::testing::HasSubstr;

constexpr const char* kInstance = "i-0aaaaaaaaaaaaaaa1";

#define SKIP_WITHOUT_SANDBOX()                                                                                \
  do {                                                                                                        \
    if (!spotcheck::testing::sandbox_available()) GTEST_SKIP() << "bubblewrap cannot create namespaces here"; \
  } while (0)

struct Result {
  int rc;
  std::string out, err;
  std::int64_t seq;
};

class RunCommandTest : public ::testing::Test {
 protected:
  TempDir dir;
  RunPaths paths{dir.path()};

  void SetUp() override {
    for (const char* v : {"AWS_REGION", "AWS_PROFILE", "AWS_DEFAULT_OUTPUT", "AWS_ACCESS_KEY_ID", "AWS_CONFIG_FILE"})
      unsetenv(v);
    setenv("HOME", dir.path().c_str(), 1);
    setenv("AWS_DEFAULT_REGION", "us-east-1", 1);
    write_world(R"({"region": "us-east-1", "ssm_agent_online_after": 30, "s3": {"buckets": ["out-bucket"]}})");
    world::seed_world(paths);
    // The instance's own calls go through the fake, as in a run: sleep moves the clock, aws is recorded.
    // A copy inside the run root, as the harness places it: a host binds its own /tmp, which would hide a
    // build tree under /tmp (a CI clone).
    std::filesystem::create_directories(paths.shims());
    std::filesystem::create_directories(paths.root / "bin");
    std::filesystem::copy_file(spotcheck::testing::bin_dir() / "spotcheck-fake", paths.root / "bin" / "spotcheck-fake");
    for (const char* tool : {"sleep", "aws"})
      std::filesystem::create_symlink("../bin/spotcheck-fake", paths.shims() / tool);
    world::update_ec2(paths, [&](nlohmann::json& ec2) {
      ec2["instances"].push_back({{"id", kInstance},
                                  {"type", "c6i.large"},
                                  {"state", "running"},
                                  {"public_ip", "203.0.113.10"},
                                  {"private_ip", "10.0.0.10"},
                                  {"region", "us-east-1"},
                                  {"launched_at", 0},
                                  {"running_at", 0},
                                  {"ssh_ready_at", 0}});
    });
  }

  void write_world(const std::string& text) { write_file(paths.world(), text); }

  Result aws(std::vector<std::string> args) {
    args.insert(args.begin(), "aws");
    Context ctx;
    ctx.paths = paths;
    Call call(ctx, args);
    int rc = 0;
    {
      QuietOutput quiet;
      rc = call.finish(run_aws(call));
    }
    return {rc, call.record().stdout_text, call.record().stderr_text, call.record().seq};
  }

  // send-command of `commands` (JSON list) to the instance; returns the command id.
  std::string send(const std::string& commands, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"ssm",
                                     "send-command",
                                     "--document-name",
                                     "AWS-RunShellScript",
                                     "--instance-ids",
                                     kInstance,
                                     "--parameters",
                                     "{\"commands\":" + commands + "}",
                                     "--query",
                                     "Command.CommandId",
                                     "--output",
                                     "text"};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto r = aws(args);
    EXPECT_EQ(r.rc, 0) << r.err;
    return r.out.substr(0, r.out.find('\n'));
  }

  nlohmann::json invocation(const std::string& id) {
    const auto r = aws({"ssm", "get-command-invocation", "--command-id", id, "--instance-id", kInstance});
    EXPECT_EQ(r.rc, 0) << r.err;
    return nlohmann::json::parse(r.out);
  }

  std::string ping_status() {
    const auto r =
        aws({"ssm", "describe-instance-information", "--filters", std::string("Key=InstanceIds,Values=") + kInstance,
             "--query", "InstanceInformationList[0].PingStatus", "--output", "text"});
    EXPECT_EQ(r.rc, 0) << r.err;
    return r.out;
  }

  void after_boot() { advance_clock(paths, 30); }
};

TEST_F(RunCommandTest, TheAgentComesOnlineAfterTheWorldsDelayAndGoesAwayWithTheInstance) {
  EXPECT_EQ(ping_status(), "None\n");  // not registered yet: the list is empty
  advance_clock(paths, 29);
  EXPECT_EQ(ping_status(), "None\n");
  advance_clock(paths, 1);
  EXPECT_EQ(ping_status(), "Online\n");
  world::set_instance_state(paths, kInstance, "stopped");
  EXPECT_EQ(ping_status(), "ConnectionLost\n");
  world::set_instance_state(paths, kInstance, "terminated");
  EXPECT_EQ(ping_status(), "None\n");
}

TEST_F(RunCommandTest, AWorldWithoutAgentsListsNoManagedNodes) {
  write_world(R"({"region": "us-east-1", "ssm_agent": false})");
  advance_clock(paths, 600);
  EXPECT_EQ(ping_status(), "None\n");
}

TEST_F(RunCommandTest, SendingToAnInstanceWhoseAgentIsNotOnlineIsInvalidInstanceId) {
  const auto r = aws({"ssm", "send-command", "--document-name", "AWS-RunShellScript", "--instance-ids", kInstance,
                      "--parameters", "commands=true"});
  EXPECT_EQ(r.rc, 254);
  EXPECT_EQ(r.err, "\nAn error occurred (InvalidInstanceId) when calling the SendCommand operation: Instances [[" +
                       std::string(kInstance) + "]] not in a valid state for account 123456789012\n");
}

TEST_F(RunCommandTest, TheStepRunsOnTheHostAndIsPendingThenInProgressThenSuccess) {
  SKIP_WITHOUT_SANDBOX();
  after_boot();
  const std::string id = send(R"J(["echo started", "sleep 20", "echo done on $(hostname)"])J");
  ASSERT_EQ(id.size(), 36U);
  EXPECT_EQ(invocation(id)["Status"], "Pending");  // the agent picks it up a second later
  advance_clock(paths, 1);
  const auto running = invocation(id);
  EXPECT_EQ(running["Status"], "InProgress");
  EXPECT_EQ(running["StandardOutputContent"], "");
  advance_clock(paths, 20);
  const auto done = invocation(id);
  EXPECT_EQ(done["Status"], "Success");
  EXPECT_EQ(done["ResponseCode"], 0);
  EXPECT_EQ(done["StandardOutputContent"], "started\ndone on ip-10-0-0-10\n");
  EXPECT_EQ(done["ExecutionElapsedTime"], "PT20S");
}

TEST_F(RunCommandTest, TheAgentsEnvironmentIsRootsMinimalOneInUsrBin) {
  SKIP_WITHOUT_SANDBOX();
  after_boot();
  setenv("FOO", "dispatcher", 1);
  const std::string id = send(R"(["echo ${FOO:-unset} ${HOME:-nohome} $PWD $AWS_SSM_INSTANCE_ID $SPOTCHECK_HOST"])");
  unsetenv("FOO");
  advance_clock(paths, 5);
  EXPECT_EQ(invocation(id)["StandardOutputContent"],
            std::string("unset nohome /usr/bin ") + kInstance + " " + kInstance + "\n");
}

TEST_F(RunCommandTest, WorkingDirectoryIsHonouredAndAMissingOneFailsTheStep) {
  SKIP_WITHOUT_SANDBOX();
  after_boot();
  const auto r =
      aws({"ssm", "send-command", "--document-name", "AWS-RunShellScript", "--instance-ids", kInstance, "--parameters",
           R"({"commands":["pwd"],"workingDirectory":["/tmp"]})", "--query", "Command.CommandId", "--output", "text"});
  ASSERT_EQ(r.rc, 0) << r.err;
  advance_clock(paths, 5);
  EXPECT_EQ(invocation(r.out.substr(0, 36))["StandardOutputContent"], "/tmp\n");
  const auto bad = aws({"ssm", "send-command", "--document-name", "AWS-RunShellScript", "--instance-ids", kInstance,
                        "--parameters", R"({"commands":["pwd"],"workingDirectory":["/nowhere"]})", "--query",
                        "Command.CommandId", "--output", "text"});
  advance_clock(paths, 5);
  const auto failed = invocation(bad.out.substr(0, 36));
  EXPECT_EQ(failed["Status"], "Failed");
  EXPECT_THAT(failed["StandardErrorContent"].get<std::string>(), HasSubstr("chdir /nowhere"));
}

TEST_F(RunCommandTest, ANonZeroExitIsFailedWithItsResponseCodeAndTheAgentsLine) {
  SKIP_WITHOUT_SANDBOX();
  after_boot();
  const std::string id = send(R"(["echo oops >&2", "exit 3"])");
  advance_clock(paths, 5);
  const auto done = invocation(id);
  EXPECT_EQ(done["Status"], "Failed");
  EXPECT_EQ(done["StatusDetails"], "Failed");
  EXPECT_EQ(done["ResponseCode"], 3);
  EXPECT_EQ(done["StandardErrorContent"], "oops\nfailed to run commands: exit status 3\n");
}

TEST_F(RunCommandTest, AStepLongerThanItsExecutionTimeoutIsTimedOut) {
  SKIP_WITHOUT_SANDBOX();
  after_boot();
  const auto r = aws({"ssm", "send-command", "--document-name", "AWS-RunShellScript", "--instance-ids", kInstance,
                      "--parameters", R"({"commands":["sleep 120"],"executionTimeout":["60"]})", "--query",
                      "Command.CommandId", "--output", "text"});
  ASSERT_EQ(r.rc, 0) << r.err;
  advance_clock(paths, 62);
  const auto done = invocation(r.out.substr(0, 36));
  EXPECT_EQ(done["Status"], "TimedOut");
  EXPECT_EQ(done["StatusDetails"], "ExecutionTimedOut");
  EXPECT_EQ(done["ResponseCode"], -1);
}

TEST_F(RunCommandTest, CancelBeforeTheEndIsCancelledAndKeepsNoOutput) {
  SKIP_WITHOUT_SANDBOX();
  after_boot();
  const std::string id = send(R"(["echo partial", "sleep 100"])");
  advance_clock(paths, 10);
  const auto cancel = aws({"ssm", "cancel-command", "--command-id", id});
  EXPECT_EQ(cancel.rc, 0) << cancel.err;
  EXPECT_EQ(cancel.out, "");
  const auto done = invocation(id);
  EXPECT_EQ(done["Status"], "Cancelled");
  EXPECT_EQ(done["StatusDetails"], "Canceled");
  EXPECT_EQ(done["StandardOutputContent"], "");
}

TEST_F(RunCommandTest, UnknownCommandIdsGetTheServicesErrors) {
  const std::string unknown = "11111111-2222-3333-4444-555555555555";
  const auto get = aws({"ssm", "get-command-invocation", "--command-id", unknown, "--instance-id", kInstance});
  EXPECT_EQ(get.rc, 254);
  EXPECT_EQ(get.err,
            "\nAn error occurred (InvocationDoesNotExist) when calling the GetCommandInvocation operation: \n");
  const auto list = aws({"ssm", "list-commands", "--command-id", unknown});
  EXPECT_EQ(list.rc, 254);
  EXPECT_THAT(list.err, HasSubstr("(InvalidCommandId) when calling the ListCommands operation"));
  const auto short_id = aws({"ssm", "get-command-invocation", "--command-id", "abc", "--instance-id", kInstance});
  EXPECT_EQ(short_id.rc, 254);
  EXPECT_THAT(short_id.err, HasSubstr("(ValidationException)"));
  EXPECT_THAT(short_id.err, HasSubstr("Member must have length greater than or equal to 36"));
}

TEST_F(RunCommandTest, TheInvocationCanBeInvisibleForAWhileRightAfterSendCommand) {
  SKIP_WITHOUT_SANDBOX();
  write_world(R"({"region": "us-east-1", "ssm_agent_online_after": 30, "ssm_invocation_visible_after": 3})");
  after_boot();
  const std::string id = send(R"(["true"])");
  const auto early = aws({"ssm", "get-command-invocation", "--command-id", id, "--instance-id", kInstance});
  EXPECT_EQ(early.rc, 254);
  EXPECT_THAT(early.err, HasSubstr("(InvocationDoesNotExist)"));
  advance_clock(paths, 3);
  EXPECT_EQ(invocation(id)["Status"], "Success");
}

TEST_F(RunCommandTest, InlineOutputStopsAtTheServiceLimitsAndS3GetsAllOfIt) {
  SKIP_WITHOUT_SANDBOX();
  after_boot();
  const std::string id = send(R"(["head -c 30000 /dev/zero | tr '\\0' x", "head -c 9000 /dev/zero | tr '\\0' e >&2"])",
                              {"--output-s3-bucket-name", "out-bucket", "--output-s3-key-prefix", "runs"});
  advance_clock(paths, 5);
  const auto done = invocation(id);
  EXPECT_EQ(done["StandardOutputContent"].get<std::string>().size(), 24000U);
  EXPECT_EQ(done["StandardErrorContent"].get<std::string>().size(), 8000U);
  const std::string key = "runs/" + id + "/" + kInstance + "/awsrunShellScript/0.awsrunShellScript/stdout";
  EXPECT_EQ(done["StandardOutputUrl"], "https://s3.us-east-1.amazonaws.com/out-bucket/" + key);
  const auto object = world::S3Store(paths).get("out-bucket", key);
  ASSERT_TRUE(object.has_value());
  EXPECT_EQ(object->size(), 30000U);
  const auto listed = aws({"ssm", "list-command-invocations", "--command-id", id, "--details", "--query",
                           "CommandInvocations[0].CommandPlugins[0].Output", "--output", "text"});
  EXPECT_THAT(listed.out, HasSubstr("\n---Output truncated---"));
}

TEST_F(RunCommandTest, ParametersComeFromAFileToo) {
  SKIP_WITHOUT_SANDBOX();
  after_boot();
  write_file(dir.path() / "params.json", R"({"commands": ["echo from-file"]})");
  const auto r =
      aws({"ssm", "send-command", "--document-name", "AWS-RunShellScript", "--instance-ids", kInstance, "--parameters",
           "file://" + (dir.path() / "params.json").string(), "--query", "Command.CommandId", "--output", "text"});
  ASSERT_EQ(r.rc, 0) << r.err;
  advance_clock(paths, 5);
  EXPECT_EQ(invocation(r.out.substr(0, 36))["StandardOutputContent"], "from-file\n");
}

TEST_F(RunCommandTest, CallsTheStepMakesAreRecordedOnTheInstanceWithTheSendCommandAsParent) {
  SKIP_WITHOUT_SANDBOX();
  after_boot();
  const auto r = aws({"ssm", "send-command", "--document-name", "AWS-RunShellScript", "--instance-ids", kInstance,
                      "--parameters", R"({"commands":["sleep 7", "aws sts get-caller-identity --region us-east-1"]})",
                      "--query", "Command.CommandId", "--output", "text"});
  ASSERT_EQ(r.rc, 0) << r.err;
  const auto records = read_recording(paths.recording());
  ASSERT_EQ(records.size(), 3U);  // in seq order: the send-command, then the two calls of its step
  EXPECT_EQ(records[0].seq, r.seq);
  EXPECT_EQ(records[0].effects, std::vector<std::string>{"remote.exec"});
  for (const std::size_t i : {1U, 2U}) {
    EXPECT_EQ(records[i].host, kInstance);
    EXPECT_EQ(records[i].parent, r.seq);
    EXPECT_EQ(records[i].cwd, "/usr/bin");
  }
  EXPECT_EQ(records[1].argv.front(), "sleep");
  EXPECT_EQ(records[2].argv.front(), "aws");
  // The step ran from T0 + 1 to T0 + 8; the dispatcher's clock is still T0.
  EXPECT_EQ(virtual_now(paths), 30);
  advance_clock(paths, 8);
  EXPECT_EQ(invocation(r.out.substr(0, 36))["Status"], "Success");
}

TEST_F(RunCommandTest, OnlyRunShellScriptAndItsParametersAreAccepted) {
  after_boot();
  const auto doc = aws({"ssm", "send-command", "--document-name", "AWS-RunPowerShellScript", "--instance-ids",
                        kInstance, "--parameters", "commands=dir"});
  EXPECT_EQ(doc.rc, 254);
  EXPECT_THAT(doc.err, HasSubstr("(InvalidDocument)"));
  const auto param = aws({"ssm", "send-command", "--document-name", "AWS-RunShellScript", "--instance-ids", kInstance,
                          "--parameters", R"({"commands":["true"],"executionTimeout":["0"]})"});
  EXPECT_EQ(param.rc, 254);
  EXPECT_THAT(param.err, HasSubstr("(InvalidParameters)"));
  const auto delivery = aws({"ssm", "send-command", "--document-name", "AWS-RunShellScript", "--instance-ids",
                             kInstance, "--parameters", "commands=true", "--timeout-seconds", "10"});
  EXPECT_EQ(delivery.rc, 254);
  EXPECT_THAT(delivery.err, HasSubstr("Member must have value greater than or equal to 30"));
}

TEST_F(RunCommandTest, WaitCommandExecutedPollsInVirtualTime) {
  SKIP_WITHOUT_SANDBOX();
  after_boot();
  const std::string ok = send(R"(["sleep 12"])");
  const double before = virtual_now(paths);
  EXPECT_EQ(aws({"ssm", "wait", "command-executed", "--command-id", ok, "--instance-id", kInstance}).rc, 0);
  EXPECT_EQ(virtual_now(paths) - before, 15);  // three 5 s polls: the step ends at +13 s
  const std::string bad = send(R"(["exit 2"])");
  const auto failed = aws({"ssm", "wait", "command-executed", "--command-id", bad, "--instance-id", kInstance});
  EXPECT_EQ(failed.rc, 255);
  EXPECT_THAT(failed.err, HasSubstr("Waiter CommandExecuted failed: Waiter encountered a terminal failure state"));
}

TEST(SendCommandStepText, HoldsTheCommandsAndTheirDecodedBase64) {
  const std::string b64 = base64_encode("python3 train.py --epochs 3\n");
  const auto text =
      aws::send_command_step_text({"ssm", "send-command", "--document-name", "AWS-RunShellScript", "--parameters",
                                   "{\"commands\":[\"echo " + b64 + " | base64 -d | bash\"]}"});
  ASSERT_TRUE(text.has_value());
  EXPECT_THAT(*text, HasSubstr("| base64 -d | bash"));
  EXPECT_THAT(*text, HasSubstr("python3 train.py --epochs 3"));
  EXPECT_FALSE(aws::send_command_step_text({"ssm", "get-parameter", "--name", "x"}).has_value());
}

}  // namespace
}  // namespace spotcheck::fakes
