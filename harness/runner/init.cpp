// spotcheck init: run the launcher, grow a world skeleton until the runs stop asking for more, then write
// the project file, world, catalog skeleton, scenarios and goldens, and check them.
#include "spotcheck/init.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <set>

#include "spotcheck/catalog.hpp"
#include "spotcheck/check.hpp"
#include "spotcheck/error.hpp"
#include "spotcheck/file_io.hpp"
#include "spotcheck/json_cursor.hpp"
#include "spotcheck/project.hpp"
#include "spotcheck/result.hpp"
#include "spotcheck/runner.hpp"
#include "spotcheck/scenario.hpp"
#include "spotcheck/timeline.hpp"
#include "spotcheck/world_skeleton.hpp"

namespace spotcheck::harness {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct Mode {
  std::string name;               // "preflight" or "full"
  std::vector<std::string> args;  // the launcher's arguments
  RunResult last;                 // its last run
};

// A python entrypoint invocation a run made: the script's basename, its arguments, and the arguments
// naming files it must have written (a later call found them missing).
struct Invocation {
  std::string script;
  std::vector<std::string> args;
  std::vector<std::string> output_args;
  bool operator==(const Invocation& o) const { return script == o.script && args == o.args; }
};

std::vector<Invocation> python_invocations(const std::vector<Record>& records) {
  std::vector<Invocation> out;
  for (const auto& r : records) {
    if (!is_python_tool(r.tool)) continue;
    const PythonCommand c = parse_python_command(r.argv);
    if (c.kind != PythonCommand::Kind::Script) continue;
    Invocation inv{fs::path(c.target).filename().string(), c.args, {}};
    if (std::find(out.begin(), out.end(), inv) == out.end()) out.push_back(inv);
  }
  return out;
}

// Adds the invocations a run made to `seen`, and the outputs it reveals: an argument whose value a later
// call (or the launcher) said is missing names a file the program writes. Returns whether `seen` grew.
bool learn_invocations(std::vector<Invocation>& seen, const RunResult& run) {
  bool grew = false;
  for (const auto& inv : python_invocations(run.records)) {
    if (std::find(seen.begin(), seen.end(), inv) == seen.end()) {
      seen.push_back(inv);
      grew = true;
    }
  }
  std::vector<std::string> missing = paths_said_missing(run.launcher_stderr);
  for (const auto& r : run.records) {
    const auto more = paths_said_missing(r.stderr_text);
    missing.insert(missing.end(), more.begin(), more.end());
  }
  for (auto& inv : seen) {
    for (std::size_t i = 0; i + 1 < inv.args.size(); ++i) {
      const std::string& flag = inv.args[i];
      if (flag.rfind("-", 0) != 0 || std::find(missing.begin(), missing.end(), inv.args[i + 1]) == missing.end() ||
          std::find(inv.output_args.begin(), inv.output_args.end(), flag) != inv.output_args.end())
        continue;
      inv.output_args.push_back(flag);
      grew = true;
    }
  }
  return grew;
}

RunResult run_once(const InitOptions& o, const fs::path& launcher, const std::vector<std::string>& args,
                   const json& world, const fs::path& world_file, const std::vector<fs::path>& catalogs) {
  RunOptions r;
  r.launcher = launcher;
  r.args = args;
  r.env = o.env;
  r.world_layers = {{world, world_file.string(), ""}};
  r.catalog_dirs = catalogs;
  r.stdout_fd = r.stderr_fd = -1;
  r.timeout_seconds = 300;
  RunResult result = run_launcher(r);
  std::error_code ec;
  fs::remove_all(result.run_dir, ec);
  return result;
}

json merged_world(const json& world, const fs::path& world_file) {
  std::vector<WorldLayer> layers = base_world_layers(Project{});
  layers.push_back({world, world_file.string(), ""});
  return merge_world(layers);
}

// Writes `text` to `file` unless it exists (and `force` is off); says which it did.
bool write_new(const fs::path& file, const std::string& text, bool force, std::ostream& out, const fs::path& root) {
  const std::string shown = file.lexically_relative(root).string();
  std::error_code ec;
  if (fs::exists(file, ec) && !force) {
    out << "  kept    " << shown << " (it exists; --force rewrites it)\n";
    return false;
  }
  fs::create_directories(file.parent_path());
  if (!write_file_bytes(file, text)) throw harness_error(file.string(), "can't write: " + errno_message());
  out << "  wrote   " << shown << "\n";
  return true;
}

std::string module_name(const fs::path& launcher) {
  std::string stem = launcher.stem().string();
  if (stem.rfind("spot_", 0) == 0) stem = stem.substr(5);
  return stem.empty() ? "launcher" : stem;
}

json catalog_skeleton(const std::string& module, const fs::path& launcher, const Mode* preflight,
                      const std::vector<Invocation>& seen, const std::optional<std::vector<std::string>>& flags) {
  json entrypoints = json::array();
  std::map<std::string, json> by_script;
  std::vector<std::string> order;
  for (const auto& inv : seen) {
    const auto& [script, args, output_args] = inv;
    if (!by_script.count(script)) order.push_back(script);
    json entry = {
        {"args_contain", args},
        {"effects", json::array()},
        {"todo", "describe what `" + script + (args.empty() ? "" : " ") + fmt::format("{}", fmt::join(args, " ")) +
                     "` stands for: its effects (s3.read, s3.write, metric.write, ...), its stdout and "
                     "exit; then remove this todo"}};
    for (const auto& arg : output_args)
      entry["outputs"].push_back({{"arg", arg}, {"text", "{\"spotcheck\": \"init placeholder\"}\n"}});
    by_script[script].push_back(entry);
  }
  for (const auto& script : order) entrypoints.push_back({{"script", script}, {"invocations", by_script[script]}});
  json catalog = {{"module", module},
                  {"description", "What each python entrypoint " + launcher.filename().string() +
                                      " runs stands for (written by spotcheck init; first match wins)."},
                  {"entrypoints", entrypoints}};
  if (preflight && flags) {
    const auto first = python_invocations(preflight->last.records);
    if (!first.empty()) {
      catalog["launcher"] = launcher.filename().string();
      catalog["preflight"] = {
          {"script", first.front().script}, {"args_contain", first.front().args}, {"flags", *flags}};
    }
  }
  return catalog;
}

json scenario_for(const Mode& mode, const std::string& launcher, const std::map<std::string, std::string>& env) {
  json expect = {{"exit", 0}, {"all_instances_terminated", true}};
  const auto counts = effect_counts(mode.last.records);
  json effects = json::object();
  std::string staged;
  if (mode.name == "preflight") {
    for (const auto& w : kWriteEffects) effects[w] = 0;
    expect["world_unchanged"] = true;
    // A launcher that stages copies through S3 (SSM transports do) writes and removes them again: then
    // "writes nothing" is the World unchanged, as in the module contract's variants, not zero s3.write calls.
    const bool s3_left = std::any_of(mode.last.world_changes.begin(), mode.last.world_changes.end(),
                                     [](const WorldChange& c) { return c.kind.rfind("s3.", 0) == 0; });
    const auto writes = counts.find("s3.write");
    if (writes != counts.end() && writes->second > 0 && !s3_left) {
      effects.erase("s3.write");
      staged = fmt::format(
          " It stages through S3 ({} s3.write calls whose objects it removes again), so "
          "\"writes nothing\" is world_unchanged here, not zero s3.write calls.",
          writes->second);
    }
  } else {
    for (const auto& w : kWriteEffects) {
      const auto it = counts.find(w);
      if (it != counts.end() && it->second > 0) effects[w] = {{"at_least", 1}};
    }
  }
  if (counts.count("ec2.launch")) expect["cleanup_last"] = true;
  if (!effects.empty()) expect["effects"] = effects;
  json s = {{"v", 1},
            {"name", mode.name == "preflight" ? "the preflight run (" + fmt::format("{}", fmt::join(mode.args, " ")) +
                                                    ") writes nothing and leaves the World unchanged"
                                              : "the full run shows the writes it makes"},
            {"launcher", launcher},
            {"description",
             "written by spotcheck init from what the launcher did; edit the expectations to "
             "state what must hold"},
            {"expect", expect}};
  if (!mode.args.empty()) s["args"] = mode.args;
  if (!env.empty()) s["env"] = env;
  return s;
}

}  // namespace

int run_init(const InitOptions& o, std::ostream& out) {
  const fs::path root = fs::absolute(o.root).lexically_normal();
  const fs::path launcher = (o.launcher.is_absolute() ? o.launcher : root / o.launcher).lexically_normal();
  std::error_code ec;
  if (!fs::is_regular_file(launcher, ec))
    throw bad_input("--launcher " + o.launcher.string(),
                    "no such file: " + launcher.string() + " (relative to " + root.string() + ")");
  const std::string launcher_rel = launcher.lexically_relative(root).string();
  const fs::path dir = root / o.dir;
  const fs::path world_file = dir / "world.json";
  const fs::path project_file = root / kProjectFileName;
  if (fs::exists(project_file, ec) && !o.force) load_project(project_file);  // a bad one is named before any run

  // The world: the user's, when there is one, grown by what the runs ask for.
  json world = fs::exists(world_file, ec) ? read_json_file(world_file.string()) : json::object();
  const bool world_is_users = fs::exists(world_file, ec) && !o.force;
  std::vector<Mode> modes;
  if (o.mode_flag) {
    std::vector<std::string> preflight = o.args;
    preflight.push_back(*o.mode_flag);
    modes.push_back({"preflight", preflight, {}});
  }
  modes.push_back({"full", o.args, {}});
  std::vector<std::string> added;
  out << "spotcheck init: running " << launcher_rel << " hermetically";
  // The catalog skeleton the runs use as it grows (outputs a later step reads), in a scratch directory.
  const std::string module = module_name(launcher);
  const fs::path catalog_file = dir / "workloads" / (module + ".json");
  std::vector<Invocation> seen;
  const fs::path scratch = fs::temp_directory_path() / ("spotcheck-init-" + std::to_string(::getpid()));
  fs::create_directories(scratch);
  struct RemoveScratch {
    fs::path dir;
    ~RemoveScratch() {
      std::error_code e;
      fs::remove_all(dir, e);
    }
  } remove_scratch{scratch};
  const auto catalogs = [&]() -> std::vector<fs::path> {
    if (seen.empty()) return {};
    const json c = catalog_skeleton(module, launcher, nullptr, seen, std::nullopt);
    if (!write_file_bytes(scratch / (module + ".json"), c.dump(2)))
      throw harness_error(scratch.string(), "can't write: " + errno_message());
    return {scratch};
  };
  bool grew = true;
  for (int round = 1; round <= o.max_rounds && grew; ++round) {
    grew = false;
    for (auto& mode : modes) {
      mode.last = run_once(o, launcher, mode.args, world, world_file, catalogs());
      const auto more =
          extend_world(world, merged_world(world, world_file), mode.last.records, mode.last.launcher_stderr);
      added.insert(added.end(), more.begin(), more.end());
      const bool learned = learn_invocations(seen, mode.last);
      grew = grew || !more.empty() || learned;
    }
    out << " ." << std::flush;
  }
  if (grew) {  // out of rounds: the scenarios describe runs against the world as written
    for (auto& mode : modes) mode.last = run_once(o, launcher, mode.args, world, world_file, catalogs());
    out << " (stopped after " << o.max_rounds << " rounds: the runs still asked for more)";
  }
  out << "\n";
  for (const auto& mode : modes)
    out << fmt::format("  {} run ({}): exit {}, {} calls\n", mode.name,
                       mode.args.empty() ? std::string("no flags") : fmt::format("{}", fmt::join(mode.args, " ")),
                       mode.last.exit, mode.last.records.size());

  // The files.
  const json catalog =
      catalog_skeleton(module, launcher, o.mode_flag ? &modes.front() : nullptr, seen,
                       o.mode_flag ? std::optional<std::vector<std::string>>(modes.front().args) : std::nullopt);
  const std::string rel_dir = o.dir.string();
  json project = {{"$schema", "https://spotcheck.invalid/schema/project.schema.json"},
                  {"v", 1},
                  {"description",
                   "spotcheck's view of this repository (written by spotcheck init); every path is "
                   "relative to this file's directory"},
                  {"scenarios", {rel_dir + "/scenarios"}},
                  {"worlds", {rel_dir + "/world.json"}},
                  {"catalogs", json::array()}};
  if (!seen.empty()) project["catalogs"].push_back(rel_dir + "/workloads");
  if (catalog.contains("launcher")) project["launchers"] = {launcher_rel};
  out << "\n";
  if (world_is_users && !added.empty())
    out << "  note    " << world_file.lexically_relative(root).string()
        << " is yours: add what the runs asked for yourself (listed below), or --force\n";
  write_new(world_file, world.dump(2) + "\n", o.force, out, root);
  if (!seen.empty()) write_new(catalog_file, catalog.dump(2) + "\n", o.force, out, root);
  std::vector<fs::path> scenario_files;
  for (const auto& mode : modes) {
    const fs::path file = dir / "scenarios" / (mode.name + ".json");
    write_new(file, scenario_for(mode, launcher_rel, o.env).dump(2) + "\n", o.force, out, root);
    scenario_files.push_back(file);
  }
  write_new(project_file, project.dump(2) + "\n", o.force, out, root);

  // Goldens for scenarios that have none, then the check.
  CheckOptions write_goldens;
  write_goldens.impls = std::vector<Impl>{Impl::Bash};
  write_goldens.update_goldens = true;
  std::vector<fs::path> without_golden;
  for (const auto& f : scenario_files) {
    fs::path g = f;
    if (!fs::exists(g.replace_extension(".expected.jsonl"), ec) || o.force) without_golden.push_back(f);
  }
  if (!without_golden.empty()) run_check(without_golden, write_goldens, {});
  CheckOptions check;
  check.impls = std::vector<Impl>{Impl::Bash};
  auto console = console_reporter(out);
  out << "\nspotcheck check " << rel_dir << "/scenarios\n";
  const auto results = run_check(scenario_files, check, {console.get()});
  const bool passed = std::none_of(results.begin(), results.end(), [](const ScenarioResult& r) {
    return is_failure(r.status) || r.status == Status::Unresolved || r.status == Status::Unsupported;
  });

  out << "\nWhat to fill in:\n";
  if (added.empty() && seen.empty()) out << "  nothing: the world held everything the runs asked for\n";
  for (const auto& a : added) out << "  " << world_file.lexically_relative(root).string() << ": " << a << "\n";
  for (const auto& inv : seen) {
    out << "  " << catalog_file.lexically_relative(root).string() << ": what `" << inv.script
        << (inv.args.empty() ? "" : " ") << fmt::format("{}", fmt::join(inv.args, " ")) << "` stands for (\"todo\")";
    if (!inv.output_args.empty())
      out << "; it writes the file its " << fmt::format("{}", fmt::join(inv.output_args, ", "))
          << " names (a placeholder for now)";
    out << "\n";
  }
  if (!catalog.contains("launcher"))
    out << "  the module contract: give --mode-flag, or add \"launcher\" and \"preflight\" to the catalog and "
           "the launcher to spotcheck.json's \"launchers\"\n";
  return passed ? 0 : 1;
}

}  // namespace spotcheck::harness
