// What a run would do, without doing it: the module's --help text, the --dry-run plan, and the
// local files a real run requires (checked before anything is launched).
#include "spot_launch/plan.hpp"

#include <unistd.h>

#include <filesystem>

#include "spot_launch/error.hpp"
#include "spot_launch/log.hpp"
#include "spot_launch/session.hpp"
#include "spot_launch/strings.hpp"
#include "spot_launch/template.hpp"

namespace spot_launch {

std::string usage_text(const Module& module) {
  Vars v;
  v.scalars["PROG"] = log_tag();
  v.lists["SPOT_FULL_STAGES"] = module.full_stages;
  return expand(module.usage, v);
}

std::vector<std::string> required_files(const Session& s) {
  std::vector<std::string> files;
  const Vars v = s.vars();
  for (const auto& f : s.module.required_files) files.push_back(expand(f, v));
  return files;
}

std::string plan_text(const Session& s) {
  const Config& c = s.config;
  const Flags& f = s.flags;
  const Vars v = s.vars();
  const std::string what = f.preflight_only             ? s.module.plan_preflight
                           : f.run_mode == "smoke-only" ? s.module.plan_smoke
                                                        : s.module.plan_full;
  std::vector<std::string> repos;
  for (const auto& r : s.module.repos) repos.push_back(c.github_org + "/" + r);
  std::string out = log_tag() + " plan (dry run: no aws or ssh calls)\n";
  const auto line = [&](const std::string& key, const std::string& value) {
    out += "  " + key + std::string(18 - key.size(), ' ') + value + "\n";
  };
  line("run:", expand(what, v));
  line("preflight_only:", f.preflight_only ? "1" : "0");
  line("run_mode:", f.run_mode);
  line("skip_stages:", f.skip_stages.empty() ? "none" : join(f.skip_stages));
  line("branch:", f.branch + " (" + join(repos, ", ") + ")");
  line("region:", c.region);
  line("ami:", c.ami);
  line("instance_types:", join(c.instance_types));
  line("key/sg/subnet:", c.key_name + " " + c.security_group + " " + c.subnet);
  line("iam_profile:", c.iam_profile);
  line("s3_bucket:", c.bucket);
  line("watchdog:", c.watchdog_minutes_text + " minutes");
  line("ssh_attempts:", c.ssh_ready_attempts_text + " (10 s apart)");
  line("spot_attempts:", c.max_spot_attempts_text + " (relaunches only when the spot is reclaimed)");
  for (const auto& file : required_files(s))
    line("requires:", file + (::access(file.c_str(), R_OK) == 0 ? " (ok)" : " (MISSING: a real run exits 2)"));
  return out;
}

void require_files(const Session& s) {
  for (const auto& file : required_files(s)) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) fail(2, "required file not found: " + file);
    if (::access(file.c_str(), R_OK) != 0) fail(2, "required file not readable: " + file);
  }
}

}  // namespace spot_launch
