// World state lock (fakes/src/state.cpp): reentrant within a thread, never shared between threads
// working on different runs (`check -j N` seeds several worlds at once from worker threads).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include <atomic>
#include <future>
#include <latch>
#include <thread>
#include <vector>

#include "spotcheck/fakes/state.hpp"
#include "spotcheck/fakes/world/seed.hpp"
#include "test_support.hpp"

namespace spotcheck::fakes {
namespace {

using spotcheck::testing::TempDir;
using spotcheck::testing::write_file;

// Whether someone holds the run's lock, asked through a descriptor of our own (flock is per open file).
bool lock_is_held(const RunPaths& paths) {
  const int fd = ::open(paths.lock().c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return false;
  const bool held = ::flock(fd, LOCK_EX | LOCK_NB) != 0;
  if (!held) ::flock(fd, LOCK_UN);
  ::close(fd);
  return held;
}

// Runs `body` on a thread and fails (ending the test binary) when it has not returned in 20 s: a
// deadlock must fail the test, not hang it.
void within_limit(const std::function<void()>& body) {
  auto done = std::async(std::launch::async, body);
  if (done.wait_for(std::chrono::seconds(20)) == std::future_status::ready) return done.get();
  ADD_FAILURE() << "deadlock: the body did not return within 20 s";
  std::_Exit(1);
}

TEST(StateLock, NestedScopesInOneThreadDoNotWaitForThemselves) {
  TempDir dir;
  const RunPaths paths{dir.path()};
  within_limit([&] {
    StateLock outer(paths);
    {
      StateLock inner(paths);
      update_state(paths, "x", [](nlohmann::json& v) { v["n"] = 1; });
    }
    EXPECT_TRUE(lock_is_held(paths)) << "the outer scope still holds the lock";
  });
  EXPECT_FALSE(lock_is_held(paths)) << "the last scope released it";
  EXPECT_EQ(read_state(paths, "x")["n"], 1);
}

TEST(StateLock, ThreadsOnDifferentRunsEachReallyHoldTheirOwnLock) {
  TempDir a_dir, b_dir;
  const RunPaths a{a_dir.path()}, b{b_dir.path()};
  std::latch a_held(1), b_checked(1);
  bool b_was_held = false, a_still_held = false;
  within_limit([&] {
    std::thread ta([&] {
      StateLock lock(a);
      a_held.count_down();
      b_checked.wait();
      a_still_held = lock_is_held(a);
    });
    std::thread tb([&] {
      a_held.wait();
      {
        StateLock lock(b);  // a process-wide nesting count would take this for a nested scope of a's
        b_was_held = lock_is_held(b);
      }
      b_checked.count_down();
    });
    ta.join();
    tb.join();
  });
  EXPECT_TRUE(b_was_held) << "the second thread's lock on its own run was not taken";
  EXPECT_TRUE(a_still_held) << "the second thread's release let go of the first thread's lock";
  EXPECT_FALSE(lock_is_held(a));
  EXPECT_FALSE(lock_is_held(b));
}

TEST(SeedWorld, ManyThreadsSeedingWorldsAtOnceNeitherHangNorLeaveALockHeld) {
  constexpr int kThreads = 8, kRuns = 25;
  std::vector<std::unique_ptr<TempDir>> dirs;
  for (int i = 0; i < kThreads * kRuns; ++i) dirs.push_back(std::make_unique<TempDir>());
  std::atomic<int> left_held{0};
  within_limit([&] {
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int r = 0; r < kRuns; ++r) {
          const RunPaths paths{dirs[static_cast<std::size_t>(t * kRuns + r)]->path()};
          write_file(paths.world(), R"({"s3": {"objects": {"s3://b/k": "v"}}, "ssm": {"/p": "x"}})");
          world::seed_world(paths);
          if (lock_is_held(paths)) ++left_held;
        }
      });
    }
    for (auto& th : threads) th.join();
  });
  EXPECT_EQ(left_held.load(), 0) << "runs whose lock stayed held after seeding (their sandbox would stall)";
}

}  // namespace
}  // namespace spotcheck::fakes
