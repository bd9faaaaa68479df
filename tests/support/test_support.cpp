// Test helpers shared by the unit tests.
#include "test_support.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "spotcheck/project.hpp"

namespace spotcheck::testing {

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "spotcheck-test-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

QuietOutput::QuietOutput() : saved_in_(::dup(0)), saved_out_(::dup(1)), saved_err_(::dup(2)) {
  const int null = ::open("/dev/null", O_RDWR);
  ::dup2(null, 0);
  ::dup2(null, 1);
  ::dup2(null, 2);
  ::close(null);
}

QuietOutput::~QuietOutput() {
  ::dup2(saved_in_, 0);
  ::dup2(saved_out_, 1);
  ::dup2(saved_err_, 2);
  ::close(saved_in_);
  ::close(saved_out_);
  ::close(saved_err_);
}

std::filesystem::path source_dir() {
  return SPOTCHECK_SOURCE_DIR;
}
std::filesystem::path bin_dir() {
  return SPOTCHECK_BIN_DIR;
}
// ../shared/data beside the checkout; SPOTCHECK_DATA_DIR in the environment points elsewhere.
std::filesystem::path data_dir() {
  if (const char* env = std::getenv("SPOTCHECK_DATA_DIR"); env && *env) return env;
  return std::filesystem::path(SPOTCHECK_DATA_DIR).lexically_normal();
}

harness::RunOptions bundled_run_options() {
  const harness::Project project = harness::project_for(source_dir());
  harness::RunOptions options;
  options.world_files = project.worlds;
  options.catalog_dirs = project.catalogs;
  return options;
}

harness::RunResult run_script(const std::filesystem::path& script, const std::string& text,
                              const std::map<std::string, std::string>& env, double timeout_seconds) {
  write_file(script, text);
  std::filesystem::permissions(script, std::filesystem::perms::owner_all);
  harness::RunOptions options = bundled_run_options();
  options.launcher = script;
  options.stdout_fd = -1;
  options.stderr_fd = -1;
  options.timeout_seconds = timeout_seconds;
  options.env = env;
  return run_launcher(options);
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + p.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const std::filesystem::path& p, const std::string& text) {
  if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + p.string());
}

bool sandbox_available() {
  static const bool available = std::system("bwrap --unshare-all --ro-bind / / true >/dev/null 2>&1") == 0;
  return available;
}

CommandResult run_command(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env) {
  TempDir io;
  const auto out = io.path() / "stdout", err = io.path() / "stderr";
  std::map<std::string, std::string> vars;
  for (char** e = environ; *e; ++e) {
    const std::string kv = *e;
    vars[kv.substr(0, kv.find('='))] = kv.substr(kv.find('=') + 1);
  }
  for (const auto& [k, v] : env) {
    if (v.empty())
      vars.erase(k);
    else
      vars[k] = v;
  }
  std::vector<std::string> env_strings;
  for (const auto& [k, v] : vars) env_strings.push_back(k + "=" + v);
  std::vector<char*> cargv, cenv;
  for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  for (const auto& e : env_strings) cenv.push_back(const_cast<char*>(e.c_str()));
  cargv.push_back(nullptr);
  cenv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, cargv[0], &actions, nullptr, cargv.data(), cenv.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + argv[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
  }
  CommandResult r;
  r.exit = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = read_file(out);
  r.err = read_file(err);
  return r;
}

}  // namespace spotcheck::testing
