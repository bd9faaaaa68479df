// Tests of the fake aws's S3: `aws s3` cp/sync/ls/rm/mv/mb/rb, `aws s3api` objects, exit codes, payload digests.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>

#include "ordered_json.hpp"
#include "spotcheck/fakes/shim.hpp"
#include "spotcheck/fakes/state.hpp"
#include "spotcheck/fakes/world/seed.hpp"
#include "spotcheck/record.hpp"
#include "test_support.hpp"

namespace spotcheck::fakes {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

struct Result {
  int rc;
  std::string out, err;
  std::vector<Payload> payloads;
};

class S3Test : public ::testing::Test {
 protected:
  spotcheck::testing::TempDir dir;
  spotcheck::testing::TempDir work;  // the caller's working directory
  RunPaths paths{dir.path()};
  fs::path old_cwd = fs::current_path();

  void SetUp() override {
    for (const char* v : {"AWS_REGION", "AWS_PROFILE", "AWS_DEFAULT_OUTPUT", "AWS_ACCESS_KEY_ID", "AWS_CONFIG_FILE"})
      unsetenv(v);
    setenv("HOME", work.path().c_str(), 1);
    setenv("AWS_DEFAULT_REGION", "us-east-1", 1);
    spotcheck::testing::write_file(paths.world(), R"({"region": "us-east-1",
      "s3": {"buckets": ["results"], "objects": {"s3://models/weights/v1.bin": "WEIGHTS", "s3://models/config/a.yaml": "a: 1\n",
                                                  "s3://models/top.txt": "top"}}})");
    world::seed_world(paths);
    fs::current_path(work.path());
  }
  void TearDown() override { fs::current_path(old_cwd); }

  Result aws(std::vector<std::string> args, const std::string& stdin_text = "") {
    args.insert(args.begin(), "aws");
    Context ctx;
    ctx.paths = paths;
    Call call(ctx, args);
    if (!stdin_text.empty()) call.set_stdin(stdin_text);
    const int rc = run_aws(call);
    return {rc, call.record().stdout_text, call.record().stderr_text, call.record().payloads};
  }

  std::string object(const std::string& bucket, const std::string& key) {
    return spotcheck::testing::read_file(paths.state() / "s3" / bucket / key);
  }
};

TEST_F(S3Test, SeedingCopiesWorldObjectsIntoStateFiles) {
  EXPECT_EQ(object("models", "weights/v1.bin"), "WEIGHTS");
  EXPECT_TRUE(fs::is_directory(paths.state() / "s3" / "results"));
  EXPECT_EQ(spotcheck::testing::read_file(paths.state() / "s3-meta.json").find(dir.path().string()), std::string::npos)
      << "state must not hold absolute paths";
}

TEST_F(S3Test, CpUploadsPrintsTheRealProgressLineAndRecordsThePayload) {
  spotcheck::testing::write_file(work.path() / "out.json", "{\"pnl\": 1}");
  const auto r = aws({"s3", "cp", "out.json", "s3://results/run1/"});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out, "upload: ./out.json to s3://results/run1/out.json\n");
  EXPECT_EQ(object("results", "run1/out.json"), "{\"pnl\": 1}");
  ASSERT_EQ(r.payloads.size(), 1u);
  EXPECT_EQ(r.payloads[0].path, "s3://results/run1/out.json");
  EXPECT_EQ(r.payloads[0].sha256, sha256_hex("{\"pnl\": 1}"));
}

TEST_F(S3Test, QuietAndOnlyShowErrorsSilenceProgress) {
  spotcheck::testing::write_file(work.path() / "x", "x");
  EXPECT_EQ(aws({"s3", "cp", "x", "s3://results/x", "--quiet"}).out, "");
  EXPECT_EQ(aws({"s3", "cp", "x", "s3://results/x", "--only-show-errors"}).out, "");
}

TEST_F(S3Test, CpDownloadsToAFileOrDirectory) {
  fs::create_directories(work.path() / "models");
  const auto r = aws({"s3", "cp", "s3://models/weights/v1.bin", "models/"});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out, "download: s3://models/weights/v1.bin to models/v1.bin\n");
  EXPECT_EQ(spotcheck::testing::read_file(work.path() / "models" / "v1.bin"), "WEIGHTS");
  ASSERT_EQ(r.payloads.size(), 1u);
  EXPECT_EQ(r.payloads[0].sha256, sha256_hex("WEIGHTS"));
}

TEST_F(S3Test, CpWithDashStreamsStdinAndStdout) {
  const auto up = aws({"s3", "cp", "-", "s3://results/log.txt"}, "streamed\n");
  ASSERT_EQ(up.rc, 0) << up.err;
  EXPECT_EQ(up.out, "");
  const auto down = aws({"s3", "cp", "s3://results/log.txt", "-"});
  EXPECT_EQ(down.out, "streamed\n");
}

TEST_F(S3Test, AMissingKeyOnDownloadIsAFatalErrorWithExit1) {
  const auto r = aws({"s3", "cp", "s3://models/weights/v2.bin", "./v2.bin"});
  EXPECT_EQ(r.rc, 1);
  EXPECT_EQ(r.err,
            "fatal error: An error occurred (404) when calling the HeadObject operation: Key \"weights/v2.bin\" does "
            "not exist\n");
  EXPECT_FALSE(fs::exists(work.path() / "v2.bin"));
}

TEST_F(S3Test, UploadingToAMissingBucketFailsTheTransfer) {
  spotcheck::testing::write_file(work.path() / "x", "x");
  const auto r = aws({"s3", "cp", "x", "s3://nobucket/x"});
  EXPECT_EQ(r.rc, 1);
  EXPECT_THAT(r.err, HasSubstr("upload failed: ./x to s3://nobucket/x An error occurred (NoSuchBucket)"));
}

TEST_F(S3Test, AMissingLocalSourceIsExit255) {
  const auto r = aws({"s3", "cp", "nothere.txt", "s3://results/"});
  EXPECT_EQ(r.rc, 255);
  EXPECT_THAT(r.err, HasSubstr("The user-provided path nothere.txt does not exist."));
}

TEST_F(S3Test, CpBetweenBucketsCopiesBytes) {
  const auto r = aws({"s3", "cp", "s3://models/top.txt", "s3://results/copied.txt"});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out, "copy: s3://models/top.txt to s3://results/copied.txt\n");
  EXPECT_EQ(object("results", "copied.txt"), "top");
}

TEST_F(S3Test, RecursiveCpUploadsATreeUnderAPrefix) {
  spotcheck::testing::write_file(work.path() / "out" / "a.csv", "a");
  spotcheck::testing::write_file(work.path() / "out" / "sub" / "b.csv", "b");
  spotcheck::testing::write_file(work.path() / "out" / "skip.log", "log");
  const auto r = aws({"s3", "cp", "out", "s3://results/run", "--recursive", "--exclude", "*.log"});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(object("results", "run/a.csv"), "a");
  EXPECT_EQ(object("results", "run/sub/b.csv"), "b");
  EXPECT_FALSE(fs::exists(paths.state() / "s3" / "results" / "run" / "skip.log"));
  EXPECT_EQ(r.payloads.size(), 2u);
}

TEST_F(S3Test, SyncUploadsOnlyWhatChangedAndDeletesWhenAsked) {
  spotcheck::testing::write_file(work.path() / "out" / "a.csv", "a");
  spotcheck::testing::write_file(work.path() / "out" / "b.csv", "b");
  ASSERT_EQ(aws({"s3", "sync", "out", "s3://results/run"}).payloads.size(), 2u);
  spotcheck::testing::write_file(work.path() / "out" / "b.csv", "B2");
  fs::remove(work.path() / "out" / "a.csv");
  const auto r = aws({"s3", "sync", "out", "s3://results/run", "--delete"});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("upload: out/b.csv to s3://results/run/b.csv"));
  EXPECT_THAT(r.out, HasSubstr("delete: s3://results/run/a.csv"));
  EXPECT_EQ(r.payloads.size(), 1u);
  EXPECT_EQ(aws({"s3", "sync", "out", "s3://results/run", "--only-show-errors"}).out, "");
}

TEST_F(S3Test, SyncDownloadsAPrefix) {
  const auto r = aws({"s3", "sync", "s3://models/weights", "local"});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(spotcheck::testing::read_file(work.path() / "local" / "v1.bin"), "WEIGHTS");
}

TEST_F(S3Test, LsPrintsTheRealColumnsAndPrefixes) {
  const auto r = aws({"s3", "ls", "s3://models/"});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out,
            "                           PRE config/\n"
            "                           PRE weights/\n"
            "2027-01-01 00:00:00          3 top.txt\n");
  const auto rec = aws({"s3", "ls", "s3://models", "--recursive"});
  EXPECT_THAT(rec.out, HasSubstr("2027-01-01 00:00:00          7 weights/v1.bin\n"));
}

TEST_F(S3Test, LsOfNothingIsExit1AndOfAMissingBucketIs254) {
  EXPECT_EQ(aws({"s3", "ls", "s3://models/none/"}).rc, 1);
  const auto r = aws({"s3", "ls", "s3://nobucket"});
  EXPECT_EQ(r.rc, 254);
  EXPECT_THAT(r.err, HasSubstr("NoSuchBucket"));
}

TEST_F(S3Test, LsWithoutArgumentsListsBuckets) {
  EXPECT_EQ(aws({"s3", "ls"}).out, "2027-01-01 00:00:00 models\n2027-01-01 00:00:00 results\n");
}

TEST_F(S3Test, RmDeletesAKeyOrAPrefix) {
  EXPECT_EQ(aws({"s3", "rm", "s3://models/top.txt"}).out, "delete: s3://models/top.txt\n");
  const auto r = aws({"s3", "rm", "s3://models/config", "--recursive"});
  EXPECT_EQ(r.out, "delete: s3://models/config/a.yaml\n");
  EXPECT_EQ(
      aws({"s3api", "list-objects-v2", "--bucket", "models", "--query", "Contents[].Key", "--output", "text"}).out,
      "weights/v1.bin\n");
}

TEST_F(S3Test, MvMovesTheObject) {
  const auto r = aws({"s3", "mv", "s3://models/top.txt", "s3://results/top.txt"});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out, "move: s3://models/top.txt to s3://results/top.txt\n");
  EXPECT_EQ(aws({"s3api", "head-object", "--bucket", "models", "--key", "top.txt"}).rc, 254);
  EXPECT_EQ(object("results", "top.txt"), "top");
}

TEST_F(S3Test, MbAndRbManageBuckets) {
  EXPECT_EQ(aws({"s3", "mb", "s3://fresh"}).out, "make_bucket: fresh\n");
  EXPECT_EQ(aws({"s3", "mb", "s3://fresh"}).rc, 1);
  EXPECT_EQ(aws({"s3", "rb", "s3://models"}).rc, 1);
  EXPECT_EQ(aws({"s3", "rb", "s3://fresh"}).out, "remove_bucket: fresh\n");
}

TEST_F(S3Test, S3CommandsNeedNoRegion) {
  unsetenv("AWS_DEFAULT_REGION");
  EXPECT_EQ(aws({"s3", "ls", "s3://models/"}).rc, 0);
}

TEST_F(S3Test, UnknownS3CommandsAndOptionsAreUsageErrors) {
  EXPECT_EQ(aws({"s3", "lss"}).rc, 252);
  EXPECT_EQ(aws({"s3", "cp", "a", "s3://results/a", "--bogus"}).rc, 252);
}

TEST_F(S3Test, HeadObjectReturnsSizeAndQuotedMd5ETag) {
  const auto r = aws({"s3api", "head-object", "--bucket", "models", "--key", "top.txt"});
  ASSERT_EQ(r.rc, 0) << r.err;
  const Json j = Json::parse(r.out);
  EXPECT_EQ(j["ContentLength"], 3);
  EXPECT_EQ(j["ETag"], "\"b28354b543375bfa94dabaeda722927f\"");  // md5("top")
  EXPECT_EQ(j["LastModified"], "2027-01-01T00:00:00+00:00");
}

TEST_F(S3Test, HeadOfAMissingKeyIs404Exit254) {
  const auto r = aws({"s3api", "head-object", "--bucket", "models", "--key", "nope"});
  EXPECT_EQ(r.rc, 254);
  EXPECT_THAT(r.err, HasSubstr("An error occurred (404) when calling the HeadObject operation: Not Found"));
}

TEST_F(S3Test, PutAndGetObjectRoundTripBytes) {
  spotcheck::testing::write_file(work.path() / "body.bin", std::string("a\0b", 3));
  const auto put = aws({"s3api", "put-object", "--bucket", "results", "--key", "k/body.bin", "--body", "body.bin"});
  ASSERT_EQ(put.rc, 0) << put.err;
  EXPECT_THAT(put.out, HasSubstr("\"ETag\""));
  const auto get = aws({"s3api", "get-object", "--bucket", "results", "--key", "k/body.bin", "copy.bin"});
  ASSERT_EQ(get.rc, 0) << get.err;
  EXPECT_EQ(spotcheck::testing::read_file(work.path() / "copy.bin"), std::string("a\0b", 3));
  ASSERT_EQ(get.payloads.size(), 1u);
  EXPECT_EQ(get.payloads[0].bytes, 3u);
  const auto missing = aws({"s3api", "get-object", "--bucket", "results", "--key", "nope", "x.bin"});
  EXPECT_EQ(missing.rc, 254);
  EXPECT_THAT(missing.err, HasSubstr("NoSuchKey"));
}

TEST_F(S3Test, ListObjectsV2HonoursPrefixAndDelimiter) {
  const auto r = aws({"s3api", "list-objects-v2", "--bucket", "models", "--delimiter", "/", "--query",
                      "[Contents[].Key, CommonPrefixes[].Prefix]", "--output", "json"});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(Json::parse(r.out), Json::parse(R"([["top.txt"], ["config/", "weights/"]])"));
  const auto none = aws(
      {"s3api", "list-objects-v2", "--bucket", "models", "--prefix", "zzz", "--query", "Contents", "--output", "text"});
  EXPECT_EQ(none.out, "None\n");
}

TEST_F(S3Test, CopyObjectDeleteObjectAndBuckets) {
  EXPECT_EQ(aws({"s3api", "copy-object", "--copy-source", "models/top.txt", "--bucket", "results", "--key", "t"}).rc,
            0);
  EXPECT_EQ(object("results", "t"), "top");
  EXPECT_EQ(aws({"s3api", "delete-object", "--bucket", "results", "--key", "t"}).out, "");
  EXPECT_EQ(aws({"s3api", "head-bucket", "--bucket", "nobucket"}).rc, 254);
  EXPECT_EQ(aws({"s3api", "list-buckets", "--query", "Buckets[].Name", "--output", "text"}).out, "models\tresults\n");
}

TEST_F(S3Test, KeysThatClashWithDirectoriesAreStillStored) {
  ASSERT_EQ(aws({"s3", "cp", "-", "s3://results/a"}, "file").rc, 0);
  ASSERT_EQ(aws({"s3", "cp", "-", "s3://results/a/b"}, "nested").rc, 0);
  EXPECT_EQ(aws({"s3", "cp", "s3://results/a", "-"}).out, "file");
  EXPECT_EQ(aws({"s3", "cp", "s3://results/a/b", "-"}).out, "nested");
}

}  // namespace
}  // namespace spotcheck::fakes
