// spotcheck CLI: argument parsing with CLI11; errors are typed below and printed once here (STYLE.md 7).
#include "spotcheck/cli.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "man_page.hpp"
#include "spotcheck/check.hpp"
#include "spotcheck/differ.hpp"
#include "spotcheck/error.hpp"
#include "spotcheck/explore.hpp"
#include "spotcheck/file_io.hpp"
#include "spotcheck/init.hpp"
#include "spotcheck/install_layout.hpp"
#include "spotcheck/json_cursor.hpp"
#include "spotcheck/report_html.hpp"
#include "spotcheck/runner.hpp"
#include "spotcheck/text.hpp"
#include "spotcheck/timeline.hpp"

namespace spotcheck::harness {
namespace {

namespace fs = std::filesystem;

struct RunArgs {
  RunOptions options;
  std::vector<std::string> command;
  std::vector<std::string> env;
  std::string record;
  std::string world;
  std::string rules;
  std::string project;
  std::vector<std::string> catalogs;
  bool json = false;
};

// --project FILE, else the spotcheck.json found above the working directory (or its conventional layout).
Project project_of(const std::string& file) {
  return file.empty() ? project_for(fs::current_path()) : load_project(file);
}

int fail(const std::string& message) {
  std::cerr << "spotcheck: error: " << message << "\n";
  return 2;
}

// NAME=VALUE words of a repeatable `option` (--env, --native-env) into `into`.
void add_env(const std::vector<std::string>& assignments, const std::string& option,
             std::map<std::string, std::string>& into) {
  for (const auto& kv : assignments) {
    const auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) throw bad_input(option + " " + kv, "expected NAME=VALUE");
    into[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
}

nlohmann::json run_json(const RunResult& r) {
  nlohmann::json records = nlohmann::json::array();
  for (const auto& rec : r.records) records.push_back(to_json(rec));
  return {{"exit", r.exit},
          {"timed_out", r.timed_out},
          {"run_dir", r.kept ? r.run_dir.string() : ""},
          {"effects", effect_counts(r.records)},
          {"world_changes", world_changes_json(r.world_changes)},
          {"records", records}};
}

void print_run_report(const RunResult& r, const RunArgs& a) {
  std::cout << "\n── spotcheck timeline: " << r.records.size() << " calls ──\n"
            << render_timeline(r.records) << "\n"
            << render_effect_counts(r.records) << "\n"
            << render_world_changes(r.world_changes) << "\n";
  std::cout << "spotcheck: launcher " << a.command[0] << (r.timed_out ? " timed out" : " exited ")
            << (r.timed_out ? "" : std::to_string(r.exit));
  if (!a.record.empty()) std::cout << "; recording: " << a.record;
  if (r.kept) std::cout << "; sandbox kept in " << r.run_dir.string();
  std::cout << "\n";
}

int do_run(RunArgs& a) {
  if (a.command.empty()) return fail("run: expected a launcher after `--` (spotcheck run -- LAUNCHER [ARGS...])");
  add_env(a.env, "--env", a.options.env);
  a.options.launcher = a.command[0];
  a.options.args.assign(a.command.begin() + 1, a.command.end());
  const Project project = project_of(a.project);
  a.options.world_files = project.worlds;
  if (!a.world.empty()) a.options.world_files.push_back(a.world);
  a.options.catalog_dirs = project.catalogs;
  if (!a.catalogs.empty()) a.options.catalog_dirs.assign(a.catalogs.begin(), a.catalogs.end());
  if (!a.rules.empty()) a.options.rules_file = a.rules;
  if (a.json) a.options.stdout_fd = 2;  // stdout carries the JSON report
  const bool keep_requested = a.options.keep;
  a.options.keep = true;  // kept until the recording is copied out
  RunResult r = run_launcher(a.options);
  if (a.options.dry_run) {
    std::cout << r.plan;
    fs::remove_all(r.run_dir);
    return 0;
  }
  if (!a.record.empty()) {
    fs::copy_file(r.run_dir / "recording.jsonl", a.record, fs::copy_options::overwrite_existing);
    fs::copy_file(world_changes_file(r.run_dir / "recording.jsonl"), world_changes_file(a.record),
                  fs::copy_options::overwrite_existing);
  }
  if (!keep_requested) {
    fs::remove_all(r.run_dir);
    r.kept = false;
  }
  if (a.json)
    std::cout << run_json(r).dump(2) << "\n";
  else
    print_run_report(r, a);
  return r.exit;
}

int do_show(const std::string& file, bool json, const std::string& html) {
  const auto records = read_recording(file);
  if (json) {
    for (const auto& r : records) std::cout << to_json(r).dump() << "\n";
    return 0;
  }
  // The run's World changes, when the recording has them beside it (run --record, a kept sandbox).
  std::optional<std::vector<WorldChange>> changes;
  if (const fs::path changes_file = world_changes_file(file); fs::exists(changes_file))
    changes = world_changes_from_json(read_json_file(changes_file.string()), changes_file.string());
  if (!html.empty()) {
    const std::string page =
        html_page("spotcheck: " + file, render_recording_html(records, changes.value_or(std::vector<WorldChange>{}),
                                                              fmt::format("{} ({} calls)", file, records.size())));
    if (!write_file_bytes(html, page)) throw harness_error(html, "can't write: " + errno_message());
    std::cout << "wrote " << html << "\n";
    return 0;
  }
  std::cout << render_timeline(records) << "\n" << render_effect_counts(records);
  if (changes) std::cout << "\n" << render_world_changes(*changes);
  return 0;
}

// `spotcheck diff A B`: exit 0 equivalent, 1 not, 2 bad input (the caller's handler prints it).
int do_diff(const std::string& a, const std::string& b, bool quiet) {
  const auto result = diff_leaf_calls(read_leaf_calls(a), read_leaf_calls(b), DiffLabels{a, b});
  if (!quiet || !result.equivalent) std::cout << result.report;
  return result.equivalent ? 0 : 1;
}

void add_run_command(CLI::App& app, RunArgs& a, std::function<int()>& action) {
  auto* run = app.add_subcommand("run", "Run one launcher in a fresh hermetic sandbox and show what it did");
  run->add_option("--record", a.record, "Write the recording (JSON lines) to FILE");
  run->add_option("--world", a.world, "World description merged over the project's worlds (and the built-in one)")
      ->check(CLI::ExistingFile);
  run->add_option("--project", a.project,
                  "The project file (default: the spotcheck.json found above the working directory)")
      ->check(CLI::ExistingFile);
  run->add_option("--catalog", a.catalogs,
                  "A workload catalog directory, instead of the project's catalogs; repeatable")
      ->check(CLI::ExistingDirectory)
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  run->add_option("--rules", a.rules, "Behaviour rules for the fakes")->check(CLI::ExistingFile);
  run->add_option("--env", a.env, "NAME=VALUE for the launcher's environment (recorded); repeatable")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  run->add_option("--timeout", a.options.timeout_seconds, "Real-time limit in seconds (default 300)");
  run->add_flag("--keep", a.options.keep, "Keep the sandbox's run directory and print its path");
  run->add_flag("--strict", a.options.strict, "Fail calls no rule or default covers");
  run->add_flag("--json", a.json, "Print the result as JSON on stdout (launcher output goes to stderr)");
  run->add_flag("--dry-run", a.options.dry_run, "Print the sandbox plan instead of running");
  run->add_option("command", a.command, "-- LAUNCHER [ARGS...]")->expected(-1);
  run->callback([&] { action = [&] { return do_run(a); }; });
}

struct CheckArgs {
  CheckOptions options;
  std::string impl;  // empty: per scenario (check.hpp impls_for)
  bool list = false;
  std::string project;
  std::string native;
  std::vector<std::string> native_env;
  std::vector<std::string> paths;
  std::string junit;
  std::string json;
};

int do_check(CheckArgs& a) {
  std::vector<fs::path> paths(a.paths.begin(), a.paths.end());
  if (paths.empty()) {  // the project's scenarios (and, with --contract, its launchers)
    const Project project = project_of(a.project);
    paths = project.scenarios;
    if (paths.empty() && !(a.options.contract && !project.launchers.empty()))
      return fail((project.file.empty() ? project.root / kProjectFileName : project.file).string() +
                  ": no scenarios to check: name scenario files or directories, or list them in its \"scenarios\"");
    if (paths.empty()) paths.push_back(project.root);
  }
  if (a.list) {
    for (const auto& p : paths) {
      if (!fs::exists(p)) return fail(p.string() + ": can't list scenarios: no such file or directory");
    }
    for (const auto& f : check_scenario_files(paths)) std::cout << f.string() << "\n";
    return 0;
  }
  if (a.impl == "bash")
    a.options.impls = {{Impl::Bash}};
  else if (a.impl == "native")
    a.options.impls = {{Impl::Native}};
  else if (a.impl == "both")
    a.options.impls = {{Impl::Bash, Impl::Native}};
  if (!a.native.empty()) a.options.native_launcher = fs::absolute(a.native);
  add_env(a.native_env, "--native-env", a.options.native_env);
  const bool native_runs = a.impl == "native" || a.impl == "both";
  const fs::path native = a.options.native_launcher.value_or(default_native_launcher());
  if (native_runs && !fs::exists(native))
    return fail(native.string() +
                ": can't run the native launcher: no such file (build target spot-launch, or --impl bash)");
  for (const auto& p : paths) {
    if (!fs::exists(p)) return fail(p.string() + ": can't check scenarios: no such file or directory");
  }
  std::vector<std::unique_ptr<Reporter>> owned;
  owned.push_back(console_reporter(std::cout));
  if (!a.json.empty()) owned.push_back(json_reporter(a.json));
  if (!a.junit.empty()) owned.push_back(junit_reporter(a.junit));
  std::vector<Reporter*> reporters;
  for (auto& r : owned) reporters.push_back(r.get());
  const auto results = run_check(paths, a.options, reporters);
  owned.clear();  // reports written and closed
  if (results.empty()) return fail("no scenario files found under the given paths");
  bool unresolved = false, failed = false, abandoned = false;
  for (const auto& r : results) {
    unresolved = unresolved || r.status == Status::Unresolved || r.status == Status::Unsupported;
    failed = failed || is_failure(r.status);
    abandoned = abandoned || r.abandoned;
  }
  const int status = unresolved ? 2 : failed ? 1 : 0;
  if (abandoned) {
    // A thread check gave up on may still be stuck: exit without running static destructors under it.
    std::cout.flush();
    std::cerr.flush();
    std::_Exit(status);
  }
  return status;
}

void add_check_command(CLI::App& app, CheckArgs& a, std::function<int()>& action) {
  auto* check =
      app.add_subcommand("check", "Run scenario files (directories recurse) and report PASS/FAIL per scenario");
  check->add_option("-j,--jobs", a.options.jobs, "Scenarios run in parallel (default 2)")->check(CLI::Range(1, 64));
  check->add_option("--junit", a.junit, "Write a JUnit XML report to FILE");
  check->add_option("--json", a.json, "Write a JSON report to FILE");
  check->add_option("--filter", a.options.filter, "Only scenarios whose name matches the glob");
  check->add_flag("--keep", a.options.keep, "Keep every sandbox (failed ones are always kept)");
  check
      ->add_option("--impl", a.impl,
                   "Launcher implementation: bash, native (spot-launch MODULE) or both (default: the project's "
                   "\"impl\", else both for a scenario that names a \"module\", bash otherwise)")
      ->check(CLI::IsMember({"bash", "native", "both"}));
  check->add_flag("--list", a.list, "Print the scenario files that would run, one per line, and run nothing");
  check->add_flag("--contract", a.options.contract,
                  "Also check the module contract of every launcher the project's \"launchers\" names");
  check
      ->add_option("--project", a.project,
                   "The project whose scenarios to check when no paths are given (default: the spotcheck.json "
                   "found above the working directory)")
      ->check(CLI::ExistingFile);
  check->add_option("--native", a.native, "The native launcher binary (default: spot-launch beside spotcheck)");
  check->add_option("--native-env", a.native_env, "NAME=VALUE added to native runs' environment; repeatable")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  check->add_flag(
      "--update", a.options.update_goldens,
      "Rewrite each scenario's golden (*.expected.jsonl) from its bash run, when that run meets its expectations");
  check->add_option("paths", a.paths, "Scenario files or directories (default: the project's \"scenarios\")");
  check->callback([&] { action = [&] { return do_check(a); }; });
}

void add_init_command(CLI::App& app, InitOptions& o, std::string& launcher, std::string& mode_flag,
                      std::vector<std::string>& env, std::function<int()>& action) {
  auto* init = app.add_subcommand(
      "init",
      "Set up spotcheck in this repository from one of its launchers: run it hermetically, write spotcheck.json, "
      "a world skeleton, a catalog skeleton, one scenario per mode and their goldens, then check them");
  init->add_option("--launcher", launcher, "The launcher, relative to the working directory (the repository root)")
      ->required();
  init->add_option("--mode-flag", mode_flag,
                   "The launcher's preflight/smoke flag (e.g. --preflight-only): a scenario claims that mode "
                   "writes nothing, and the module contract gets it");
  init->add_option("--dir", o.dir, "Where the world, catalog and scenarios go (default: spotcheck)");
  init->add_flag("--force", o.force, "Rewrite files that exist (default: keep them)");
  init->add_option("--arg", o.args, "An argument every run gets, before the mode flag; repeatable")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  init->add_option("--env", env, "NAME=VALUE every run gets (and the scenarios state); repeatable")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  init->callback([&] {
    action = [&] {
      o.root = fs::current_path();
      o.launcher = launcher;
      if (!mode_flag.empty()) o.mode_flag = mode_flag;
      add_env(env, "--env", o.env);
      return run_init(o, std::cout);
    };
  });
}

struct ExploreArgs {
  ExploreOptions options;
  std::vector<std::string> command, env;
  std::string world, rules, project, scenario, kinds, json, junit, html, emit;
};

int do_explore(ExploreArgs& a) {
  ExploreOptions& o = a.options;
  if (!a.scenario.empty()) {  // its launcher, arguments, environment, world and rules
    const Scenario s = load_scenario(a.scenario);
    o.launcher = s.launcher;
    o.args = s.args;
    o.env = s.env;
    o.world_files = s.project.worlds;
    o.catalog_dirs = s.project.catalogs;
    o.world_layers = s.world_layers;
    o.rules = s.fakes;
    o.invariants = parse_invariants(s.project.invariants, s.project.file.string(), "/invariants");
    o.invariants.insert(o.invariants.end(), s.invariants.begin(), s.invariants.end());
  } else {
    if (a.command.empty())
      return fail("explore: expected a launcher after `--` (spotcheck explore -- LAUNCHER [ARGS...]) or --scenario");
    const Project project = project_of(a.project);
    o.launcher = a.command[0];
    o.args.assign(a.command.begin() + 1, a.command.end());
    o.world_files = project.worlds;
    o.catalog_dirs = project.catalogs;
    o.invariants = parse_invariants(project.invariants, project.file.string(), "/invariants");
  }
  if (!a.world.empty()) o.world_files.push_back(a.world);
  if (!a.rules.empty()) o.rules = read_json_file(a.rules);
  add_env(a.env, "--env", o.env);
  for (const auto& k : split(a.kinds, ',')) {
    if (k.empty()) continue;
    if (std::find(kFaultKinds.begin(), kFaultKinds.end(), k) == kFaultKinds.end())
      throw bad_input("--kinds " + a.kinds,
                      "unknown fault kind \"" + k + "\"; expected some of " + join(kFaultKinds, ","));
    o.kinds.push_back(k);
  }
  // A preflight or smoke run is held to "writes nothing" whatever the fault.
  for (const auto& arg : o.args)
    o.preflight = o.preflight || arg.find("preflight") != std::string::npos || arg.find("smoke") != std::string::npos;
  if (!a.json.empty()) o.json_report = a.json;
  if (!a.junit.empty()) o.junit_report = a.junit;
  if (!a.html.empty()) o.html_report = a.html;
  if (!a.emit.empty()) o.emit_scenarios = a.emit;
  return run_explore(o, std::cout, std::cerr);
}

void add_explore_command(CLI::App& app, ExploreArgs& a, std::function<int()>& action) {
  auto* explore = app.add_subcommand(
      "explore",
      "Run the launcher once, then again with one fault injected at each call it made (aws errors and hangs, "
      "the operation's own service errors, dropped ssh/scp, failing or reclaimed spot steps, SIGTERM/SIGINT/SIGHUP on "
      "the dispatcher), holding every run "
      "to the invariants (instances terminated, cleanup last and at most once, a preflight writes nothing, no "
      "heartbeat from a failed run, no silent failure, a failure names its step, the run ends, and the project's or "
      "scenario's own \"invariants\"); the run with no fault is held to them too");
  explore->add_option("-j,--jobs", a.options.jobs, "Fault runs in parallel (default 2)")->check(CLI::Range(1, 64));
  explore->add_option("--kinds", a.kinds, "Only these fault kinds, comma-separated: " + join(kFaultKinds, ","));
  explore->add_option("--points", a.options.points,
                      "Only fault points whose name matches the glob (e.g. '*terminate-instances*'; names as the "
                      "summary prints them: HOST TOOL SHAPE #N)");
  explore->add_option("--scenario", a.scenario, "Start from a scenario's launcher, arguments, world and rules")
      ->check(CLI::ExistingFile);
  explore->add_option("--world", a.world, "World description merged over the project's worlds")
      ->check(CLI::ExistingFile);
  explore->add_option("--rules", a.rules, "Behaviour rules kept under every fault")->check(CLI::ExistingFile);
  explore->add_option("--env", a.env, "NAME=VALUE for the launcher's environment in every run; repeatable")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  explore
      ->add_option("--project", a.project, "The project file (default: the spotcheck.json above the working directory)")
      ->check(CLI::ExistingFile);
  explore->add_flag("--preflight", a.options.preflight,
                    "Hold every run to \"writes nothing\" (implied by an argument naming preflight or smoke)");
  explore->add_option("--timeout", a.options.timeout_seconds, "Real-time limit of a run in seconds (default 120)");
  explore->add_option("--hang-timeout", a.options.hang_seconds,
                      "Real-time limit of a run whose fault is a hang (default 2)");
  explore->add_option("--outage-timeout", a.options.outage_seconds,
                      "Real-time limit of a run whose fault is an outage: a retry loop that never gives up spins "
                      "until it (default 10)");
  explore
      ->add_option("--depth", a.options.depth,
                   "1: one fault per run; 2: also a second fault at each call of the path the first one led to "
                   "(default 1)")
      ->check(CLI::Range(1, 2));
  explore->add_option("--budget", a.options.budget, "At most this many depth-2 runs (default 200)");
  explore->add_option("--json", a.json, "Write a JSON report to FILE");
  explore->add_option("--junit", a.junit, "Write a JUnit XML report to FILE (a test case per fault run)");
  explore->add_option("--html", a.html,
                      "Write a self-contained HTML report to FILE (the table, each violation with its timeline)");
  explore->add_option("--emit-scenarios", a.emit, "Write a scenario reproducing each violation into DIR");
  explore->add_option("command", a.command, "-- LAUNCHER [ARGS...]")->expected(-1);
  explore->callback([&] { action = [&] { return do_explore(a); }; });
}

}  // namespace

int spotcheck_main(int argc, char** argv) {
  CLI::App app{"spotcheck: run bash launchers hermetically against recording fakes"};
  app.set_version_flag("--version", std::string("spotcheck ") + SPOTCHECK_VERSION);
  bool print_man = false;
  app.add_flag("--man", print_man, "Print the man page (roff, generated from these definitions) and exit");
  app.require_subcommand(0, 1);
  RunArgs run_args;
  std::function<int()> action;
  add_run_command(app, run_args, action);
  CheckArgs check_args;
  add_check_command(app, check_args, action);
  ExploreArgs explore_args;
  add_explore_command(app, explore_args, action);
  InitOptions init_options;
  std::string init_launcher, init_mode_flag;
  std::vector<std::string> init_env;
  add_init_command(app, init_options, init_launcher, init_mode_flag, init_env, action);
  std::string show_file;
  std::string show_html;
  bool show_json = false;
  auto* show =
      app.add_subcommand("show", "Print a recording's timeline and effect counts (or write it as an HTML page)");
  show->add_option("file", show_file, "recording.jsonl")->required();
  show->add_flag("--json", show_json, "Print the validated records as JSON lines");
  show->add_option("--html", show_html,
                   "Write FILE: a self-contained page with the recording as a swimlane timeline (a lane per host, "
                   "transport parents linked to their children, effects coloured, an injected fault marked) and the "
                   "World changes");
  show->callback([&] { action = [&] { return do_show(show_file, show_json, show_html); }; });
  std::string diff_a, diff_b;
  bool diff_quiet = false;
  auto* diff = app.add_subcommand("diff",
                                  "Compare two recordings (or goldens) semantically: leaf calls per host, "
                                  "volatile values normalised; exit 0 equivalent, 1 not, 2 bad input");
  diff->add_option("a", diff_a, "recording.jsonl or golden *.expected.jsonl")->required();
  diff->add_option("b", diff_b, "recording.jsonl or golden *.expected.jsonl")->required();
  diff->add_flag("-q,--quiet", diff_quiet, "Print nothing when equivalent");
  diff->callback([&] { action = [&] { return do_diff(diff_a, diff_b, diff_quiet); }; });
  // Everything after `run ... --` is the launcher's command line, verbatim. It is split off before
  // CLI11 sees it: a repeatable option such as --env would otherwise end at `--` and leave the
  // launcher's flags to be parsed as spotcheck's.
  std::vector<char*> own(argv, argv + argc);
  std::vector<std::string> launcher_command;
  if (argc > 1 && (std::string(argv[1]) == "run" || std::string(argv[1]) == "explore")) {
    const auto dashdash =
        std::find_if(own.begin() + 2, own.end(), [](const char* a) { return std::string(a) == "--"; });
    if (dashdash != own.end()) {
      launcher_command.assign(dashdash + 1, own.end());
      own.erase(dashdash, own.end());
    }
  }
  try {
    app.parse(static_cast<int>(own.size()), own.data());
    if (!launcher_command.empty()) run_args.command = explore_args.command = launcher_command;
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return fail(std::string(e.what()) + " (see spotcheck --help)");
  }
  try {
    if (print_man) {
      std::cout << man_page(app, std::string("spotcheck ") + SPOTCHECK_VERSION);
      return 0;
    }
    return action ? action() : fail("expected a subcommand (see spotcheck --help)");
  } catch (const Error& e) {
    return fail(e.what());
  } catch (const std::exception& e) {
    return fail(std::string("internal: ") + e.what());
  }
}

}  // namespace spotcheck::harness
