// The module contract as data: scenarios generated from a module's catalog entry.
#include "spotcheck/contract.hpp"

#include <algorithm>

#include "spotcheck/catalog.hpp"
#include "spotcheck/error.hpp"
#include "spotcheck/text.hpp"

namespace spotcheck::harness {
namespace {

namespace fs = std::filesystem;

CountBound exactly(int n) {
  return {n, std::nullopt, std::nullopt};
}
CountBound at_least(int n) {
  return {std::nullopt, n, std::nullopt};
}

CallMatcher effect(const std::string& name) {
  CallMatcher m;
  m.effect = name;
  return m;
}

CallMatcher preflight_call(const ModuleContract& c) {
  CallMatcher m;
  m.host = "spot";
  m.tool = "python";
  m.argv_contains = c.preflight_args;
  m.argv_contains.insert(m.argv_contains.begin(), c.preflight_script);
  return m;
}

// What every failing preflight must still guarantee: a failure, everything terminated, no writes
// (counted per call, and net: the World as it was, instances launched and terminated aside).
Expectations fails_cleanly() {
  Expectations e;
  e.exit_nonzero = true;
  e.all_instances_terminated = true;
  e.world_unchanged = true;
  for (const auto& w : kWriteEffects) e.effects[w] = exactly(0);
  return e;
}

Scenario base(const Project& project, const fs::path& launcher, const ModuleContract& c, std::string claim) {
  Scenario s;
  s.file = launcher;
  s.project = project;
  s.launcher = launcher;
  s.module = c.module;
  s.name = "contract: " + std::move(claim);
  s.args = c.preflight_flags;
  return s;
}

Scenario preflight_writes_nothing(const Project& project, const fs::path& launcher, const ModuleContract& c) {
  Scenario s = base(project, launcher, c,
                    "preflight (" + join(c.preflight_flags, " ") + ") boots, installs deps, runs " +
                        c.preflight_script + " on the spot, cleans up last and writes nothing");
  auto& e = s.expect;
  e.exit = 0;
  for (const auto& w : kWriteEffects) e.effects[w] = exactly(0);
  e.effects["ec2.launch"] = at_least(1);
  e.effects["deps.install"] = at_least(1);
  e.calls.push_back({preflight_call(c), at_least(1)});
  e.order.push_back({{"boot", effect("ec2.launch")},
                     {"deps", effect("deps.install")},
                     {"preflight", preflight_call(c)},
                     {"cleanup", effect("ec2.terminate")}});
  e.cleanup_last = true;
  e.all_instances_terminated = true;
  e.world_unchanged = true;
  return s;
}

Scenario full_run_writes(const Project& project, const fs::path& launcher, const ModuleContract& c) {
  Scenario s = base(project, launcher, c, "the full run shows its writes and exactly one heartbeat");
  s.args.clear();
  s.expect.exit = 0;
  s.expect.effects["s3.write"] = at_least(1);
  s.expect.effects["metric.write"] = exactly(1);
  s.expect.world_changes["metric.put"] = exactly(1);  // the heartbeat is in the World too, not only in a call
  s.expect.cleanup_last = true;
  s.expect.all_instances_terminated = true;
  return s;
}

std::vector<Scenario> failure_classes(const Project& project, const fs::path& launcher, const ModuleContract& c) {
  std::vector<Scenario> out;
  const std::string drift = "ImportError: spotcheck contract: lib-pin drift in " + c.preflight_script;
  Scenario failing = base(project, launcher, c, "a failing preflight entrypoint (lib-pin drift) fails the run cleanly");
  failing.fakes = nlohmann::json::array(
      {{{"id", "contract-lib-pin-drift"},
        {"match", {{"host", "spot"}, {"tool", "python"}, {"argv_contains", {c.preflight_script}}}},
        {"exit", 1},
        {"stderr", drift + "\n"}}});
  failing.expect = fails_cleanly();
  failing.expect.stderr_contains = {drift};
  out.push_back(failing);

  Scenario image_gap = base(project, launcher, c, "an image gap (InvalidAMIID.NotFound) fails before anything runs");
  image_gap.world_layers = {{{{"amis", nlohmann::json::array()}}, "the module contract", ""}};
  image_gap.expect = fails_cleanly();
  image_gap.expect.effects["deps.install"] = exactly(0);
  image_gap.expect.stderr_contains = {"InvalidAMIID.NotFound"};
  out.push_back(image_gap);

  // Whatever the transport: sshd never accepts and the SSM agent never registers.
  Scenario never_ready =
      base(project, launcher, c, "a spot that never answers (ssh never ready, no SSM agent) fails and terminates it");
  never_ready.world_layers = {{{{"ssh_ready_after", 1000000}, {"ssm_agent", false}}, "the module contract", ""}};
  never_ready.expect = fails_cleanly();
  never_ready.expect.cleanup_last = true;
  out.push_back(never_ready);

  Scenario sigterm =
      base(project, launcher, c, "the dispatcher killed by SIGTERM during preflight still terminates the spot");
  // The signal lands on the transport call that carries the preflight: an ssh heredoc, or a Run Command step.
  sigterm.fakes = nlohmann::json::array(
      {{{"id", "contract-sigterm"},
        {"match", {{"host", "dispatcher"}, {"tool", "ssh"}, {"stdin_contains", c.preflight_script}}},
        {"signal", "TERM"}},
       {{"id", "contract-sigterm-ssm"},
        {"match", {{"host", "dispatcher"}, {"tool", "aws"}, {"stdin_contains", c.preflight_script}}},
        {"signal", "TERM"}}});
  sigterm.expect = fails_cleanly();
  sigterm.expect.cleanup_last = true;
  out.push_back(sigterm);
  return out;
}

}  // namespace

std::vector<Scenario> module_contract(const Project& project, const fs::path& launcher) {
  const auto catalog = load_catalog(project.catalogs);
  const std::string name = launcher.filename().string();
  const auto it = std::find_if(catalog.modules.begin(), catalog.modules.end(),
                               [&](const ModuleContract& c) { return c.launcher == name; });
  if (it == catalog.modules.end()) {
    throw bad_input(launcher.string(),
                    "no workload catalog of " + (project.file.empty() ? project.root : project.file).string() +
                        " declares this launcher: add a catalog <module>.json (in a directory the project's "
                        "\"catalogs\" names) with \"module\", \"launcher\": \"" +
                        name +
                        "\", \"preflight\": {\"script\": \"<entrypoint>.py\", "
                        "\"args_contain\": [...]} and the entrypoints it runs, so the module contract can check it");
  }
  std::vector<Scenario> out = {preflight_writes_nothing(project, launcher, *it),
                               full_run_writes(project, launcher, *it)};
  for (auto& s : failure_classes(project, launcher, *it)) out.push_back(std::move(s));
  // The catalog's variants (e.g. the SSM transport): the same claims under another environment. A variant
  // may stage through S3 (copies written, then removed), so there "writes nothing" is the World unchanged
  // rather than zero s3.write calls; every other write count stays 0.
  const std::size_t plain = out.size();
  for (const auto& [variant, env] : it->variants) {
    for (std::size_t i = 0; i < plain; ++i) {
      Scenario s = out[i];
      s.name += " [" + variant + "]";
      for (const auto& [key, value] : env) s.env[key] = value;
      if (s.expect.world_unchanged) s.expect.effects.erase("s3.write");
      out.push_back(std::move(s));
    }
  }
  return out;
}

}  // namespace spotcheck::harness
