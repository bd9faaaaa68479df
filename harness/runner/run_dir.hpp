// Internal to the runner: the run directory (host side of /spotcheck) and its preparation.
#pragma once
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace spotcheck::harness {

struct RunOptions;

// Where run directories are made: `tmpdir` ($TMPDIR) when set, the user's choice; else `shm` when it is a
// writable tmpfs with room (a run creates and removes a few hundred small files, which a journalling
// disk filesystem makes ~10% of a whole run); else the system temporary directory.
std::filesystem::path run_dir_base(const char* tmpdir, const std::filesystem::path& shm = "/dev/shm");

// Names the fake answers to (its multi-call table): shims/ links and the real tools to hide.
std::vector<std::string> shim_tool_names();

class RunDir {
 public:
  RunDir();  // removed again when destroyed, unless keep() was called (nothing half-made is left)
  ~RunDir();
  RunDir(const RunDir&) = delete;
  RunDir& operator=(const RunDir&) = delete;

  // Writes world.json (default world + override), seeds the World, places the dispatcher's fixture
  // files, validates and installs the rules, links the shims. Returns the merged world.
  nlohmann::json prepare(const RunOptions& options);

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path recording() const { return path_ / "recording.jsonl"; }
  void keep() { keep_ = true; }
  bool kept() const { return keep_; }

 private:
  nlohmann::json prepare_files(const RunOptions& options);
  std::filesystem::path path_;
  bool keep_ = false;
};

}  // namespace spotcheck::harness
