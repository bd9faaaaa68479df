// Whole-file reads and writes with POSIX calls, no iostreams: the static fake runs once per call, and the
// first stream it constructs costs it libstdc++'s locale initialisation (~0.1 ms, bench/README.md).
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace spotcheck {

// The file's bytes; nullopt when it cannot be opened or read (errno says why).
std::optional<std::string> read_file_bytes(const std::filesystem::path& path);
// Everything readable from `fd` until EOF (retrying EINTR); stops at a read error.
std::string read_all_from(int fd);
// Replaces the file's contents with `bytes` (created 0644); false on any failure (errno says why).
bool write_file_bytes(const std::filesystem::path& path, std::string_view bytes);
// Writes all of `bytes` to `fd` (retrying short writes and EINTR); false on a write error.
bool write_all_to(int fd, std::string_view bytes);

}  // namespace spotcheck
