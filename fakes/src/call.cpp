// One shim invocation: seq and virtual time at start, buffered output, one record at the end.
#include "spotcheck/fakes/call.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "spotcheck/catalog.hpp"
#include "spotcheck/effects.hpp"
#include "spotcheck/fakes/state.hpp"
#include "spotcheck/file_io.hpp"
#include "spotcheck/text.hpp"
#include "world/world_config.hpp"

extern char** environ;

namespace spotcheck::fakes {
namespace {

// Variables a recording keeps: AWS_*, HOME, USER, PATH and any the scenario names.
bool recorded_variable(const std::string& name, const std::string& extra) {
  if (name.rfind("AWS_", 0) == 0 || name == "HOME" || name == "USER" || name == "PATH") return true;
  const auto names = split(extra, ',');
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::map<std::string, std::string> recorded_env() {
  const char* extra_c = std::getenv(kEnvRecordEnv);
  const std::string extra = extra_c ? extra_c : "";
  std::map<std::string, std::string> env;
  for (char** e = environ; e && *e; ++e) {
    const char* eq = std::strchr(*e, '=');
    if (!eq) continue;
    std::string name(*e, static_cast<std::size_t>(eq - *e));
    if (recorded_variable(name, extra)) env[name] = eq + 1;
  }
  return env;
}

std::string current_dir() {
  std::error_code ec;
  auto p = std::filesystem::current_path(ec);
  return ec ? std::string("?") : p.string();
}

void write_fd(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n <= 0) return;
    done += static_cast<std::size_t>(n);
  }
}

ClassifyOptions classify_options(const RunPaths& paths, const std::string& tool, WorkloadCatalog& catalog) {
  ClassifyOptions options;
  if (is_python_tool(tool) && std::filesystem::is_directory(paths.catalog())) {
    catalog = load_catalog(paths.catalog());
    options.catalog = &catalog;
  }
  // Only aws writes can be config writes: other tools skip parsing the world.
  if (tool == "aws") options.config_prefixes = world::world_config(paths).config_prefixes;
  return options;
}

}  // namespace

Call::Call(Context ctx, std::vector<std::string> argv) : ctx_(std::move(ctx)) {
  record_.argv = std::move(argv);
  record_.tool = record_.argv.empty() ? "" : std::filesystem::path(record_.argv[0]).filename().string();
  record_.host = ctx_.host;
  record_.parent = ctx_.parent;
  record_.cwd = current_dir();
  record_.env = recorded_env();
  {
    StateLock lock(ctx_.paths);
    record_.seq = next_seq(ctx_.paths);
    record_.t = virtual_now(ctx_.paths);
  }
}

void Call::passthrough_out(const std::string& text) {
  streamed_out_ = true;
  record_.stdout_text += text;
}

void Call::passthrough_err(const std::string& text) {
  streamed_err_ = true;
  record_.stderr_text += text;
}

const std::string& Call::read_stdin() {
  if (record_.stdin_capture) return stdin_bytes_;
  set_stdin(read_all_from(0));
  return stdin_bytes_;
}

void Call::set_stdin(const std::string& bytes) {
  stdin_bytes_ = bytes;
  record_.stdin_capture = capture_stdin(bytes);
}

void Call::add_payload(const std::string& path, const std::string& bytes) {
  record_.payloads.push_back({path, sha256_hex(bytes), bytes.size()});
}

void Call::add_effect(const std::string& effect) {
  for (const auto& e : record_.effects) {
    if (e == effect) return;
  }
  record_.effects.push_back(effect);  // merged with the classification in finish()
}

void Call::set_effects(std::vector<std::string> effects) {
  record_.effects = std::move(effects);
  effects_set_ = true;
}

int Call::finish(int exit) {
  if (finished_) return exit;
  finished_ = true;
  record_.exit = exit;
  if (!effects_set_) {
    WorkloadCatalog catalog;
    const auto options = classify_options(ctx_.paths, record_.tool, catalog);
    auto effects = classify({record_.host, record_.tool, record_.argv}, options);
    for (const auto& extra : record_.effects) {
      if (std::find(effects.begin(), effects.end(), extra) == effects.end()) effects.push_back(extra);
    }
    record_.effects = std::move(effects);
  }
  append_record(ctx_.paths.recording(), record_);
  if (!streamed_out_) write_fd(1, record_.stdout_text);
  if (!streamed_err_) write_fd(2, record_.stderr_text);
  return exit;
}

}  // namespace spotcheck::fakes
