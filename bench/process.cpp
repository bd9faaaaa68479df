// spotcheck-bench plumbing: posix_spawn + waitpid (with an optional pidfd timeout), scratch dirs, files.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "bench.hpp"
#include "run_dir.hpp"

namespace spotcheck::bench {
namespace {

std::vector<char*> c_strings(std::vector<std::string>& words) {
  std::vector<char*> out;
  for (auto& w : words) out.push_back(w.data());
  out.push_back(nullptr);
  return out;
}

int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 255;
}

int wait_for(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) throw std::runtime_error(std::string("waitpid: ") + std::strerror(errno));
  return decode_status(status);
}

// Waits up to TIMEOUT for PID through a pidfd (no polling loop: the wake-up is exact). True: it ended.
bool ended_within(pid_t pid, double timeout_seconds) {
  const int fd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  if (fd < 0) return true;  // no pidfd support: fall back to an unbounded wait
  pollfd p{fd, POLLIN, 0};
  const int ready = poll(&p, 1, static_cast<int>(timeout_seconds * 1000));
  close(fd);
  return ready != 0;
}

}  // namespace

Spawner::Spawner(Command command) : command_(std::move(command)) {
  argv_ = c_strings(command_.argv);
  envp_ = c_strings(command_.env);
  posix_spawn_file_actions_init(&actions_);
  posix_spawn_file_actions_addopen(&actions_, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions_, 1, command_.stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions_, 2, command_.stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (!command_.cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions_, command_.cwd.c_str());
  posix_spawnattr_init(&attr_);
  if (command_.own_process_group) {
    posix_spawnattr_setpgroup(&attr_, 0);
    posix_spawnattr_setflags(&attr_, POSIX_SPAWN_SETPGROUP);
  }
}

Spawner::~Spawner() {
  posix_spawn_file_actions_destroy(&actions_);
  posix_spawnattr_destroy(&attr_);
}

int Spawner::run(std::optional<double> timeout_seconds) const {
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, command_.path.c_str(), &actions_, &attr_, argv_.data(), envp_.data());
  if (rc != 0) throw std::runtime_error("can't start " + command_.path + ": " + std::strerror(rc));
  if (timeout_seconds && !ended_within(pid, *timeout_seconds)) {
    kill(command_.own_process_group ? -pid : pid, SIGKILL);
    wait_for(pid);
    return 124;
  }
  return wait_for(pid);
}

double median(std::vector<double> sample) {
  if (sample.empty()) return 0;
  std::sort(sample.begin(), sample.end());
  const std::size_t mid = sample.size() / 2;
  return sample.size() % 2 ? sample[mid] : (sample[mid - 1] + sample[mid]) / 2;
}

ScratchDir::ScratchDir(const std::string& prefix) {
  // Where spotcheck makes its run directories, so the floor and the harness write to the same filesystem.
  std::string pattern = (harness::run_dir_base(std::getenv("TMPDIR")) / (prefix + ".XXXXXX")).string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("can't create a scratch dir " + pattern);
  path_ = pattern;
}

ScratchDir::~ScratchDir() {
  std::error_code ignored;
  fs::remove_all(path_, ignored);
}

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void write_text(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("can't write " + file.string());
}

std::string first_line(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

std::string tail_lines(const std::string& text, std::size_t count) {
  std::size_t pos = text.size();
  if (pos > 0 && text[pos - 1] == '\n') --pos;
  while (count-- > 0 && pos != std::string::npos && pos > 0) pos = text.rfind('\n', pos - 1);
  return pos == std::string::npos || pos == 0 ? text : text.substr(pos + 1);
}

std::string load_average() {
  std::istringstream in(read_text("/proc/loadavg"));
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return one + " " + five + " " + fifteen;
}

}  // namespace spotcheck::bench
