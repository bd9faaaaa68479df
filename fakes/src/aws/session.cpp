// Region, credentials and output format as the AWS CLI v2 resolves them: flags, environment, files, instance metadata.
#include "aws/session.hpp"

#include <algorithm>
#include <cstdlib>
#include <map>

#include "aws/cli_errors.hpp"
#include "spotcheck/file_io.hpp"
#include "world/world_config.hpp"

namespace spotcheck::fakes::aws {
namespace {

using Ini = std::map<std::string, std::map<std::string, std::string>>;

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

Ini read_ini(const std::string& path) {
  Ini ini;
  const std::string text = read_file_bytes(path).value_or("");  // a missing file is an empty one
  std::string section;
  for (std::size_t start = 0; start < text.size();) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    std::string line = trim(text.substr(start, end - start));
    start = end + 1;
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line.front() == '[' && line.back() == ']') {
      section = trim(line.substr(1, line.size() - 2));
      ini[section];
      continue;
    }
    const auto eq = line.find('=');
    if (eq != std::string::npos && !section.empty()) ini[section][trim(line.substr(0, eq))] = trim(line.substr(eq + 1));
  }
  return ini;
}

std::string home_file(const char* override_var, const char* name) {
  if (std::string v = env(override_var); !v.empty()) return v;
  const std::string home = env("HOME");
  return home.empty() ? "" : home + "/.aws/" + name;
}

Ini config_file() {
  return read_ini(home_file("AWS_CONFIG_FILE", "config"));
}
Ini credentials_file() {
  return read_ini(home_file("AWS_SHARED_CREDENTIALS_FILE", "credentials"));
}

std::optional<std::string> named_profile(const GlobalOptions& g) {
  if (g.profile) return g.profile;
  if (const std::string p = env("AWS_PROFILE"); !p.empty()) return p;
  if (const std::string p = env("AWS_DEFAULT_PROFILE"); !p.empty()) return p;
  return std::nullopt;
}

std::string profile_name(const GlobalOptions& g) {
  return named_profile(g).value_or("default");
}

const std::map<std::string, std::string>* config_section(const Ini& config, const std::string& profile) {
  const auto it = config.find(profile == "default" ? "default" : "profile " + profile);
  if (it != config.end()) return &it->second;
  if (profile == "default") return nullptr;
  const auto bare = config.find(profile);  // the CLI tolerates [NAME] in the config file too
  return bare == config.end() ? nullptr : &bare->second;
}

std::optional<std::string> lookup(const std::map<std::string, std::string>* section, const std::string& key) {
  if (!section) return std::nullopt;
  const auto it = section->find(key);
  if (it == section->end() || it->second.empty()) return std::nullopt;
  return it->second;
}

bool imds_disabled() {
  return env("AWS_EC2_METADATA_DISABLED") == "true";
}

bool has_file_credentials(const std::map<std::string, std::string>* section) {
  if (!section) return false;
  if (lookup(section, "aws_access_key_id") && lookup(section, "aws_secret_access_key")) return true;
  return lookup(section, "role_arn") || lookup(section, "credential_process");
}

}  // namespace

std::optional<std::string> config_value(const GlobalOptions& globals, const std::string& key) {
  const Ini config = config_file();
  return lookup(config_section(config, profile_name(globals)), key);
}

std::optional<Resolved> resolve_region(const GlobalOptions& g, const Context& ctx) {
  if (g.region && !g.region->empty()) return Resolved{*g.region, "--region"};
  for (const char* name : {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
    if (const std::string v = env(name); !v.empty()) return Resolved{v, name};
  }
  if (const auto v = config_value(g, "region")) return Resolved{*v, "config-file"};
  if (ctx.on_spot() && !imds_disabled()) return Resolved{world::world_config(ctx.paths).region, "imds"};
  return std::nullopt;
}

std::optional<Resolved> resolve_credentials(const GlobalOptions& g, const Context& ctx) {
  const std::string profile = profile_name(g);
  const Ini config = config_file();
  const Ini creds = credentials_file();
  const auto cred_section = creds.find(profile);
  const auto* conf_section = config_section(config, profile);
  if (named_profile(g) && profile != "default" && cred_section == creds.end() && !conf_section) {
    throw general_error("The config profile (" + profile + ") could not be found");
  }
  if (!env("AWS_ACCESS_KEY_ID").empty() && !env("AWS_SECRET_ACCESS_KEY").empty()) return Resolved{"env", "env"};
  if (cred_section != creds.end() && has_file_credentials(&cred_section->second)) {
    return Resolved{profile, "shared-credentials-file"};
  }
  if (has_file_credentials(conf_section)) return Resolved{profile, "config-file"};
  if (!world::world_config(ctx.paths).credentials) return std::nullopt;
  if (ctx.on_spot()) {
    if (imds_disabled()) return std::nullopt;
    return Resolved{"instance-profile", "iam-role"};
  }
  return Resolved{"dispatcher-role", "ambient"};
}

std::string resolve_output(const GlobalOptions& g, const Context&) {
  if (g.output && !g.output->empty()) return *g.output;
  if (std::string v = env("AWS_DEFAULT_OUTPUT"); !v.empty()) return v;
  return config_value(g, "output").value_or("json");
}

}  // namespace spotcheck::fakes::aws
