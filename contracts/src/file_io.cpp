// Whole-file reads and writes with POSIX calls (see file_io.hpp for why not iostreams).
#include "spotcheck/file_io.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>

namespace spotcheck {

std::string read_all_from(int fd) {
  std::string bytes;
  std::array<char, 16384> buf{};
  for (;;) {
    const ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return bytes;
    bytes.append(buf.data(), static_cast<std::size_t>(n));
  }
}

std::optional<std::string> read_file_bytes(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  errno = 0;
  std::string bytes = read_all_from(fd);
  const int read_errno = errno;
  ::close(fd);
  if (read_errno != 0 && read_errno != EINTR) {
    errno = read_errno;
    return std::nullopt;
  }
  return bytes;
}

bool write_all_to(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

bool write_file_bytes(const std::filesystem::path& path, std::string_view bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return false;
  const bool written = write_all_to(fd, bytes);
  const int write_errno = errno;
  if (::close(fd) != 0 || !written) {
    if (!written) errno = write_errno;
    return false;
  }
  return true;
}

}  // namespace spotcheck
