// Unit tests for whole-file reads and writes without iostreams (contracts/file_io.hpp).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>

#include "spotcheck/file_io.hpp"
#include "test_support.hpp"

namespace spotcheck {
namespace {

using spotcheck::testing::TempDir;

TEST(FileIo, AMissingFileIsNulloptWithItsErrno) {
  TempDir dir;
  errno = 0;
  EXPECT_EQ(read_file_bytes(dir.path() / "absent"), std::nullopt);
  EXPECT_EQ(errno, ENOENT);
}

TEST(FileIo, WritesReplaceTheContentsAndReadBackByteForByte) {
  TempDir dir;
  const auto file = dir.path() / "f";
  const std::string big(100000, 'x');
  ASSERT_TRUE(write_file_bytes(file, big));
  EXPECT_EQ(read_file_bytes(file), big);
  const std::string binary("a\0b\n", 4);
  ASSERT_TRUE(write_file_bytes(file, binary));
  EXPECT_EQ(read_file_bytes(file), binary) << "truncated, not appended; NULs kept";
}

TEST(FileIo, AWriteIntoAMissingDirectoryFails) {
  TempDir dir;
  EXPECT_FALSE(write_file_bytes(dir.path() / "no" / "such" / "f", "x"));
  EXPECT_EQ(errno, ENOENT);
}

TEST(FileIo, ReadsADescriptorToItsEnd) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  ASSERT_TRUE(write_all_to(fds[1], "through a pipe"));
  ::close(fds[1]);
  EXPECT_EQ(read_all_from(fds[0]), "through a pipe");
  ::close(fds[0]);
}

}  // namespace
}  // namespace spotcheck
