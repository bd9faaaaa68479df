// The launcher's supervisor: runs it, then records which processes of the dispatcher outlived it.
#include "supervisor.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "call_server.hpp"
#include "shims/host_session.hpp"
#include "spotcheck/fakes/call_protocol.h"
#include "spotcheck/fakes/context.hpp"
#include "spotcheck/file_io.hpp"

namespace spotcheck::fakes {
namespace {

namespace fs = std::filesystem;

// How long a process that is on its way out (killed by the launcher's cleanup, not yet reaped) may take
// before it counts as left behind.
constexpr auto kGrace = std::chrono::milliseconds(200);
constexpr auto kPoll = std::chrono::milliseconds(5);

// A /proc file of a process that may end meanwhile: "" once it is gone (a read of it then fails with ESRCH).
std::string read_all(const fs::path& file) {
  return read_file_bytes(file).value_or("");
}

// "PID COMMAND LINE" of each live process in this pid namespace other than its init and this one; the
// spot hosts' sessions and keepers (their own pid namespaces, and the bwrap that holds one) are the World's.
std::vector<std::string> left_behind(const CallServer* server) {
  std::vector<std::string> out;
  const std::string own_ns = fs::read_symlink("/proc/self/ns/pid").string();
  const pid_t self = ::getpid();
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    const pid_t pid = std::stoi(name);
    if (pid == 1 || pid == self || (server != nullptr && server->runs_call(pid))) continue;
    std::error_code gone;
    if (fs::read_symlink(entry.path() / "ns" / "pid", gone).string() != own_ns || gone) continue;
    const std::string stat = read_all(entry.path() / "stat");  // "PID (COMM) STATE ..."
    const auto close = stat.rfind(')');
    if (close == std::string::npos || close + 2 >= stat.size()) continue;  // gone meanwhile
    if (stat[close + 2] == 'Z' || stat[close + 2] == 'X') continue;        // dead, not yet reaped
    const std::string comm = stat.substr(stat.find('(') + 1, close - stat.find('(') - 1);
    if (comm == "bwrap" || comm == kHostBootName) continue;  // a spot host's sandbox, or one booting
    std::string cmdline = read_all(entry.path() / "cmdline");
    for (char& c : cmdline)
      if (c == '\0') c = ' ';
    while (!cmdline.empty() && cmdline.back() == ' ') cmdline.pop_back();
    if (cmdline.ends_with(std::string(" ") + kHostKeeperFlag)) continue;  // a spot host, kept for its sessions
    out.push_back(fmt::format("{} {}", pid, cmdline.empty() ? "[" + comm + "]" : cmdline));
  }
  return out;
}

// The run's call server, when there is a run directory to serve in; without one each call runs the fake.
void start_call_server(std::optional<CallServer>& server) {
  const char* root = std::getenv(kEnvRoot);
  if (root == nullptr || *root == '\0') return;
  const RunPaths paths{root};
  try {
    server.emplace(call_socket(paths), paths);
    ::setenv(SPOTCHECK_CALL_SOCKET_ENV, call_socket(paths).c_str(), 1);
  } catch (const std::exception& e) {
    fmt::print(stderr, "spotcheck-fake: {}: every call starts the fake: {}\n", kSuperviseFlag, e.what());
  }
}

// Serves calls until the launcher ends; returns its wait status.
int wait_for_launcher(pid_t launcher, CallServer* server) {
  int status = 0;
  const int pidfd = server == nullptr ? -1 : watch_process(launcher);
  if (pidfd >= 0) {
    while (!server->serve_once(-1, pidfd)) {
    }
    ::close(pidfd);
  }
  while (::waitpid(launcher, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

// Reaps children of ours that are not calls the server runs (orphans, if the kernel made us their reaper).
void reap_orphans(const CallServer* server) {
  for (siginfo_t info{}; ::waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid != 0;
       info = siginfo_t{}) {
    if (server != nullptr && server->runs_call(info.si_pid)) return;  // its end is the server's to answer
    ::waitpid(info.si_pid, nullptr, WNOHANG);
  }
}

// Waits for the harness's byte on `fd` (kReadyFdFlag); false at end of file: it gave the run up.
bool wait_until_ready(int fd) {
  char go = 0;
  ssize_t n = 0;
  while ((n = ::read(fd, &go, 1)) < 0 && errno == EINTR) {
  }
  ::close(fd);  // not the launcher's
  return n == 1;
}

}  // namespace

int supervise(int argc, char** argv) {
  if (argc >= 2 && std::string_view(argv[0]) == kReadyFdFlag) {
    const std::string_view text(argv[1]);
    int fd = -1;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), fd);
    if (error != std::errc() || end != text.data() + text.size() || fd < 0) {
      fmt::print(stderr, "spotcheck-fake: {}: {}: expected a descriptor number, got '{}'\n", kSuperviseFlag,
                 kReadyFdFlag, text);
      return 2;
    }
    if (!wait_until_ready(fd)) return 125;  // nobody is left to read what it would say
    argc -= 2;
    argv += 2;
  }
  if (argc < 1) {
    fmt::print(stderr, "spotcheck-fake: {}: expected [{} N] LAUNCHER [ARGS...]\n", kSuperviseFlag, kReadyFdFlag);
    return 2;
  }
  std::optional<CallServer> server;
  start_call_server(server);
  const pid_t child = ::fork();
  if (child < 0) {
    fmt::print(stderr, "spotcheck-fake: can't start {}: {}\n", argv[0], std::strerror(errno));
    return 127;
  }
  if (child == 0) {
    if (server) ::sigprocmask(SIG_SETMASK, &server->child_signal_mask(), nullptr);
    ::setsid();  // the launcher leads its session and process group, as under bwrap --new-session
    ::execv(argv[0], argv);
    fmt::print(stderr, "spotcheck-fake: can't run {}: {}\n", argv[0], std::strerror(errno));
    ::_exit(127);
  }
  CallServer* const calls = server ? &*server : nullptr;
  const int status = wait_for_launcher(child, calls);
  const int exit = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
  // Calls still coming (a background job's last ones) are served while what is left winds down.
  std::vector<std::string> survivors = left_behind(calls);
  for (const auto deadline = std::chrono::steady_clock::now() + kGrace;
       !survivors.empty() && std::chrono::steady_clock::now() < deadline; survivors = left_behind(calls)) {
    reap_orphans(calls);
    if (calls != nullptr)
      calls->serve_once(static_cast<int>(kPoll.count()));
    else
      std::this_thread::sleep_for(kPoll);
  }
  if (!survivors.empty()) {
    const char* root = std::getenv(kEnvRoot);
    if (root == nullptr || *root == '\0') {  // outside a run: no run directory to write into
      fmt::print(stderr, "spotcheck-fake: {}: {} unset; still running: {}\n", kSuperviseFlag, kEnvRoot,
                 fmt::join(survivors, "; "));
      return exit;
    }
    std::ofstream out(RunPaths{root}.survivors());
    for (const auto& s : survivors) out << s << "\n";
  }
  return exit;
}

}  // namespace spotcheck::fakes
