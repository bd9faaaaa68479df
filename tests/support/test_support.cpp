// Test helpers shared by the unit tests.
#include "test_support.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace spotcheck::testing {

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "spotcheck-test-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::filesystem::path source_dir() { return SPOTCHECK_SOURCE_DIR; }
std::filesystem::path bin_dir() { return SPOTCHECK_BIN_DIR; }
// ../shared/data beside the checkout; SPOTCHECK_DATA_DIR in the environment points elsewhere.
std::filesystem::path data_dir() {
  if (const char* env = std::getenv("SPOTCHECK_DATA_DIR"); env && *env) return env;
  return std::filesystem::path(SPOTCHECK_DATA_DIR).lexically_normal();
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + p.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const std::filesystem::path& p, const std::string& text) {
  if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + p.string());
}

bool sandbox_available() {
  static const bool available = std::system("bwrap --unshare-all --ro-bind / / true >/dev/null 2>&1") == 0;
  return available;
}

}  // namespace spotcheck::testing
