// Tests of World snapshots and their difference (fakes/src/world/snapshot.cpp) and of the
// world_unchanged / world_changes expectations over them (harness/src/expectations.cpp).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "spotcheck/expectations.hpp"
#include "spotcheck/fakes/state.hpp"
#include "spotcheck/fakes/world/seed.hpp"
#include "spotcheck/fakes/world/snapshot.hpp"
#include "test_support.hpp"
#include "world/ec2_store.hpp"
#include "world/s3_store.hpp"

namespace spotcheck::fakes::world {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;

class SnapshotTest : public ::testing::Test {
 protected:
  spotcheck::testing::TempDir dir;
  RunPaths paths{dir.path()};
  void SetUp() override {
    spotcheck::testing::write_file(paths.world(), R"({"region": "us-east-1", "s3": {"buckets": ["b"],
      "objects": {"s3://b/keep.txt": "k", "s3://b/old.txt": "o", "s3://b/edit.txt": "e"}}})");
    seed_world(paths);
  }
  void add_instance(const std::string& id, const std::string& state) {
    update_ec2(paths, [&](nlohmann::json& ec2) {
      ec2["instances"].push_back({{"id", id},
                                  {"state", state},
                                  {"region", "us-east-1"},
                                  {"launched_at", 0},
                                  {"running_at", 0},
                                  {"ssh_ready_at", 0}});
    });
  }
};

TEST_F(SnapshotTest, AnUntouchedWorldHasNoChanges) {
  const auto before = take_snapshot(paths);
  EXPECT_TRUE(diff_world(before, take_snapshot(paths)).empty());
}

TEST_F(SnapshotTest, ObjectsCreatedChangedDeletedAndInstancesLeftUpAreChanges) {
  const auto before = take_snapshot(paths);
  S3Store store(paths);
  store.put("b", "new.txt", "n", 1);
  store.put("b", "edit.txt", "edited", 1);
  store.remove("b", "old.txt");
  add_instance("i-0aaaaaaaaaaaaaaa1", "terminated");  // launched and terminated: no change
  add_instance("i-0bbbbbbbbbbbbbbb2", "running");
  const auto changes = diff_world(before, take_snapshot(paths));
  EXPECT_THAT(
      changes,
      ElementsAre(Field(&WorldChange::name, "s3://b/new.txt"), Field(&WorldChange::name, "s3://b/edit.txt"),
                  Field(&WorldChange::name, "s3://b/old.txt"), Field(&WorldChange::name, "i-0bbbbbbbbbbbbbbb2")));
  EXPECT_EQ(changes[0].kind, "s3.created");
  EXPECT_EQ(changes[1].kind, "s3.changed");
  EXPECT_EQ(changes[2].kind, "s3.deleted");
  EXPECT_EQ(changes[3].kind, "ec2.left_running");
}

TEST_F(SnapshotTest, AStagedObjectRemovedAgainLeavesNothing) {
  const auto before = take_snapshot(paths);
  S3Store store(paths);
  store.put("b", "tmp/run/config.yaml", "c", 1);
  store.remove("b", "tmp/run/config.yaml");
  EXPECT_TRUE(diff_world(before, take_snapshot(paths)).empty());
}

TEST(WorldExpectations, UnchangedFailsOnALeftoverUnlessIgnoredAndCountsHoldPerKind) {
  const std::vector<WorldChange> changes = {{"s3.created", "s3://b/tmp/x", ""}, {"metric.put", "metric:NS/M", ""}};
  const std::vector<Record> records;
  harness::Observed observed;
  observed.records = &records;
  observed.world_changes = &changes;
  harness::Expectations e;
  e.world_unchanged = true;
  const auto failed = harness::evaluate(e, observed);
  ASSERT_EQ(failed.size(), 1U);
  EXPECT_EQ(failed[0].check, "world_unchanged");
  EXPECT_EQ(failed[0].actual, "2 changes");
  e.world_ignore = {"s3://b/tmp/*", "metric:*"};
  EXPECT_TRUE(harness::evaluate(e, observed).empty());
  harness::Expectations counts;
  counts.world_changes["s3.created"].exactly = 0;
  counts.world_changes["metric.put"].exactly = 1;
  const auto miscounted = harness::evaluate(counts, observed);
  ASSERT_EQ(miscounted.size(), 1U);
  EXPECT_EQ(miscounted[0].check, "world_changes.s3.created");
}

}  // namespace
}  // namespace spotcheck::fakes::world
