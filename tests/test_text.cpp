// Unit tests for the shared text helpers (contracts/text.hpp).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "spotcheck/text.hpp"

namespace spotcheck {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(Split, ReadsThePiecesAsGetlineDoes) {
  EXPECT_THAT(split("a,,b", ','), ElementsAre("a", "", "b"));
  EXPECT_THAT(split(",a", ','), ElementsAre("", "a"));
  EXPECT_THAT(split("a,", ','), ElementsAre("a")) << "a trailing separator ends the last piece";
  EXPECT_THAT(split("", ','), IsEmpty());
  EXPECT_THAT(split("runs/2026/x.json", '/'), ElementsAre("runs", "2026", "x.json"));
}

TEST(Join, PutsTheSeparatorBetweenItems) {
  EXPECT_EQ(join(std::vector<std::string>{"a", "b", "c"}, ", "), "a, b, c");
  EXPECT_EQ(join(std::vector<std::string>{}, ", "), "");
}

TEST(AsciiLowercase, LowersOnlyAToZ) {
  EXPECT_EQ(ascii_lowercase("StrictHostKeyChecking-ÄI"), "stricthostkeychecking-Äi");
}

}  // namespace
}  // namespace spotcheck
