// Test helpers shared by the unit tests: temporary run directories and paths to built binaries.
#pragma once
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "spotcheck/runner.hpp"

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

// Silences fd 1/2 while a streaming shim runs (the test log stays readable); stdin is /dev/null, never a tty.
class QuietOutput {
 public:
  QuietOutput();
  ~QuietOutput();
  QuietOutput(const QuietOutput&) = delete;
  QuietOutput& operator=(const QuietOutput&) = delete;

 private:
  int saved_in_;
  int saved_out_;
  int saved_err_;
};

std::filesystem::path source_dir();  // the repository root
std::filesystem::path bin_dir();     // build/bin
std::filesystem::path data_dir();    // ../shared/data
std::string read_file(const std::filesystem::path& p);
// Whether bubblewrap can create namespaces here; sandbox tests skip with that reason when not.
bool sandbox_available();
void write_file(const std::filesystem::path& p, const std::string& text);

// A program run to its end: exit status (128+N for signal N), stdout, stderr.
struct CommandResult {
  int exit = -1;
  std::string out, err;
};
// Runs argv[0] (searched in PATH) with the test's environment plus `env` (an empty value unsets).
CommandResult run_command(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {});

// Writes `text` to `script` as an executable file and runs it as a launcher in a sandbox of its own, its
// output captured (not passed through), `env` added to its environment, within `timeout_seconds`.
// Run options with this tree's project worlds and catalogs (spotcheck.json: the demo world the bundled
// launchers need, their workload catalog).
harness::RunOptions bundled_run_options();
harness::RunResult run_script(const std::filesystem::path& script, const std::string& text,
                              const std::map<std::string, std::string>& env = {}, double timeout_seconds = 60);

}  // namespace spotcheck::testing
