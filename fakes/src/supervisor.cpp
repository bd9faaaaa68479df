// The launcher's supervisor: runs it, then records which processes of the dispatcher outlived it.
#include "supervisor.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "shims/host_session.hpp"
#include "spotcheck/fakes/context.hpp"

namespace spotcheck::fakes {
namespace {

namespace fs = std::filesystem;

// How long a process that is on its way out (killed by the launcher's cleanup, not yet reaped) may take
// before it counts as left behind.
constexpr auto kGrace = std::chrono::milliseconds(200);
constexpr auto kPoll = std::chrono::milliseconds(5);

std::string read_all(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// "PID COMMAND LINE" of each live process in this pid namespace other than its init and this one; the
// spot hosts' sessions and keepers (their own pid namespaces, and the bwrap that holds one) are the World's.
std::vector<std::string> left_behind() {
  std::vector<std::string> out;
  const std::string own_ns = fs::read_symlink("/proc/self/ns/pid").string();
  const pid_t self = ::getpid();
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    const pid_t pid = std::stoi(name);
    if (pid == 1 || pid == self) continue;
    std::error_code gone;
    if (fs::read_symlink(entry.path() / "ns" / "pid", gone).string() != own_ns || gone) continue;
    const std::string stat = read_all(entry.path() / "stat");  // "PID (COMM) STATE ..."
    const auto close = stat.rfind(')');
    if (close == std::string::npos || close + 2 >= stat.size()) continue;  // gone meanwhile
    if (stat[close + 2] == 'Z' || stat[close + 2] == 'X') continue;        // dead, not yet reaped
    const std::string comm = stat.substr(stat.find('(') + 1, close - stat.find('(') - 1);
    if (comm == "bwrap") continue;  // a spot host's sandbox
    std::string cmdline = read_all(entry.path() / "cmdline");
    for (char& c : cmdline)
      if (c == '\0') c = ' ';
    while (!cmdline.empty() && cmdline.back() == ' ') cmdline.pop_back();
    if (cmdline.ends_with(std::string(" ") + kHostKeeperFlag)) continue;  // a spot host, kept for its sessions
    out.push_back(fmt::format("{} {}", pid, cmdline.empty() ? "[" + comm + "]" : cmdline));
  }
  return out;
}

}  // namespace

int supervise(int argc, char** argv) {
  if (argc < 1) {
    fmt::print(stderr, "spotcheck-fake: {}: expected LAUNCHER [ARGS...]\n", kSuperviseFlag);
    return 2;
  }
  const pid_t child = ::fork();
  if (child < 0) {
    fmt::print(stderr, "spotcheck-fake: can't start {}: {}\n", argv[0], std::strerror(errno));
    return 127;
  }
  if (child == 0) {
    ::setsid();  // the launcher leads its session and process group, as under bwrap --new-session
    ::execv(argv[0], argv);
    fmt::print(stderr, "spotcheck-fake: can't run {}: {}\n", argv[0], std::strerror(errno));
    ::_exit(127);
  }
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  const int exit = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
  std::vector<std::string> survivors = left_behind();
  for (const auto deadline = std::chrono::steady_clock::now() + kGrace;
       !survivors.empty() && std::chrono::steady_clock::now() < deadline; survivors = left_behind()) {
    while (::waitpid(-1, nullptr, WNOHANG) > 0) {  // orphans of ours, if the kernel made us their reaper
    }
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
