// The run directory: world.json, seeded state, dispatcher fixtures, rules and shim links.
#include "run_dir.hpp"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <system_error>

#include "spotcheck/catalog.hpp"
#include "spotcheck/error.hpp"
#include "spotcheck/fakes/context.hpp"
#include "spotcheck/fakes/rules.hpp"
#include "spotcheck/fakes/shim.hpp"
#include "spotcheck/fakes/world/seed.hpp"
#include "spotcheck/install_layout.hpp"
#include "spotcheck/json_cursor.hpp"
#include "spotcheck/runner.hpp"

namespace spotcheck::harness {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void cant_write(const fs::path& p, int err) {
  throw harness_error(p.string(), "can't write the run file: " + errno_message(err));
}

// Whole or not at all: a short write (a full filesystem) removes the file and names the reason.
void write_text(const fs::path& p, const std::string& text) {
  std::error_code ec;
  fs::create_directories(p.parent_path(), ec);
  if (ec) throw harness_error(p.parent_path().string(), "can't prepare the run directory: " + ec.message());
  const int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) cant_write(p, errno);
  for (std::size_t done = 0; done < text.size();) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = n < 0 ? errno : ENOSPC;
      ::close(fd);
      fs::remove(p, ec);
      cant_write(p, err);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) cant_write(p, errno);
}

// "~/x" lands in the dispatcher's HOME, anything relative in its working directory (merge_world
// validated the paths and texts).
void place_files(const fs::path& home, const std::map<std::string, std::string>& files) {
  for (const auto& [name, text] : files) {
    const fs::path dest = name.rfind("~/", 0) == 0 ? home / name.substr(2) : home / "work" / name;
    write_text(dest, text);
    if (name.find(".ssh/") != std::string::npos) fs::permissions(dest, fs::perms::owner_read | fs::perms::owner_write);
  }
}

// The run's catalog, one directory the fake reads: every catalog's files (validated before), numbered so equal
// names in two catalogs coexist.
void place_catalogs(const fs::path& into, const std::vector<fs::path>& dirs) {
  for (std::size_t i = 0; i < dirs.size(); ++i) {
    for (const auto& entry : fs::directory_iterator(dirs[i])) {
      if (entry.path().extension() != ".json" || entry.is_directory()) continue;
      fs::copy_file(entry.path(), into / (std::to_string(i) + "-" + entry.path().filename().string()));
    }
  }
}

}  // namespace

fs::path run_dir_base(const char* tmpdir, const fs::path& shm) {
  if (tmpdir && *tmpdir) return tmpdir;
  constexpr unsigned long long kRoomNeeded = 256ULL << 20;  // a small /dev/shm (containers: 64 MiB) is passed over
  struct statfs info {};
  if (::statfs(shm.c_str(), &info) == 0 && info.f_type == TMPFS_MAGIC && ::access(shm.c_str(), W_OK | X_OK) == 0 &&
      static_cast<unsigned long long>(info.f_bavail) * static_cast<unsigned long long>(info.f_bsize) >= kRoomNeeded)
    return shm;
  std::error_code ec;
  fs::path tmp = fs::temp_directory_path(ec);
  return ec ? fs::path("/tmp") : tmp;
}

std::vector<std::string> shim_tool_names() {
  std::vector<std::string> names;
  for (const auto& entry : fakes::shim_table()) names.emplace_back(entry.name);
  return names;
}

RunDir::RunDir() {
  const fs::path tmp = run_dir_base(std::getenv("TMPDIR"));
  std::string tmpl = (tmp / "spotcheck-run-XXXXXX").string();
  if (::mkdtemp(tmpl.data()) == nullptr)
    throw harness_error(tmp.string(),
                        "can't create the run directory: " + errno_message() + " (TMPDIR names where runs are made)");
  path_ = tmpl;
}

RunDir::~RunDir() {
  if (keep_) return;
  std::error_code ec;
  fs::remove_all(path_, ec);
}

// `step`'s result; a filesystem error in it becomes a harness error naming the file (else the run directory).
template <class Step>
auto RunDir::naming_fs_errors(Step&& step) -> decltype(step()) {
  try {
    return step();
  } catch (const fs::filesystem_error& e) {
    throw harness_error(e.path1().empty() ? path_.string() : e.path1().string(),
                        "can't prepare the run directory: " + e.code().message());
  }
}

const nlohmann::json& RunDir::prepare_mounts(const RunOptions& options) {
  return naming_fs_errors([&]() -> const nlohmann::json& { return validate_and_make_mounts(options); });
}

void RunDir::populate(const RunOptions& options) {
  naming_fs_errors([&] { write_contents(options); });
}

const nlohmann::json& RunDir::validate_and_make_mounts(const RunOptions& options) {
  const std::string builtin = builtin_world_path().string();
  std::vector<WorldLayer> layers = {{read_json_file(builtin), builtin, ""}};
  for (auto& layer : world_layers(options.world_files, options.world_layers)) layers.push_back(std::move(layer));
  world_ = merge_world(layers);  // bad input: exit 2 before running, named where it was written
  files_ = parse_world_config(JsonCursor(world_, "world")).files;
  load_catalog(options.catalog_dirs);  // a bad one is named in the user's tree (not as its copy)
  if (options.rules_file)
    fakes::parse_rules(read_json_file(options.rules_file->string()), options.rules_file->string());
  if (options.rules) fakes::parse_rules(*options.rules, options.rules_source, options.rules_pointer);
  for (const auto* dir : {"state", "bin", "shims", "host-shims", "hosts", "home/work", "catalog"})
    fs::create_directories(path_ / dir);
  write_text(path_ / "bin" / "spotcheck-fake", "");  // mount points for the fake and the call client
  write_text(path_ / "bin" / "spotcheck-call", "");
  return world_;
}

void RunDir::write_contents(const RunOptions& options) {
  place_catalogs(path_ / "catalog", options.catalog_dirs);
  write_text(path_ / "world.json", world_.dump(2) + "\n");
  write_text(path_ / "recording.jsonl", "");
  place_files(path_ / "home", files_);
  if (options.rules_file)
    fs::copy_file(*options.rules_file, path_ / "rules.json", fs::copy_options::overwrite_existing);
  if (options.rules) write_text(path_ / "rules.json", options.rules->dump(2) + "\n");
  // A dispatcher's call hands itself to the run's call server, unless it starts processes of its own (ssh, sudo...);
  // a spot host's runs the fake (host-shims/, bound over shims/ there).
  for (const auto& shim : fakes::shim_table()) {
    const std::string tool(shim.name);
    fs::create_symlink(shim.starts_processes ? "../bin/spotcheck-fake" : "../bin/spotcheck-call",
                       path_ / "shims" / tool);
    fs::create_symlink("../bin/spotcheck-fake", path_ / "host-shims" / tool);
  }
  fakes::world::seed_world(fakes::RunPaths{path_});
}

}  // namespace spotcheck::harness
