// Test helpers shared by the unit tests: temporary run directories and paths to built binaries.
#pragma once
#include <filesystem>
#include <string>

namespace spotcheck::testing {

// A fresh directory removed at destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

std::filesystem::path source_dir();   // the repository root
std::filesystem::path bin_dir();      // build/bin
std::filesystem::path data_dir();     // ../shared/data
std::string read_file(const std::filesystem::path& p);
// Whether bubblewrap can create namespaces here; sandbox tests skip with that reason when not.
bool sandbox_available();
void write_file(const std::filesystem::path& p, const std::string& text);

}  // namespace spotcheck::testing
