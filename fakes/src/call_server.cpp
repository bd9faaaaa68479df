// The run's call server: takes a call from spotcheck-call, runs it as the fake would in the client's place
// (its argv, environment, working directory and descriptors), and answers with how it ended.
#include "call_server.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <system_error>

#include "spotcheck/fakes/call_protocol.h"
#include "spotcheck/fakes/rules.hpp"
#include "spotcheck/fakes/shim.hpp"

extern char** environ;

namespace spotcheck::fakes {
namespace {

constexpr int kFirstOwnFd = SPOTCHECK_CALL_MAX_FD;  // the server's descriptors sit above the clients'

[[noreturn]] void fail(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

// Moves `fd` above the clients' range (close-on-exec), closing the original.
int own_fd(int fd) {
  if (fd < 0 || fd >= kFirstOwnFd) return fd;
  const int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, kFirstOwnFd);
  ::close(fd);
  return moved;
}

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

void reply(int connection, CallReplyKind kind, int value) {
  const CallReply answer{kind, value};
  if (::send(connection, &answer, sizeof answer, MSG_NOSIGNAL) < 0) {
    // the client is gone; nobody is left to tell
  }
}

bool starts_with(const std::string& s, std::string_view prefix) {
  return s.rfind(prefix, 0) == 0;
}

std::string mount_namespace(const std::string& proc_dir) {
  std::array<char, 64> link{};
  const ssize_t n = ::readlink((proc_dir + "/ns/mnt").c_str(), link.data(), link.size() - 1);
  return n > 0 ? std::string(link.data(), static_cast<std::size_t>(n)) : std::string();
}

}  // namespace

int watch_process(pid_t pid) {
  // glibc 2.36's <sys/pidfd.h> declares pidfd_open without C linkage: the system call itself
  return own_fd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
}

std::filesystem::path call_socket(const RunPaths& paths) {
  return paths.root / "call.sock";
}

bool runs_inline(const std::vector<std::string>& argv, bool run_has_rules, int cwd) {
  if (run_has_rules || argv.empty()) return false;
  const std::string tool = std::filesystem::path(argv[0]).filename().string();
  if (tool == "date" || tool == "sleep") return true;                // the virtual clock: nothing to wait for
  if (tool != "aws" || runs_in_callers_process(argv)) return false;  // a Run Command step runs on its host
  for (const auto& a : argv) {
    // stdin, or a file that may be a pipe fed by another call (`file://<(...)`, /dev/stdin)
    if (a == "-" || starts_with(a, "file://") || starts_with(a, "fileb://") || a.find("/dev/") != std::string::npos ||
        a.find("/proc/") != std::string::npos)
      return false;
    // a named pipe or a device given as a local file (`aws s3 cp ./fifo s3://...`), also as --option=value
    const std::string path = a.rfind("--", 0) == 0 && a.find('=') != std::string::npos ? a.substr(a.find('=') + 1) : a;
    struct stat st {};
    if (!path.empty() && ::fstatat(cwd, path.c_str(), &st, 0) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
      return false;
  }
  return true;
}

bool runs_in_callers_process(const std::vector<std::string>& argv) {
  if (argv.empty()) return false;
  const ShimEntry* shim = find_shim(std::filesystem::path(argv[0]).filename().string());
  if (shim != nullptr && shim->starts_processes) return true;
  // `aws ssm send-command` runs its step on the host, in processes of the call's own
  return shim != nullptr && shim->name == "aws" && std::find(argv.begin(), argv.end(), "send-command") != argv.end();
}

struct CallServer::Request {
  int connection = -1;
  pid_t client = 0;
  int cwd = -1;
  std::vector<std::pair<int, int>> fds;  // (the client's number, ours)
  int process_group = 0;
  mode_t umask = 022;
  std::uint64_t ignored_signals = 0;
  std::uint64_t blocked_signals = 0;
  std::vector<std::string> argv;
  std::vector<std::string> env;

  Request() = default;
  Request(const Request&) = delete;
  Request& operator=(const Request&) = delete;
  ~Request() {
    close_fd(cwd);
    for (auto& [number, fd] : fds) close_fd(fd);
  }
  bool ignores(int sig) const { return ((ignored_signals | blocked_signals) >> (sig - 1)) & 1U; }
  int descriptor(int number) const {  // ours for the client's `number`; -1 when it had none
    for (const auto& [n, fd] : fds)
      if (n == number) return fd;
    return -1;
  }
  // This process's descriptors below the server's become the client's, its working directory and environment
  // too. `env_pointers` must outlive the call.
  void take_place(std::vector<char*>& env_pointers) const {
    ::close_range(0, kFirstOwnFd - 1, 0);
    for (const auto& [number, fd] : fds) ::dup2(fd, number);
    if (::fchdir(cwd) != 0) {
      // the client's directory is gone; the fake's current_dir() reports "?" as it would
    }
    env_pointers.clear();
    for (const auto& e : env) env_pointers.push_back(const_cast<char*>(e.c_str()));
    env_pointers.push_back(nullptr);
    environ = env_pointers.data();
  }
  // The client's signal dispositions and mask and its umask, as a process it exec'd would start with them.
  void take_signals_and_umask() const {
    sigset_t mask;
    sigemptyset(&mask);
    for (int sig = 1; sig <= 64 && sig < NSIG; ++sig) {
      if ((blocked_signals >> (sig - 1)) & 1U) sigaddset(&mask, sig);
      if ((ignored_signals >> (sig - 1)) & 1U) ::signal(sig, SIG_IGN);
    }
    ::sigprocmask(SIG_SETMASK, &mask, nullptr);
    ::umask(umask);
  }
};

// An inline call's output to a pipe or a socket, held in memory while the call runs and written out without
// waiting after it: a write that waits for a reader could wait for a call the server has yet to take
// (`aws ... | date`, with more output than the pipe holds). What the pipe has no room for is left to a forked
// writer (`rest()`), which may wait.
class CapturedOutput {
 public:
  // After Request::take_place: `out` and `err` are the client's descriptors 1 and 2 (ours; -1: none). When both
  // are one pipe, one capture takes both, which keeps their order.
  CapturedOutput(int out, int err) {
    struct stat first {};
    for (const auto& [number, target] : {std::pair{1, out}, std::pair{2, err}}) {
      struct stat st {};
      if (target < 0 || ::fstat(target, &st) != 0 || !(S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode))) continue;
      if (number == 2 && !captures_.empty() && st.st_dev == first.st_dev && st.st_ino == first.st_ino) {
        ::dup2(captures_[0].memory, 2);
        continue;
      }
      const int memory = own_fd(::memfd_create("spotcheck-call-output", MFD_CLOEXEC));
      if (memory < 0) continue;  // written straight through
      ::dup2(memory, number);
      captures_.push_back({target, memory, S_ISFIFO(st.st_mode), {}, 0});
      first = st;
    }
  }
  ~CapturedOutput() {
    for (auto& c : captures_) close_fd(c.memory);
  }
  CapturedOutput(const CapturedOutput&) = delete;
  CapturedOutput& operator=(const CapturedOutput&) = delete;

  // Writes what each pipe has room for now, in order; false when something is left for rest(). A closed pipe
  // (EPIPE, SIGPIPE left pending) ends the writing when the caller dies of SIGPIPE.
  bool write_what_fits(bool dies_of_sigpipe) {
    for (auto& c : captures_) {
      c.bytes = read_back(c.memory);
      if (c.bytes.empty()) continue;
      // A description of the pipe of our own, non-blocking; the caller's keeps its flags.
      const int writer =
          c.pipe
              ? own_fd(::open(("/proc/self/fd/" + std::to_string(c.target)).c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC))
              : -1;
      if (writer < 0) return false;  // a socket, or a pipe nobody reads (ENXIO): the forked writer finds out
      const int error = write_out(writer, c);
      ::close(writer);
      if (c.written < c.bytes.size()) {
        if (error == EPIPE) {
          if (dies_of_sigpipe) return true;
          continue;
        }
        return false;
      }
    }
    return true;
  }
  // In a forked writer: what write_what_fits left, written as the fake would (blocking; SIGPIPE as it falls).
  void write_rest() {
    for (auto& c : captures_) {
      if (c.bytes.empty() && c.written == 0) c.bytes = read_back(c.memory);
      write_out(c.target, c);
    }
  }

 private:
  struct Capture {
    int target;  // the client's descriptor (ours, above the clients' range)
    int memory;
    bool pipe;
    std::string bytes;
    std::size_t written;
  };
  // Writes what is left of `c` to `fd`, as far as it goes; errno of the write that stopped short, 0 if none did.
  static int write_out(int fd, Capture& c) {
    while (c.written < c.bytes.size()) {
      const ssize_t n = ::write(fd, c.bytes.data() + c.written, c.bytes.size() - c.written);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return n < 0 ? errno : EAGAIN;
      c.written += static_cast<std::size_t>(n);
    }
    return 0;
  }
  static std::string read_back(int memory) {
    std::string bytes;
    const off_t size = ::lseek(memory, 0, SEEK_END);
    if (size <= 0) return bytes;
    bytes.resize(static_cast<std::size_t>(size));
    const ssize_t n = ::pread(memory, bytes.data(), bytes.size(), 0);
    bytes.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
    return bytes;
  }
  std::vector<Capture> captures_;
};

CallServer::CallServer(std::filesystem::path socket, const RunPaths& paths) : socket_(std::move(socket)) {
  try {
    has_rules_ = !load_rules(paths.rules()).empty();
  } catch (const std::exception&) {
    has_rules_ = true;  // a bad rules file: every call reports it, in a process of its own
  }
  // A forked call's end is watched through a pidfd (Linux 5.3): without them, no server (every call runs the fake).
  if (int probe = watch_process(::getpid()); probe >= 0)
    close_fd(probe);
  else
    fail("can't watch processes with pidfd_open");
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (socket_.string().size() >= sizeof address.sun_path) {
    errno = ENAMETOOLONG;
    fail("can't serve calls on " + socket_.string());
  }
  std::strcpy(address.sun_path, socket_.c_str());
  ::unlink(socket_.c_str());
  listener_ = own_fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(listener_, 64) != 0) {
    const int error = errno;
    close_fd(listener_);
    errno = error;
    fail("can't serve calls on " + socket_.string());
  }
  own_cwd_ = own_fd(::open(".", O_PATH | O_DIRECTORY | O_CLOEXEC));
  for (int i = 0; i < 3; ++i) own_stdio_[i] = ::fcntl(i, F_DUPFD_CLOEXEC, kFirstOwnFd);
  own_mount_ns_ = mount_namespace("/proc/self");
  // SIGPIPE blocked, not ignored: an inline call that writes to a closed pipe leaves it pending, and its
  // client then dies of it as a process running the fake would have.
  sigset_t pipe;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  ::sigprocmask(SIG_BLOCK, &pipe, &child_mask_);
}

CallServer::~CallServer() {
  // What is still running or waiting now ends with the run, as the run's pid namespace would end it; its client
  // first, so that it does not report a server gone away.
  for (auto& call : running_) {
    if (call.client > 0) ::kill(call.client, SIGKILL);
    ::kill(call.pid, SIGKILL);
    ::waitpid(call.pid, nullptr, 0);
    close_fd(call.pidfd);
    close_fd(call.connection);
  }
  for (int connection; (connection = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC)) >= 0;) {
    ucred peer{};
    socklen_t size = sizeof peer;
    if (::getsockopt(connection, SOL_SOCKET, SO_PEERCRED, &peer, &size) == 0 && peer.pid > 0) ::kill(peer.pid, SIGKILL);
    ::close(connection);
  }
  close_fd(listener_);
  ::unlink(socket_.c_str());
  close_fd(own_cwd_);
  for (int& fd : own_stdio_) close_fd(fd);
  ::sigprocmask(SIG_SETMASK, &child_mask_, nullptr);
}

bool CallServer::runs_call(pid_t pid) const {
  return std::any_of(running_.begin(), running_.end(), [pid](const Running& r) { return r.pid == pid; });
}

bool CallServer::serve_once(int timeout_ms, int wake) {
  std::vector<pollfd> polled = {{listener_, POLLIN, 0}, {wake, POLLIN, 0}};
  for (const auto& call : running_) {
    polled.push_back({call.pidfd, POLLIN, 0});
    polled.push_back({call.connection, POLLIN, 0});  // -1 (hung up): poll skips it
  }
  if (::poll(polled.data(), polled.size(), timeout_ms) < 0) return false;  // EINTR: the caller polls again
  // Signals passed on and calls ended, before new calls: a finished call's slot is freed first.
  for (std::size_t i = running_.size(); i-- > 0;) {
    Running& call = running_[i];
    if (polled[2 + 2 * i + 1].revents != 0) {
      std::int32_t sig = 0;
      const ssize_t n = ::recv(call.connection, &sig, sizeof sig, MSG_DONTWAIT);
      if (n == sizeof sig && sig > 0 && sig < NSIG) {
        ::kill(call.pid, sig);  // the call, as the process running the fake was sent it
      } else if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
        ::kill(call.pid, SIGKILL);  // the client was killed: so is a process running the fake
        close_fd(call.connection);
      }
    }
    if (polled[2 + 2 * i].revents != 0) {
      end_call(call);
      running_.erase(running_.begin() + static_cast<long>(i));
    }
  }
  if (polled[0].revents != 0) {
    for (int connection; (connection = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC)) >= 0;) {
      const int ours = own_fd(connection);
      if (ours < 0) {  // no descriptor to spare: the client, seeing no answer, reports it
        ::close(connection);
        break;
      }
      take_call(ours);
    }
  }
  return wake >= 0 && polled[1].revents != 0;
}

void CallServer::take_call(int connection) {
  Request request;
  request.connection = connection;
  const timeval limit{5, 0};  // a client stopped half-way must not stall the run's other calls for good
  ::setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  CallRequestHeader header{};
  alignas(cmsghdr) std::array<char, CMSG_SPACE(sizeof(int) * (SPOTCHECK_CALL_MAX_FDS + 1))> control{};
  iovec iov{&header, sizeof header};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control.data();
  msg.msg_controllen = control.size();
  const ssize_t n = ::recvmsg(connection, &msg, MSG_CMSG_CLOEXEC | MSG_WAITALL);
  std::vector<int> received;
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
    const std::size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (std::size_t i = 0; i < count; ++i) {
      int fd = -1;
      std::memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
      received.push_back(own_fd(fd));
    }
  }
  if (!received.empty()) request.cwd = received.front();
  const bool whole = n == static_cast<ssize_t>(sizeof header) && header.magic == SPOTCHECK_CALL_MAGIC &&
                     header.nfds <= SPOTCHECK_CALL_MAX_FDS && received.size() == header.nfds + 1 && header.argc > 0;
  for (std::size_t i = 1; i < received.size(); ++i)
    request.fds.emplace_back(whole && header.fd_numbers[i - 1] < kFirstOwnFd ? header.fd_numbers[i - 1] : -1,
                             received[i]);
  std::string strings(whole ? header.strings_size : 0, '\0');
  const bool read_all =
      whole && ::recv(connection, strings.data(), strings.size(), MSG_WAITALL) == static_cast<ssize_t>(strings.size());
  if (!read_all || std::any_of(request.fds.begin(), request.fds.end(), [](const auto& f) { return f.first < 0; })) {
    close_fd(request.connection);  // not a whole request: the client reports a server that went away
    return;
  }
  std::size_t at = 0;
  for (std::uint32_t i = 0; i < header.argc + header.envc && at < strings.size(); ++i) {
    const std::size_t end = strings.find('\0', at);
    (i < header.argc ? request.argv : request.env).push_back(strings.substr(at, end - at));
    at = end == std::string::npos ? strings.size() : end + 1;
  }
  request.process_group = header.process_group;
  request.umask = static_cast<mode_t>(header.umask & 07777);
  request.ignored_signals = header.ignored_signals;
  request.blocked_signals = header.blocked_signals;
  ucred peer{};
  socklen_t size = sizeof peer;
  const bool peer_known = ::getsockopt(connection, SOL_SOCKET, SO_PEERCRED, &peer, &size) == 0;
  request.client = peer_known ? peer.pid : 0;
  // The client runs the fake itself for a call from another mount namespace (a spot host's, which must run
  // there), for one that starts processes (they must be the caller's), and when we lost one of its descriptors.
  const bool lost_descriptor = request.cwd < 0 || std::any_of(request.fds.begin(), request.fds.end(),
                                                              [](const auto& f) { return f.second < 0; });
  if (!peer_known || mount_namespace("/proc/" + std::to_string(peer.pid)) != own_mount_ns_ ||
      request.argv.size() != header.argc || lost_descriptor || runs_in_callers_process(request.argv)) {
    reply(connection, CALL_RUN_FAKE, 0);
    close_fd(request.connection);
    return;
  }
  if (runs_inline(request.argv, has_rules_, request.cwd))
    run_inline(request);
  else
    run_forked(request);
}

void CallServer::run_inline(Request& request) {
  sigset_t pipe;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  const timespec now{0, 0};
  while (::sigtimedwait(&pipe, nullptr, &now) == SIGPIPE) {  // not this call's
  }
  std::vector<char*> env;
  char** const own_environ = environ;
  request.take_place(env);
  const mode_t own_umask = ::umask(request.umask);
  int exit = 255;
  {
    CapturedOutput output(request.descriptor(1), request.descriptor(2));
    try {
      exit = run_tool_call(request.argv, request.process_group);
    } catch (...) {  // run_tool_call reports what derives from std::exception; anything else ends the call
      std::fprintf(stderr, "spotcheck-fake: error: the call ended with an unknown exception\n");
    }
    std::fflush(nullptr);
    std::clearerr(stdout);  // a closed pipe's error stays the call's, not the next one's
    std::clearerr(stderr);
    ::umask(own_umask);
    environ = own_environ;
    ::close_range(0, kFirstOwnFd - 1, 0);
    for (int i = 0; i < 3; ++i) ::dup2(own_stdio_[i], i);
    if (::fchdir(own_cwd_) != 0) {
      // the server's own directory cannot go: it is the run's
    }
    const bool dies_of_sigpipe = !request.ignores(SIGPIPE);
    if (!output.write_what_fits(dies_of_sigpipe)) {
      // A pipe without room: a forked writer waits for its reader and ends as the call would have.
      if (const pid_t writer = ::fork(); writer == 0) {
        request.take_signals_and_umask();
        output.write_rest();
        ::_exit(exit & 0xff);
      } else if (writer > 0) {
        watch(request, writer);
        return;
      }
      output.write_rest();  // no process to spare: written here, which may wait
    }
  }
  if (::sigtimedwait(&pipe, nullptr, &now) == SIGPIPE && !request.ignores(SIGPIPE))  // consumed either way
    reply(request.connection, CALL_SIGNALED, SIGPIPE);
  else
    reply(request.connection, CALL_EXITED, exit & 0xff);
  close_fd(request.connection);
}

void CallServer::run_forked(Request& request) {
  const pid_t pid = ::fork();
  if (pid < 0) {
    reply(request.connection, CALL_RUN_FAKE, 0);  // no process to spare: the client starts the fake itself
    close_fd(request.connection);
    return;
  }
  if (pid == 0) {
    request.take_signals_and_umask();
    std::vector<char*> env;
    request.take_place(env);
    ::close_range(kFirstOwnFd, UINT_MAX, 0);
    int exit = 255;
    try {
      exit = run_tool_call(request.argv, request.process_group);
    } catch (...) {
      std::fprintf(stderr, "spotcheck-fake: error: the call ended with an unknown exception\n");
    }
    std::fflush(nullptr);
    ::_exit(exit & 0xff);
  }
  watch(request, pid);
}

void CallServer::watch(Request& request, pid_t pid) {
  const int pidfd = watch_process(pid);
  if (pidfd < 0) {  // no descriptor to spare (the constructor checked pidfds work): the call ends with the run
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    reply(request.connection, CALL_SIGNALED, SIGKILL);
    close_fd(request.connection);
    return;
  }
  running_.push_back({pid, pidfd, request.connection, request.client});
  request.connection = -1;
}

void CallServer::end_call(Running& call) {
  int status = 0;
  while (::waitpid(call.pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (call.connection >= 0)
    reply(call.connection, WIFSIGNALED(status) ? CALL_SIGNALED : CALL_EXITED,
          WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
  close_fd(call.connection);
  close_fd(call.pidfd);
}

int serve_calls(const std::string& socket) {
  try {
    CallServer server(socket, context_from_env().paths);
    // Blocked after the server took its copy of the signal mask, which the calls it forks get back.
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    ::sigprocmask(SIG_BLOCK, &stop, nullptr);
    const int stop_fd = own_fd(::signalfd(-1, &stop, SFD_CLOEXEC));
    while (!server.serve_once(-1, stop_fd)) {
    }
    signalfd_siginfo taken{};  // consumed, or it would end this process once the server unblocks it
    if (::read(stop_fd, &taken, sizeof taken) < 0) {
      // nothing to consume: poll said it was there
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "spotcheck-fake: %s: %s\n", kServeFlag, e.what());
    return 1;
  }
  return 0;
}

}  // namespace spotcheck::fakes
