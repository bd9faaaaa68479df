// Unit tests for the world skeleton `spotcheck init` grows: what each kind of call asked the World for, what
// it does not add (what the world has, what the run wrote itself, a spot's paths relayed by the launcher).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "spotcheck/world_skeleton.hpp"

namespace spotcheck::harness {
namespace {

using nlohmann::json;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

Record call(std::string host, std::vector<std::string> argv, int exit = 0, std::string stderr_text = "",
            std::string cwd = "/home/runner/work") {
  Record r;
  r.host = std::move(host);
  r.tool = argv.at(0);
  r.argv = std::move(argv);
  r.exit = exit;
  r.stderr_text = std::move(stderr_text);
  r.cwd = std::move(cwd);
  return r;
}

// The skeleton grown from `records` over an empty world.
json grown(const std::vector<Record>& records, const std::string& launcher_stderr = "",
           std::vector<std::string>* added = nullptr) {
  json world = json::object();
  const auto lines = extend_world(world, json::object(), records, launcher_stderr);
  if (added) *added = lines;
  return world;
}

TEST(WorldSkeleton, AnObjectReadNamesItsBucketAndItsKey) {
  std::vector<std::string> added;
  const json w = grown(
      {call("i-1", {"aws", "s3", "cp", "s3://data/models/w.pt", "/tmp/w.pt", "--region", "us-east-1"})}, "", &added);
  EXPECT_EQ(w["s3"]["buckets"], json::array({"data"}));
  ASSERT_TRUE(w["s3"]["objects"].contains("s3://data/models/w.pt"));
  EXPECT_THAT(added, Contains(HasSubstr("s3://data/models/w.pt: placeholder contents")));
}

TEST(WorldSkeleton, AnUploadNamesOnlyItsBucketAndWhatTheRunWroteIsNotAddedWhenReadBack) {
  const json w = grown({call("dispatcher", {"aws", "s3", "cp", "job.py", "s3://stage/tmp/run-1/job.py"}),
                        call("i-1", {"aws", "s3", "cp", "s3://stage/tmp/run-1/job.py", "/opt/job.py"})});
  EXPECT_EQ(w["s3"]["buckets"], json::array({"stage"}));
  EXPECT_FALSE(w["s3"].contains("objects"));
}

TEST(WorldSkeleton, S3apiReadsAndSsmParametersAreAdded) {
  const json w = grown({call("dispatcher", {"aws", "s3api", "head-object", "--bucket", "b", "--key", "k/x"}),
                        call("i-1", {"aws", "ssm", "get-parameter", "--name", "/team/token", "--with-decryption"}),
                        call("i-1", {"aws", "ssm", "get-parameters", "--names", "/a", "/b", "--query", "Parameters"})});
  EXPECT_TRUE(w["s3"]["objects"].contains("s3://b/k/x"));
  EXPECT_EQ(w["ssm"]["/team/token"]["type"], "SecureString");
  EXPECT_EQ(w["ssm"]["/a"]["type"], "String");
  EXPECT_TRUE(w["ssm"].contains("/b"));
}

TEST(WorldSkeleton, WhatTheWorldAlreadyHasIsNotAddedAgain) {
  json world = json::object();
  const json merged = {{"s3", {{"buckets", {"data"}}, {"objects", {{"s3://data/k", "x"}}}}},
                       {"ssm", {{"/p", {{"value", "v"}}}}}};
  const auto added = extend_world(world, merged,
                                  {call("i-1", {"aws", "s3", "cp", "s3://data/k", "."}),
                                   call("i-1", {"aws", "ssm", "get-parameter", "--name", "/p"})},
                                  "");
  EXPECT_THAT(added, IsEmpty());
  EXPECT_EQ(world, json::object());
}

TEST(WorldSkeleton, AnSshKeyBecomesADispatcherFileUnderHome) {
  const json w = grown({call("dispatcher", {"ssh", "-i", "/home/runner/.ssh/team.pem", "ec2-user@1.2.3.4", "true"})});
  ASSERT_TRUE(w["files"].contains("~/.ssh/team.pem"));
  EXPECT_THAT(w["files"]["~/.ssh/team.pem"].get<std::string>(), HasSubstr("PRIVATE KEY"));
}

TEST(WorldSkeleton, FilesTheLauncherSaysAreMissingArePlacedButNotASpotsRelayedPaths) {
  const Record spot = call("i-1", {"python3", "-m", "pip", "install", "-r", "requirements.txt"}, 1,
                           "ERROR: Could not open requirements file: [Errno 2] No such file or directory: "
                           "'requirements.txt'\n",
                           "/home/ec2-user/app");
  const json w = grown({spot},
                       "launcher: required file not found: /home/runner/.ssh/k.pem\n"
                       "launcher: required file not found: config/params.json\n"
                       "ERROR: Could not open requirements file: [Errno 2] No such file or directory: "
                       "'requirements.txt'\n");
  EXPECT_TRUE(w["files"].contains("~/.ssh/k.pem"));
  EXPECT_EQ(w["files"]["config/params.json"], "{}\n");  // JSON placeholders parse
  EXPECT_FALSE(w["files"].contains("requirements.txt"));
}

TEST(WorldSkeleton, AFileMissingInsideACloneBelongsToThatRepositoryAndEveryCloneIsListed) {
  const json w = grown({
      call("i-1", {"git", "clone", "--depth", "1", "git@github.com:team/app.git"}, 0, "", "/home/ec2-user"),
      call("i-1", {"git", "clone", "https://github.com/team/lib"}, 0, "", "/home/ec2-user"),
      call("i-1", {"python3", "main.py"}, 2,
           "python3: can't open file '/home/ec2-user/app/main.py': [Errno 2] No such file or directory\n",
           "/home/ec2-user/app"),
      call("i-1", {"pip", "install", "-e", "/home/ec2-user/lib"}, 1,
           "ERROR: file:///home/ec2-user/lib does not appear to be a Python project: neither 'setup.py' nor "
           "'pyproject.toml' found.\n",
           "/home/ec2-user/app"),
  });
  EXPECT_TRUE(w["repos"]["app"]["files"].contains("main.py"));
  EXPECT_FALSE(w["repos"]["app"]["files"].contains("python3"));  // the tool's own name is no file
  EXPECT_TRUE(w["repos"]["lib"]["files"].contains("setup.py"));
  EXPECT_TRUE(w["repos"]["lib"]["files"].contains("README.md"));
}

TEST(WorldSkeleton, AMissingS3KeyInACallsErrorIsNoFileOfTheClone) {
  const json w = grown({
      call("i-1", {"git", "clone", "git@github.com:team/app.git"}, 0, "", "/home/ec2-user"),
      call("i-1", {"aws", "s3", "cp", "s3://b/parity/t.db", "/tmp/t.db"}, 1,
           "fatal error: An error occurred (404) when calling the HeadObject operation: Key \"parity/t.db\" does "
           "not exist\n",
           "/home/ec2-user/app"),
  });
  EXPECT_FALSE(w.contains("repos"));
  EXPECT_TRUE(w["s3"]["objects"].contains("s3://b/parity/t.db"));
}

TEST(PathsSaidMissing, ReadsTheCommonWordings) {
  EXPECT_THAT(paths_said_missing("die: required file not found: ~/.ssh/a.pem"), Contains("~/.ssh/a.pem"));
  EXPECT_THAT(paths_said_missing("cat: /tmp/x.txt: No such file or directory"), Contains("/tmp/x.txt"));
  EXPECT_THAT(paths_said_missing("The user-provided path /tmp/r.json does not exist."), Contains("/tmp/r.json"));
  EXPECT_THAT(paths_said_missing("Key \"a/b.db\" does not exist", true), IsEmpty());
  EXPECT_THAT(paths_said_missing("all good: /tmp/x.txt written"), IsEmpty());
}

}  // namespace
}  // namespace spotcheck::harness
