// spotcheck-bench's floor: floor-responder links for every tool, a home with the launcher's fixture files.
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "bench.hpp"
#include "spotcheck/runner.hpp"

namespace spotcheck::bench {
namespace {

// Every tool the launcher and its remote scripts call that is not a plain coreutil (bash, mkdir, ...).
const char* const kFloorTools[] = {"aws",         "ssh",      "scp",        "git",         "sudo", "timeout", "date",
                                   "python",      "python3",  "python3.12", "pip",         "pip3", "dnf",     "yum",
                                   "systemd-run", "shutdown", "sleep",      "ssh-keyscan", "curl", "wget"};

fs::path home_of(const fs::path& dir) {
  return dir / "home";
}
fs::path workdir_of(const fs::path& dir) {
  return home_of(dir) / "work";
}

// The world's "files": "~/..." lands in HOME, anything else in the launcher's working directory.
void place_fixture_files(const fs::path& world_file, const fs::path& dir) {
  const auto world = nlohmann::json::parse(read_text(world_file));
  for (const auto& [name, text] : world.at("files").items()) {
    const fs::path target = name.rfind("~/", 0) == 0 ? home_of(dir) / name.substr(2) : workdir_of(dir) / name;
    write_text(target, text.get<std::string>());
  }
}

}  // namespace

Floor::Floor(const Locations& where, const fs::path& dir) : where_(where), dir_(dir) {
  const fs::path responder = where.bench_bin / "floor-responder";
  if (!fs::exists(responder)) throw std::runtime_error("no floor responder at " + responder.string());
  fs::create_directories(dir_ / "bin");
  for (const char* tool : kFloorTools) fs::create_symlink(responder, dir_ / "bin" / tool);
  reset_home();
}

// A fresh home per run (the spot's ~/backtester etc. are created by the run), as each sandbox is fresh.
void Floor::reset_home() const {
  fs::remove_all(home_of(dir_));
  fs::create_directories(workdir_of(dir_));
  place_fixture_files(where_.default_world(), dir_);
}

Command Floor::command() const {
  Command c;
  c.path = where_.launcher().string();
  c.argv = {c.path, "--preflight-only"};
  // The environment the sandbox gives the launcher (LANG, TZ, USER, the fake keys...), as a runner has it, so
  // both sides run the launcher's programs alike: with LANG=C.UTF-8 every dynamically linked one loads that
  // locale. Not the harness's own plumbing (SPOTCHECK_*), and this floor's PATH and HOME.
  for (const auto& [name, value] :
       harness::launcher_env(harness::RunOptions{}, nlohmann::json::parse(read_text(where_.default_world())))) {
    if (name.rfind("SPOTCHECK_", 0) != 0 && name != "PATH" && name != "HOME") c.env.push_back(name + "=" + value);
  }
  c.env.push_back("PATH=" + (dir_ / "bin").string() + ":/usr/bin:/bin");
  c.env.push_back("HOME=" + home_of(dir_).string());
  c.cwd = workdir_of(dir_).string();
  c.stderr_path = (dir_ / "floor.err").string();
  c.own_process_group = true;
  return c;
}

}  // namespace spotcheck::bench
