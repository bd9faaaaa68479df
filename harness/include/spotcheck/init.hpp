// `spotcheck init`: a repository's first spotcheck set-up from one of its launchers, run hermetically.
#pragma once
#include <filesystem>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace spotcheck::harness {

struct InitOptions {
  std::filesystem::path root;               // the repository (spotcheck.json is written here)
  std::filesystem::path launcher;           // relative to root, or absolute
  std::optional<std::string> mode_flag;     // the launcher's preflight/smoke flag, e.g. --preflight-only
  std::vector<std::string> args;            // arguments every run gets, before the mode flag
  std::map<std::string, std::string> env;   // environment every run gets (and each scenario states)
  std::filesystem::path dir = "spotcheck";  // under root: world.json, workloads/, scenarios/
  bool force = false;                       // rewrite files that exist
  int max_rounds = 20;                      // runs per mode while the world still lacks something
};

// Runs the launcher (with the mode flag, and without: its full run) until the world holds every bucket,
// object, parameter and file the runs asked for; writes spotcheck.json, DIR/world.json, a catalog
// skeleton (DIR/workloads/MODULE.json: each python entrypoint invocation seen, marked "todo"), one
// scenario per mode (the preflight writes nothing and leaves the World unchanged; the full run shows the
// writes it made) and their goldens; then checks them and prints what is left to fill in. A file that
// exists is kept unless `force`. Returns check's exit status (0: every scenario passes).
int run_init(const InitOptions& options, std::ostream& out);

}  // namespace spotcheck::harness
