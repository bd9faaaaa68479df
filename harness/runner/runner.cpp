// Runner: prepare a run directory, start the sandbox, tee the launcher's output, collect the recording.
#include "spotcheck/runner.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <boost/process.hpp>
#include <boost/process/extend.hpp>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <future>
#include <system_error>

#include "run_dir.hpp"
#include "seconds.hpp"
#include "spotcheck/error.hpp"
#include "spotcheck/fakes/host_plan.hpp"
#include "spotcheck/fakes/world/seed.hpp"
#include "spotcheck/fakes/world/snapshot.hpp"
#include "spotcheck/file_io.hpp"
#include "spotcheck/install_layout.hpp"
#include "spotcheck/sandbox.hpp"
#include "spotcheck/text.hpp"
#include "spotcheck/unique_fd.hpp"

namespace spotcheck::harness {
namespace {

namespace fs = std::filesystem;
namespace bp = boost::process;

// A launcher must be a runnable file, as it is in production; a bad one is the caller's input error.
void check_launcher(const fs::path& launcher) {
  const std::string where = launcher.string();
  if (!fs::exists(launcher)) throw bad_input(where, "can't run the launcher: no such file");
  if (!fs::is_regular_file(launcher)) throw bad_input(where, "can't run the launcher: not a regular file");
  if (::access(launcher.c_str(), X_OK) != 0)
    throw bad_input(where, "can't run the launcher: not executable (chmod +x it, as production runs it)");
}

std::string first_line(const std::string& text) {
  const auto nl = text.find('\n');
  return nl == std::string::npos ? text : text.substr(0, nl);
}

// Runs started from several threads (check -j N) must not inherit each other's descriptors: a sandbox
// holding another run's pipe keeps that run's output open until it ends itself, and files the other
// workers have open (libstdc++ streams are not close-on-exec) would be readable inside it. So the
// child marks every descriptor above stderr close-on-exec just before exec, whatever opened it and
// whenever; our own pipes are close-on-exec from birth (pipe2). No lock is needed for that.
void close_inherited_on_exec() {
  if (::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) == 0) return;
  for (int fd = 3; fd < 65536; ++fd) ::fcntl(fd, F_SETFD, FD_CLOEXEC);  // kernels before 5.11
}

bp::pipe cloexec_pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    throw harness_error("pipe2", "can't create the sandbox's output pipe: " + errno_message());
  return bp::pipe(fds[0], fds[1]);
}

// One reader for both of the sandbox's output pipes: keeps a copy, passes it through to the caller's
// descriptor (unless -1), and ends at EOF on both or when `until` passes.
class OutputDrain {
 public:
  OutputDrain(int out, int err, const RunOptions& options, RunResult& result)
      : streams_{
            {{out, options.stdout_fd, &result.launcher_stdout}, {err, options.stderr_fd, &result.launcher_stderr}}} {}

  // True at EOF on both pipes; false when `until` came first.
  bool drain(std::chrono::steady_clock::time_point until) {
    std::array<char, 4096> chunk{};
    while (open_streams() > 0) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      std::array<pollfd, 2> fds{};
      for (std::size_t i = 0; i < 2; ++i) fds[i] = {streams_[i].open ? streams_[i].fd : -1, POLLIN, 0};
      const int ready = ::poll(fds.data(), fds.size(), static_cast<int>(std::min<long long>(left.count(), 60000)) + 1);
      if (ready < 0 && errno != EINTR) throw harness_error("poll", "can't read the sandbox's output");
      for (std::size_t i = 0; ready > 0 && i < 2; ++i) {
        if (fds[i].revents == 0) continue;
        const ssize_t n = ::read(streams_[i].fd, chunk.data(), chunk.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
          streams_[i].open = false;
          continue;
        }
        streams_[i].copy->append(chunk.data(), static_cast<std::size_t>(n));
        if (streams_[i].pass_to >= 0 && ::write(streams_[i].pass_to, chunk.data(), static_cast<std::size_t>(n)) < 0) {
          // the reader went away; keep capturing
        }
      }
    }
    return true;
  }

 private:
  struct Stream {
    int fd;
    int pass_to;
    std::string* copy;
    bool open = true;
  };
  int open_streams() const { return streams_[0].open + streams_[1].open; }
  std::array<Stream, 2> streams_;
};

// Seconds a killed sandbox has to close its output before the run is a harness fault.
constexpr double kKillGraceSeconds = 5;

// Starts the sandbox; runs `meanwhile` while bwrap sets it up (its supervisor starts nothing before the byte
// `meanwhile` ends by sending on the other end of `ready_fd`); then tees the sandbox's output until it ends or
// `deadline` passes.
void execute(const SandboxPlan& plan, const RunOptions& options, std::chrono::steady_clock::time_point deadline,
             RunResult& result, UniqueFd& ready_fd, const std::function<void()>& meanwhile) {
  const auto argv = plan.bwrap_argv(options.bwrap);
  if (::access(options.bwrap.c_str(), X_OK) != 0)
    throw unsupported(options.bwrap,
                      "can't start the sandbox: bubblewrap is not installed here (apt-get install bubblewrap)");
  bp::pipe out = cloexec_pipe(), err = cloexec_pipe();
  std::error_code ec;
  const auto in_the_child = [ready = ready_fd.get()](auto&) {
    close_inherited_on_exec();
    if (ready >= 0) ::fcntl(ready, F_SETFD, 0);  // the supervisor's, through bwrap
  };
  bp::child child(argv[0], bp::args(std::vector<std::string>(argv.begin() + 1, argv.end())),
                  bp::std_in<bp::null, bp::std_out> out, bp::std_err > err, bp::extend::on_exec_setup = in_the_child,
                  ec);
  ready_fd.reset();
  if (ec) throw unsupported(argv[0], "can't start the sandbox: " + ec.message());
  try {
    meanwhile();
  } catch (...) {
    child.terminate(ec);  // the run is given up before its launcher started
    throw;
  }
  OutputDrain output(out.native_source(), err.native_source(), options, result);
  // The pipes close when every process in the sandbox has gone (its pid namespace dies with bwrap).
  if (!output.drain(deadline)) {
    result.timed_out = true;
    child.terminate(ec);  // SIGKILL to bwrap; --die-with-parent takes the whole pid namespace with it
    if (!output.drain(std::chrono::steady_clock::now() + seconds(kKillGraceSeconds)))
      throw harness_error(argv[0], "the sandbox still held its output " +
                                       std::to_string(static_cast<int>(kKillGraceSeconds)) +
                                       " s after it was killed at its time limit");
  }
  child.wait(ec);
  result.exit = result.timed_out ? 124 : child.exit_code();
}

}  // namespace

void merge_json(nlohmann::json& base, const nlohmann::json& over) {
  base.merge_patch(over);
}

std::string_view to_string(Phase phase) {
  switch (phase) {
    case Phase::Preparation:
      return "preparation";
    case Phase::Sandbox:
      return "sandbox";
    case Phase::Evaluation:
      return "evaluation";
    case Phase::GoldenCheck:
      return "golden check";
  }
  return "?";
}

std::string default_bwrap() {
  const char* env = std::getenv("SPOTCHECK_BWRAP");
  return env && *env ? env : "/usr/bin/bwrap";
}

namespace {

// Both sandboxes a run uses, for --dry-run: the dispatcher's, and the one every ssh/scp session on a spot
// host runs in (shown for a placeholder instance: <...> differs per instance and per call).
std::string describe_plans(const SandboxPlan& dispatcher, const std::map<std::string, std::string>& env) {
  fakes::world::Instance instance;
  instance.id = "<instance-id>";
  instance.private_ip = "<private-ip>";
  auto host = fakes::plan_host_sandbox(fakes::RunPaths{kSandboxRoot}, instance, 0,
                                       {"/bin/bash", "-c", "<remote command>"}, env);
  for (auto& op : host.ops) {
    if (op.kind == SandboxOp::Kind::SetEnv && op.a == fakes::kEnvParent) op.b = "<seq of the ssh call>";
  }
  return "# the dispatcher's sandbox (the launcher)\n" + dispatcher.describe() +
         "# a spot host's sandbox (every ssh/scp session on an instance, inside the dispatcher's)\n" + host.describe();
}

}  // namespace

Observed observed_of(const RunResult& run) {
  return {run.exit,           run.timed_out, &run.records, run.launcher_stdout, run.launcher_stderr,
          &run.world_changes, &run.survivors};
}

std::filesystem::path world_changes_file(const std::filesystem::path& recording) {
  return std::filesystem::path(recording).replace_extension(".world.json");
}

std::map<std::string, std::string> launcher_env(const RunOptions& options, const nlohmann::json& world) {
  std::map<std::string, std::string> env = {{"HOME", kDispatcherHome},
                                            {"USER", "runner"},
                                            {"LOGNAME", "runner"},
                                            {"LANG", "C.UTF-8"},
                                            {"TERM", "dumb"},
                                            {"SHELL", "/bin/bash"},
                                            {"TZ", "UTC"},
                                            {"PATH", std::string(kSandboxRoot) + "/shims:/usr/local/bin:/usr/bin:/bin"},
                                            {"SPOTCHECK_ROOT", kSandboxRoot},
                                            // The sandbox's pid namespace ends every spot host's keeper
                                            // with the run (fakes/src/shims/host_session.hpp).
                                            {"SPOTCHECK_HOST_KEEPERS", "1"}};
  if (world.value("credentials", true)) {
    // Obviously fake static keys: the fake aws accepts them, real AWS never sees them.
    env["AWS_ACCESS_KEY_ID"] = "AKIASPOTCHECKFAKEKEY";
    env["AWS_SECRET_ACCESS_KEY"] = "spotcheck/fake/secret/key/not/real/00000000";
    // A runner set up for AWS has a region configured too (the real CLI exits 253 without one).
    env["AWS_DEFAULT_REGION"] = world.value("region", std::string("us-east-1"));
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

RunResult run_launcher(const RunOptions& options) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = options.deadline.value_or(Clock::now() + seconds(options.timeout_seconds));
  const auto enter = [&](Phase phase) {
    if (options.on_phase) options.on_phase(phase);
  };
  enter(Phase::Preparation);
  check_launcher(options.launcher);
  // Listing /usr/bin for the real tools to hide needs nothing from the run directory: both at once.
  auto real_tools = std::async(std::launch::async, [] { return find_real_tools(shim_tool_names()); });
  RunDir dir;
  const nlohmann::json& world = dir.prepare_mounts(options);
  SandboxSpec spec;
  spec.run_dir = dir.path();
  spec.fake_binary = fake_binary_path();
  spec.launcher = options.launcher;
  spec.args = options.args;
  spec.real_tools = real_tools.get();
  spec.env = launcher_env(options, world);
  spec.call_client = call_client_path();
  RunResult result;
  result.run_dir = dir.path();
  if (options.dry_run) {
    dir.populate(options);
    result.plan = describe_plans(plan_sandbox(spec), spec.env);
    if (options.keep) dir.keep();
    result.kept = dir.kept();
    return result;
  }
  if (Clock::now() >= deadline) {
    result.timed_out = true;
    result.overran = Phase::Preparation;
    return result;
  }
  // The run directory's contents are written while bwrap sets the sandbox up (two cores: the one waits less
  // for the other); the supervisor starts the launcher once the harness sends a byte on this pair.
  int pair[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0)
    throw harness_error("socketpair", "can't create the sandbox's start signal: " + errno_message());
  UniqueFd harness_end(pair[0]), sandbox_end(pair[1]);
  spec.ready_fd = sandbox_end.get();
  const fakes::RunPaths state{dir.path()};
  fakes::world::WorldSnapshot before;
  execute(plan_sandbox(spec), options, deadline, result, sandbox_end, [&] {
    dir.populate(options);
    before = fakes::world::take_snapshot(state);
    enter(Phase::Sandbox);
    if (::send(harness_end.get(), "g", 1, MSG_NOSIGNAL) != 1) {
      // bwrap already failed: its output says why
    }
    harness_end.reset();
  });
  if (result.timed_out) result.overran = Phase::Sandbox;
  result.records = read_recording(dir.recording());
  if (const auto text = read_file_bytes(state.survivors())) result.survivors = split(*text, '\n');
  result.world_changes = fakes::world::diff_world(before, fakes::world::take_snapshot(state));
  const auto changes_file = world_changes_file(dir.recording());
  if (!write_file_bytes(changes_file, world_changes_json(result.world_changes).dump(2) + "\n"))
    throw harness_error(changes_file.string(), "can't write the run's World changes: " + errno_message());
  if (!result.timed_out && result.exit == 1 && result.records.empty() &&
      result.launcher_stderr.rfind("bwrap: ", 0) == 0)
    throw unsupported(options.bwrap, "can't start the sandbox: " + first_line(result.launcher_stderr));
  if (options.keep) dir.keep();
  result.kept = dir.kept();
  return result;
}

}  // namespace spotcheck::harness
