// Runner: prepare a run directory, start the sandbox, tee the launcher's output, collect the recording.
#include "spotcheck/runner.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <boost/process.hpp>
#include <fstream>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "run_dir.hpp"
#include "spotcheck/error.hpp"
#include "spotcheck/fakes/world.hpp"
#include "spotcheck/sandbox.hpp"

namespace spotcheck {
namespace {

namespace fs = std::filesystem;
namespace bp = boost::process;

fs::path self_dir() {
  std::error_code ec;
  auto exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : exe.parent_path();
}

std::map<std::string, std::string> launcher_env(const RunOptions& options, const nlohmann::json& world) {
  std::map<std::string, std::string> env = {
      {"HOME", kDispatcherHome}, {"USER", "runner"}, {"LOGNAME", "runner"}, {"LANG", "C.UTF-8"},
      {"TERM", "dumb"}, {"SHELL", "/bin/bash"}, {"TZ", "UTC"},
      {"PATH", std::string(kSandboxRoot) + "/shims:/usr/local/bin:/usr/bin:/bin"},
      {"SPOTCHECK_ROOT", kSandboxRoot}};
  if (world.value("credentials", true)) {
    // Obviously fake static keys: the fake aws accepts them, real AWS never sees them.
    env["AWS_ACCESS_KEY_ID"] = "AKIASPOTCHECKFAKEKEY";
    env["AWS_SECRET_ACCESS_KEY"] = "spotcheck/fake/secret/key/not/real/00000000";
  }
  if (options.strict) env["SPOTCHECK_STRICT"] = "1";
  std::string named;
  for (const auto& [k, v] : options.env) {
    env[k] = v;
    named += (named.empty() ? "" : ",") + k;
  }
  if (!named.empty()) env["SPOTCHECK_RECORD_ENV"] = named;
  return env;
}

// Reads a pipe to the end, keeping a copy and passing it through to `fd` (unless -1).
std::thread tee(bp::ipstream& in, std::string& copy, int fd) {
  return std::thread([&in, &copy, fd] {
    std::string chunk(4096, '\0');
    while (in.read(chunk.data(), static_cast<std::streamsize>(chunk.size())) || in.gcount() > 0) {
      const auto n = static_cast<std::size_t>(in.gcount());
      copy.append(chunk.data(), n);
      if (fd >= 0 && ::write(fd, chunk.data(), n) < 0) { /* the reader went away; keep capturing */ }
    }
  });
}

// Kills the sandbox if it outlives the real-time limit; a blocking wait, not a polling loop.
class Watchdog {
 public:
  Watchdog(bp::child& child, double seconds) : thread_([this, &child, seconds] {
    std::unique_lock<std::mutex> lock(mutex_);
    if (!done_cv_.wait_for(lock, std::chrono::duration<double>(seconds), [this] { return done_; })) {
      fired_ = true;
      std::error_code ec;
      child.terminate(ec);  // SIGKILL to bwrap; --die-with-parent takes the whole pid namespace with it
    }
  }) {}
  ~Watchdog() { stop(); }
  void stop() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      done_ = true;
    }
    done_cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }
  bool fired() const { return fired_; }

 private:
  std::mutex mutex_;
  std::condition_variable done_cv_;
  bool done_ = false;
  bool fired_ = false;
  std::thread thread_;
};

void set_cloexec(int fd) { ::fcntl(fd, F_SETFD, ::fcntl(fd, F_GETFD) | FD_CLOEXEC); }

// Runs started from several threads (check -j N) must not inherit each other's pipes: a sandbox
// holding another run's write end would keep that run's output open until it ends itself. Pipes are
// made close-on-exec and created and handed to bwrap under one lock, so no fork sees them half-made.
std::mutex spawn_mutex;

void execute(const SandboxPlan& plan, const RunOptions& options, RunResult& result) {
  const auto argv = plan.bwrap_argv();
  std::error_code ec;
  std::unique_lock<std::mutex> spawning(spawn_mutex);
  bp::ipstream out, err;
  for (auto* stream : {&out, &err}) {
    set_cloexec(stream->pipe().native_source());
    set_cloexec(stream->pipe().native_sink());
  }
  bp::child child(argv[0], bp::args(std::vector<std::string>(argv.begin() + 1, argv.end())),
                  bp::std_in < bp::null, bp::std_out > out, bp::std_err > err, ec);
  spawning.unlock();
  if (ec) throw harness_error(argv[0], "can't start the sandbox: " + ec.message());
  auto t_out = tee(out, result.launcher_stdout, options.stdout_fd);
  auto t_err = tee(err, result.launcher_stderr, options.stderr_fd);
  Watchdog watchdog(child, options.timeout_seconds);
  t_out.join();  // the pipes close when every process in the sandbox has gone
  t_err.join();
  child.wait(ec);
  watchdog.stop();
  result.timed_out = watchdog.fired();
  result.exit = result.timed_out ? 124 : child.exit_code();
}

}  // namespace

void merge_json(nlohmann::json& base, const nlohmann::json& over) {
  if (!base.is_object() || !over.is_object()) {
    base = over;
    return;
  }
  for (const auto& [key, value] : over.items()) {
    if (value.is_null()) base.erase(key);  // JSON merge patch (RFC 7386): null deletes
    else merge_json(base[key], value);
  }
}

fs::path fake_binary_path() {
  const auto beside = self_dir() / "spotcheck-fake";
  return fs::exists(beside) ? beside : fs::path(SPOTCHECK_BIN_DIR) / "spotcheck-fake";
}
fs::path catalog_dir() { return fs::path(SPOTCHECK_SOURCE_DIR) / "scenarios" / "workloads"; }
fs::path default_world_path() { return fs::path(SPOTCHECK_SOURCE_DIR) / "scenarios" / "worlds" / "default.json"; }

RunResult run_launcher(const RunOptions& options) {
  if (!fs::exists(options.launcher)) throw bad_input(options.launcher.string(), "can't run the launcher: no such file");
  RunDir dir(options.keep);
  const nlohmann::json world = dir.prepare(options);
  SandboxSpec spec{dir.path(), fake_binary_path(), options.catalog_dir.value_or(catalog_dir()), options.launcher, options.args,
                   find_real_tools(shim_tool_names()), launcher_env(options, world)};
  const SandboxPlan plan = plan_sandbox(spec);
  RunResult result;
  result.plan = plan.describe();
  result.run_dir = dir.path();
  if (options.dry_run) return result;
  execute(plan, options, result);
  result.records = read_recording(dir.recording());
  result.kept = dir.kept();
  return result;
}

}  // namespace spotcheck
