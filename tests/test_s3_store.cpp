// Tests of the World's S3 store: seeding in one transaction leaves the state one put after another leaves.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "spotcheck/fakes/state.hpp"
#include "test_support.hpp"
#include "world/s3_store.hpp"

namespace spotcheck::fakes::world {
namespace {

namespace fs = std::filesystem;

// Every file under state/ with its bytes, paths relative to state/.
std::vector<std::pair<std::string, std::string>> files_under(const fs::path& state) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& e : fs::recursive_directory_iterator(state)) {
    if (!e.is_regular_file() || e.path().filename() == ".lock") continue;
    out.emplace_back(fs::relative(e.path(), state).generic_string(), spotcheck::testing::read_file(e.path()));
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(S3StoreSeed, LeavesTheStateThatCreateBucketAndPutInTurnLeave) {
  const std::vector<std::string> buckets = {"results", "models"};
  // "a" then "a/b": the second key's file would sit under the first's, so it goes by digest; the same
  // object twice keeps the later bytes.
  const std::vector<SeedObject> objects = {{"models", "a", "first"},
                                           {"models", "a/b", "under a file"},
                                           {"data", "x/y.csv", "1,2\n"},
                                           {"models", "top.txt", "old"},
                                           {"models", "top.txt", "new"}};
  spotcheck::testing::TempDir one_by_one_dir;
  spotcheck::testing::TempDir seeded_dir;
  const RunPaths one_by_one{one_by_one_dir.path()};
  const RunPaths seeded{seeded_dir.path()};
  fs::create_directories(one_by_one.state());
  fs::create_directories(seeded.state());

  S3Store store(one_by_one);
  for (const auto& b : buckets) store.create_bucket(b, "eu-west-1", 0);
  for (const auto& o : objects) {
    store.create_bucket(o.bucket, "eu-west-1", 0);
    store.put(o.bucket, o.key, o.bytes, 0);
  }
  S3Store(seeded).seed(buckets, objects, "eu-west-1");

  const auto expected = files_under(one_by_one.state());
  EXPECT_EQ(files_under(seeded.state()), expected);
  // The case the comparison is for: the clashing key was stored by digest, not beside "a".
  EXPECT_TRUE(std::any_of(expected.begin(), expected.end(),
                          [](const auto& f) { return f.first.find(".spotcheck-keys/") != std::string::npos; }));
  EXPECT_EQ(S3Store(seeded).get("models", "top.txt"), "new");
  EXPECT_EQ(S3Store(seeded).get("models", "a/b"), "under a file");
  EXPECT_EQ(S3Store(seeded).buckets().size(), 3U);
}

}  // namespace
}  // namespace spotcheck::fakes::world
