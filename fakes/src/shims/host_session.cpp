// A spot host's namespaces held by an idle keeper, and ssh sessions that join them instead of a new bwrap.
#include "shims/host_session.hpp"

#include <fcntl.h>
#include <linux/capability.h>
#include <poll.h>
#include <sched.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <boost/process.hpp>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <vector>

#include "spotcheck/error.hpp"
#include "spotcheck/fakes/host_plan.hpp"
#include "spotcheck/fakes/world/instances.hpp"
#include "spotcheck/file_io.hpp"
#include "spotcheck/unique_fd.hpp"

namespace spotcheck::fakes {
namespace bp = boost::process;
namespace fs = std::filesystem;

bool host_keepers_allowed() {
  const char* value = std::getenv(kEnvHostKeepers);
  return value && std::string(value) == "1";
}

namespace {

struct Pipe {
  UniqueFd read;
  UniqueFd write;
  bool open() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return false;
    read = UniqueFd(fds[0]);
    write = UniqueFd(fds[1]);
    return true;
  }
};

// A keeper is the fake binary in --host-keeper mode, alive (not a zombie left by a dead namespace).
bool is_live_keeper(int pid) {
  std::ifstream cmdline("/proc/" + std::to_string(pid) + "/cmdline");
  std::string argv0;
  std::string argv1;
  if (!std::getline(cmdline, argv0, '\0') || !std::getline(cmdline, argv1, '\0')) return false;
  return argv1 == kHostKeeperFlag && fs::path(argv0).filename() == "spotcheck-fake";
}

std::optional<int> read_pid(const fs::path& file) {
  std::ifstream in(file);
  int pid = 0;
  if (in >> pid && pid > 0) return pid;
  return std::nullopt;
}

// The keeper says "ready PID\n" on its stdout once it runs, i.e. once bwrap has made the host's namespaces.
// One line only: bwrap itself keeps the pipe as its stdout for as long as the keeper lives.
std::optional<int> ready_pid_of(int fd) {
  std::string line;
  for (char c = 0; line.size() < 64;) {
    const ssize_t n = ::read(fd, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0 || c == '\n') break;
    line.push_back(c);
  }
  int pid = 0;
  if (std::sscanf(line.c_str(), "ready %d", &pid) == 1 && pid > 0) return pid;
  return std::nullopt;
}

// The keeper's bwrap: the host's plan, but not tied to this ssh call (it outlives it, ending with the run's
// pid namespace), and running the idle keeper instead of the remote command.
std::optional<int> start_keeper(const RunPaths& paths, const SandboxPlan& plan) {
  SandboxPlan keeper = plan;
  keeper.die_with_parent = false;
  keeper.command = {paths.fake_binary().string(), kHostKeeperFlag};
  Pipe ready;
  if (!ready.open()) return std::nullopt;
  auto argv = keeper.bwrap_argv();
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) return std::nullopt;
  if (pid == 0) {
    ::setsid();  // not in the launcher's process group: a Ctrl-C to the launcher is not the host's
    const int null = ::open("/dev/null", O_RDWR);
    ::dup2(null, 0);
    ::dup2(ready.write.get(), 1);  // the keeper's "ready PID", then it lets go of it
    ::dup2(null, 2);
    // Nothing else of the caller's: a pipe the launcher handed this ssh call (`3>&1 | tee`) must reach
    // EOF when the call ends, not when the run does.
    ::close_range(3, ~0U, 0);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ready.write.reset();
  return ready_pid_of(ready.read.get());  // EOF without it: bwrap failed (and exited)
}

// What bwrap left its sandboxed process, read off the keeper (which bwrap started the same way): a
// session gets exactly that, whether uid 0 keeps its capabilities in the host's user namespace or not.
struct Privileges {
  std::uint64_t inheritable = 0, permitted = 0, effective = 0, bounding = 0, ambient = 0;
  bool no_new_privs = false;
};

std::optional<Privileges> privileges_of(int pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  Privileges p;
  int found = 0;
  for (std::string line; std::getline(status, line);) {
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    const std::string key = line.substr(0, colon);
    const std::string value = line.substr(colon + 1);
    auto hex = [&](std::uint64_t& out) {
      out = std::stoull(value, nullptr, 16);
      ++found;
    };
    if (key == "CapInh") hex(p.inheritable);
    if (key == "CapPrm") hex(p.permitted);
    if (key == "CapEff") hex(p.effective);
    if (key == "CapBnd") hex(p.bounding);
    if (key == "CapAmb") hex(p.ambient);
    if (key == "NoNewPrivs") {
      p.no_new_privs = std::stoi(value) == 1;
      ++found;
    }
  }
  if (found != 6) return std::nullopt;
  return p;
}

// In the child, between fork and exec: the keeper's namespaces, then the keeper's privileges (`keeper`).
// Returns the step that failed, or nullptr.
const char* enter_host(const std::array<int, 4>& ns_fds, const std::string& dir, const Privileges& keeper,
                       pid_t parent) {
  static constexpr std::array<int, 4> kTypes = {CLONE_NEWUSER, CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC};
  for (std::size_t i = 0; i < ns_fds.size(); ++i) {
    if (::setns(ns_fds[i], kTypes[i]) != 0) return "setns";
  }
  if (::chdir(dir.c_str()) != 0) return "chdir";
  if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || ::getppid() != parent) return "die-with-parent";
  // Joining the user namespace gave every capability in it: keep what the keeper has, no more.
  for (int cap = 0; cap <= CAP_LAST_CAP; ++cap) {
    if (!(keeper.bounding >> cap & 1) && ::prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0) return "bounding set";
  }
  if (::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0) return "ambient set";
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  std::array<__user_cap_data_struct, 2> caps{};
  caps[0] = {static_cast<std::uint32_t>(keeper.effective), static_cast<std::uint32_t>(keeper.permitted),
             static_cast<std::uint32_t>(keeper.inheritable)};
  caps[1] = {static_cast<std::uint32_t>(keeper.effective >> 32), static_cast<std::uint32_t>(keeper.permitted >> 32),
             static_cast<std::uint32_t>(keeper.inheritable >> 32)};
  if (::syscall(SYS_capset, &header, caps.data()) != 0) return "capset";
  for (int cap = 0; cap <= CAP_LAST_CAP; ++cap) {
    if ((keeper.ambient >> cap & 1) && ::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) != 0)
      return "ambient set";
  }
  if (keeper.no_new_privs && ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return "no_new_privs";
  return nullptr;
}

}  // namespace

namespace {

void write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}

// Hands a session's stdout/stderr to `output` as they arrive, until both end.
void pump_output(int out_fd, int err_fd, const SessionOutput& output) {
  std::array<pollfd, 2> fds = {pollfd{out_fd, POLLIN, 0}, pollfd{err_fd, POLLIN, 0}};
  std::array<char, 65536> buf{};
  int open_count = 2;
  while (open_count > 0) {
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const ssize_t n = ::read(fds[i].fd, buf.data(), buf.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        fds[i].fd = -1;
        --open_count;
        continue;
      }
      output(i == 0 ? 1 : 2, std::string(buf.data(), static_cast<std::size_t>(n)));
    }
  }
}

}  // namespace

SessionOutput stream_to_caller(Call& call) {
  return [&call](int stream, const std::string& chunk) {
    write_all(stream, chunk.data(), chunk.size());
    if (stream == 1)
      call.passthrough_out(chunk);
    else
      call.passthrough_err(chunk);
  };
}

std::optional<int> host_keeper(const RunPaths& paths, const std::string& instance_id, const SandboxPlan& plan) {
  const fs::path dir = paths.host_dir(instance_id);
  UniqueFd lock(::open((dir / "keeper.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
  if (!lock) return std::nullopt;
  while (::flock(lock.get(), LOCK_EX) != 0) {
    if (errno != EINTR) return std::nullopt;
  }
  if (const auto pid = read_pid(dir / "keeper.pid"); pid && is_live_keeper(*pid)) return pid;
  const auto pid = start_keeper(paths, plan);
  if (!pid || !is_live_keeper(*pid)) return std::nullopt;
  std::ofstream(dir / "keeper.pid") << *pid << "\n";
  return pid;
}

void boot_host_in_background(const RunPaths& paths, const std::string& instance_id) {
  if (!host_keepers_allowed()) return;
  const auto instance = world::find_instance(paths, instance_id);
  if (!instance) return;
  ensure_host_dirs(paths, instance->id);
  const SandboxPlan plan = plan_host_sandbox(paths, *instance, 0, {}, host_plumbing_from_environment());
  if (::fork() != 0) return;  // the parent (or no child): the call goes on; its server reaps the child at the end
  // Nothing of the caller's: a pipe it writes to (`ids=$(aws ec2 run-instances ...)`) must reach EOF when the
  // call ends, and a call server's sockets and descriptors are not this process's.
  ::prctl(PR_SET_NAME, kHostBootName);
  const int null = ::open("/dev/null", O_RDWR);
  for (int fd = 0; fd <= 2; ++fd) ::dup2(null, fd);
  ::close_range(3, ~0U, 0);
  sigset_t none;
  ::sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  try {
    host_keeper(paths, instance->id, plan);
  } catch (...) {  // a session starts the keeper, or reports why it cannot
  }
  ::_exit(0);
}

namespace {

constexpr std::size_t kSessionChildStack = 64 * 1024;

// What the session's child needs between clone and exec; everything in it is prepared before the clone.
struct SessionChild {
  int in_fd;
  int out_fd;
  int err_fd;
  int failure_fd;
  const std::array<int, 4>* ns_fds;
  const std::string* dir;
  const Privileges* keeper;
  pid_t parent;
  char* const* argv;
  char* const* envp;
};

// The child shares this process's memory until it execs: system calls only, no allocation, then exec or _exit.
int session_child(void* arg) {
  const auto& c = *static_cast<const SessionChild*>(arg);
  ::dup2(c.in_fd, 0);
  ::dup2(c.out_fd, 1);
  ::dup2(c.err_fd, 2);
  const char* failed = enter_host(*c.ns_fds, *c.dir, *c.keeper, c.parent);
  if (!failed) {
    ::execve(c.argv[0], c.argv, c.envp);
    failed = "execve";
  }
  const char* reason = std::strerror(errno);
  write_all(c.failure_fd, failed, std::strlen(failed));
  write_all(c.failure_fd, ": ", 2);
  write_all(c.failure_fd, reason, std::strlen(reason));
  ::_exit(127);
}

// CLONE_VM | CLONE_VFORK, as posix_spawn: no copy of this process's page tables for a child that only joins
// the keeper's namespaces and execs, and no copy-on-write faults here afterwards. This process waits until the
// child has exec'd or failed; the child runs on a stack of its own. Under ASan or TSan a plain fork: their
// runtimes keep per-thread state that a child sharing this address space would change under us (TSan turns
// vfork itself into fork).
pid_t start_session_child(SessionChild& start) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  const pid_t pid = ::fork();
  if (pid == 0) session_child(&start);
  return pid;
#else
  const auto stack = std::make_unique_for_overwrite<char[]>(kSessionChildStack);  // untouched pages: no faults
  return ::clone(session_child, stack.get() + kSessionChildStack, CLONE_VM | CLONE_VFORK | SIGCHLD, &start);
#endif
}

}  // namespace

std::optional<int> run_in_keeper(int keeper_pid, const SandboxPlan& plan, std::FILE* input,
                                 const SessionOutput& output) {
  const std::string ns_dir = "/proc/" + std::to_string(keeper_pid) + "/ns/";
  std::array<UniqueFd, 4> ns;
  std::array<int, 4> ns_fds{};
  const std::array<const char*, 4> names = {"user", "mnt", "uts", "ipc"};
  for (std::size_t i = 0; i < ns.size(); ++i) {
    ns[i] = UniqueFd(::open((ns_dir + names[i]).c_str(), O_RDONLY | O_CLOEXEC));
    if (!ns[i]) return std::nullopt;
    ns_fds[i] = ns[i].get();
  }
  const auto keeper = privileges_of(keeper_pid);
  if (!keeper) return std::nullopt;
  std::vector<std::string> env = plan.environment();
  const std::string dir = plan.working_directory();
  std::vector<std::string> argv_text = plan.command;
  std::vector<char*> argv;
  for (auto& a : argv_text) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);

  Pipe out;
  Pipe err;
  Pipe failure;  // the child reports a setup step that failed; EOF on exec means the command runs
  if (!out.open() || !err.open() || !failure.open()) return std::nullopt;
  const int in_fd = input ? ::fileno(input) : ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  SessionChild start{in_fd, out.write.get(), err.write.get(), failure.write.get(), &ns_fds,
                     &dir,  &*keeper,        ::getpid(),      argv.data(),         envp.data()};
  const pid_t pid = start_session_child(start);
  if (pid < 0) return std::nullopt;
  if (!input) ::close(in_fd);
  out.write.reset();
  err.write.reset();
  failure.write.reset();
  const std::string failed = read_all_from(failure.read.get());
  if (!failed.empty()) {
    int ignored = 0;
    ::waitpid(pid, &ignored, 0);
    return std::nullopt;  // nothing ran: the caller starts a bwrap of its own
  }
  pump_output(out.read.get(), err.read.get(), output);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return remote_exit_status(status);
}

namespace {

// A session in a bubblewrap of its own, streaming output; the remote status, or 255 if bwrap failed.
int run_in_bwrap(Call& call, const SandboxPlan& plan, std::FILE* input, const SessionOutput& output) {
  constexpr int kSshFailure = 255;
  Pipe status;  // bwrap's --json-status-fd: whether the remote process started at all
  if (!status.open() || ::fcntl(status.write.get(), F_SETFD, 0) != 0) {
    call.err("ssh: can't create a pipe for the host sandbox: " + errno_message() + "\n");
    return kSshFailure;
  }
  auto argv = plan.bwrap_argv();
  argv.insert(argv.begin() + 1, {"--json-status-fd", std::to_string(status.write.get())});
  bp::pipe out_pipe;
  bp::pipe err_pipe;
  std::error_code ec;
  const std::string exe = argv.front();
  argv.erase(argv.begin());
  bp::child child = input ? bp::child(bp::exe = exe, bp::args = argv, bp::std_in<input, bp::std_out> out_pipe,
                                      bp::std_err > err_pipe, ec)
                          : bp::child(bp::exe = exe, bp::args = argv, bp::std_in<bp::null, bp::std_out> out_pipe,
                                      bp::std_err > err_pipe, ec);
  status.write.reset();
  if (ec) {
    call.err("ssh: can't start the host sandbox (" + exe + "): " + ec.message() + "\n");
    return kSshFailure;
  }
  pump_output(out_pipe.native_source(), err_pipe.native_source(), output);
  child.wait(ec);
  const int code = remote_exit_status(child.native_exit_code());
  if (read_all_from(status.read.get()).find("child-pid") == std::string::npos) {
    call.err("ssh: the host sandbox failed to start (bwrap exit " + std::to_string(code) + ")\n");
    return kSshFailure;
  }
  return code;
}

}  // namespace

int run_host_session(Call& call, const RunPaths& paths, const std::string& instance_id, const SandboxPlan& plan,
                     std::FILE* input, const SessionOutput& output) {
  if (host_keepers_allowed()) {
    if (const auto keeper = host_keeper(paths, instance_id, plan)) {
      if (const auto status = run_in_keeper(*keeper, plan, input, output)) return *status;
    }
  }
  return run_in_bwrap(call, plan, input, output);
}

void run_host_keeper() {
  const std::string ready = "ready " + std::to_string(::getpid()) + "\n";
  [[maybe_unused]] const auto n = ::write(1, ready.data(), ready.size());
  const int null = ::open("/dev/null", O_WRONLY);
  ::dup2(null, 1);  // EOF for the ssh call that started us
  for (;;) ::pause();
}

}  // namespace spotcheck::fakes
