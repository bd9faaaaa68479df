// spotcheck.json: loading, validation, and the conventional layout of a tree without one.
#include "spotcheck/project.hpp"

#include <glob.h>

#include <algorithm>

#include "spotcheck/error.hpp"
#include "spotcheck/json_cursor.hpp"
#include "spotcheck/scenario.hpp"

namespace spotcheck::harness {
namespace {

namespace fs = std::filesystem;

fs::path start_dir(const fs::path& start) {
  const fs::path absolute = fs::absolute(start).lexically_normal();
  std::error_code ec;
  return fs::is_directory(absolute, ec) ? absolute : absolute.parent_path();
}

// Each string of the array at `c`, resolved against `root`, must exist (a missing one is named with
// what it was relative to: the commonest mistake is a path written relative to the scenario directory).
std::vector<fs::path> existing_paths(const JsonCursor& c, const Project& p, bool directories) {
  std::vector<fs::path> out;
  for (const auto& item : c.elements()) {
    const fs::path path = (p.root / item.non_empty_string()).lexically_normal();
    std::error_code ec;
    if (!fs::exists(path, ec))
      item.fail("no such " + std::string(directories ? "directory" : "file") + ": " + path.string() + " (" +
                p.relative_to() + ")");
    if (directories && !fs::is_directory(path, ec)) item.fail("expected a directory: " + path.string());
    out.push_back(path);
  }
  return out;
}

std::vector<fs::path> glob_paths(const std::string& pattern) {
  std::vector<fs::path> out;
  glob_t g{};
  if (::glob(pattern.c_str(), 0, nullptr, &g) == 0) {
    for (std::size_t i = 0; i < g.gl_pathc; ++i) out.emplace_back(g.gl_pathv[i]);
  }
  ::globfree(&g);
  return out;
}

bool under(const fs::path& file, const fs::path& dir) {
  const auto rel = file.lexically_normal().lexically_relative(dir.lexically_normal());
  return !rel.empty() && *rel.begin() != "..";
}

}  // namespace

std::vector<fs::path> Project::contract_launchers() const {
  std::vector<fs::path> out;
  for (const auto& pattern : launchers) {
    const auto found = glob_paths((root / pattern).string());
    if (found.empty() && !file.empty())
      throw bad_input(file.string(), "/launchers: \"" + pattern + "\" matches no file (" + relative_to() + ")");
    out.insert(out.end(), found.begin(), found.end());
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string Project::relative_to() const {
  if (file.empty()) return "relative to " + root.string() + " (no " + kProjectFileName + " found above it)";
  return "relative to " + root.string() + ", where " + kProjectFileName + " is";
}

bool Project::is_data_file(const fs::path& f) const {
  const fs::path normal = fs::absolute(f).lexically_normal();
  if (normal == file) return true;
  if (std::find(worlds.begin(), worlds.end(), normal) != worlds.end()) return true;
  return std::any_of(catalogs.begin(), catalogs.end(), [&](const fs::path& dir) { return under(normal, dir); });
}

std::optional<fs::path> find_project_file(const fs::path& start) {
  for (fs::path dir = start_dir(start);; dir = dir.parent_path()) {
    std::error_code ec;
    if (fs::is_regular_file(dir / kProjectFileName, ec)) return dir / kProjectFileName;
    if (dir == dir.root_path() || dir.empty()) return std::nullopt;
  }
}

Project load_project(const fs::path& file) {
  const fs::path absolute = fs::absolute(file).lexically_normal();
  const nlohmann::json doc = read_json_file(absolute.string());
  const JsonCursor c(doc, absolute.string());
  c.require_object(
      {"$schema", "v", "description", "launchers", "scenarios", "worlds", "catalogs", "impl", "invariants"});
  if (c.has("v") && c.at("v").integer() != 1) c.at("v").fail("expected project file version 1");
  Project p;
  p.file = absolute;
  p.root = absolute.parent_path();
  if (c.has("launchers")) {
    p.launchers = c.at("launchers").strings();
    for (const auto& item : c.at("launchers").elements())
      if (fs::path(item.non_empty_string()).is_absolute()) item.fail("expected a path relative to the project file");
  }
  if (c.has("scenarios")) p.scenarios = existing_paths(c.at("scenarios"), p, false);
  if (c.has("worlds")) p.worlds = existing_paths(c.at("worlds"), p, false);
  if (c.has("catalogs")) p.catalogs = existing_paths(c.at("catalogs"), p, true);
  if (c.has("impl")) p.impl = c.at("impl").one_of({"bash", "native", "both"});
  if (c.has("invariants")) {
    parse_invariants(doc["invariants"], absolute.string(), "/invariants");  // validated here, read by explore
    p.invariants = doc["invariants"];
  }
  p.contract_launchers();  // every glob matches something, or the file says which one does not
  return p;
}

Project project_for(const fs::path& start) {
  if (const auto file = find_project_file(start)) return load_project(*file);
  Project p;
  const fs::path from = start_dir(start);
  p.root = from;
  std::error_code ec;
  for (fs::path dir = from; !dir.empty(); dir = dir.parent_path()) {
    if (fs::is_directory(dir / "launchers", ec)) {
      p.root = dir;
      break;
    }
    if (dir == dir.root_path()) break;
  }
  if (fs::is_directory(p.root / "launchers", ec)) p.launchers = {"launchers/spot_*.sh"};
  if (fs::is_directory(p.root / "scenarios", ec)) p.scenarios = {p.root / "scenarios"};
  if (fs::is_regular_file(p.root / "scenarios" / "worlds" / "default.json", ec))
    p.worlds = {p.root / "scenarios" / "worlds" / "default.json"};
  if (fs::is_directory(p.root / "scenarios" / "workloads", ec)) p.catalogs = {p.root / "scenarios" / "workloads"};
  return p;
}

}  // namespace spotcheck::harness
