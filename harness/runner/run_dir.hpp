// Internal to the runner: the run directory (host side of /spotcheck) and its preparation.
#pragma once
#include <filesystem>
#include <map>
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

  // Validates the run's inputs (the world's layers merged, the catalogs, the rules), so that bad input is
  // reported before anything starts, and makes what the sandbox binds (the directories, the mount points of the
  // fake and the call client). Returns the merged world.
  const nlohmann::json& prepare_mounts(const RunOptions& options);
  // Writes what the sandbox only reads once its supervisor starts: world.json, the seeded World, the catalog,
  // the dispatcher's fixture files, the rules and the shim links. After prepare_mounts.
  void populate(const RunOptions& options);

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path recording() const { return path_ / "recording.jsonl"; }
  void keep() { keep_ = true; }
  bool kept() const { return keep_; }

 private:
  template <class Step>
  auto naming_fs_errors(Step&& step) -> decltype(step());
  const nlohmann::json& validate_and_make_mounts(const RunOptions& options);
  void write_contents(const RunOptions& options);
  std::filesystem::path path_;
  nlohmann::json world_;
  std::map<std::string, std::string> files_;  // the world's "files", placed by populate
  bool keep_ = false;
};

}  // namespace spotcheck::harness
