// The run's call server: takes a call from spotcheck-call, runs it as the fake would in the client's place
// (its argv, environment, working directory and descriptors), and answers with how it ended.
#include "call_server.hpp"

#include <fcntl.h>
#include <poll.h>
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
  if (tool == "date" || tool == "sleep") return true;  // the virtual clock: nothing to wait for
  if (tool != "aws") return false;
  for (const auto& a : argv) {
    // stdin, or a file that may be a pipe fed by another call (`file://<(...)`, /dev/stdin)
    if (a == "-" || starts_with(a, "file://") || starts_with(a, "fileb://") || a.find("/dev/") != std::string::npos ||
        a.find("/proc/") != std::string::npos)
      return false;
    if (a == "send-command") return false;  // a Run Command step runs on its host, in processes
    // a named pipe or a device given as a local file (`aws s3 cp ./fifo s3://...`), also as --option=value
    const std::string path = a.rfind("--", 0) == 0 && a.find('=') != std::string::npos ? a.substr(a.find('=') + 1) : a;
    struct stat st {};
    if (!path.empty() && ::fstatat(cwd, path.c_str(), &st, 0) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
      return false;
  }
  return true;
}

struct CallServer::Request {
  int connection = -1;
  int cwd = -1;
  std::vector<std::pair<int, int>> fds;  // (the client's number, ours)
  int process_group = 0;
  mode_t umask = 022;
  std::uint64_t ignored_signals = 0;
  std::uint64_t blocked_signals = 0;
  std::vector<std::string> argv;
  std::vector<std::string> env;

  ~Request() {
    close_fd(cwd);
    for (auto& [number, fd] : fds) close_fd(fd);
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
};

CallServer::CallServer(std::filesystem::path socket, const RunPaths& paths) : socket_(std::move(socket)) {
  try {
    has_rules_ = !load_rules(paths.rules()).empty();
  } catch (const std::exception&) {
    has_rules_ = true;  // a bad rules file: every call reports it, in a process of its own
  }
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
  for (auto& call : running_) {
    ::kill(-call.pid, SIGKILL);
    ::waitpid(call.pid, nullptr, 0);
    close_fd(call.pidfd);
    close_fd(call.connection);
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
        ::kill(-call.pid, sig);
      } else if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
        ::kill(-call.pid, SIGKILL);  // the client was killed: so is a process running the fake
        close_fd(call.connection);
      }
    }
    if (polled[2 + 2 * i].revents != 0) {
      end_call(call);
      running_.erase(running_.begin() + static_cast<long>(i));
    }
  }
  if (polled[0].revents != 0) {
    for (int connection; (connection = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC)) >= 0;)
      take_call(own_fd(connection));
  }
  return wake >= 0 && polled[1].revents != 0;
}

void CallServer::take_call(int connection) {
  Request request;
  request.connection = connection;
  const timeval limit{10, 0};  // a client stopped half-way must not stall the run's other calls for good
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
  // A call from another mount namespace (a spot host's) must run there: its client runs the fake itself.
  ucred peer{};
  socklen_t size = sizeof peer;
  if (::getsockopt(connection, SOL_SOCKET, SO_PEERCRED, &peer, &size) != 0 ||
      mount_namespace("/proc/" + std::to_string(peer.pid)) != own_mount_ns_ || request.argv.size() != header.argc) {
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
  std::vector<char*> env;
  char** const own_environ = environ;
  request.take_place(env);
  const mode_t own_umask = ::umask(request.umask);
  int exit = 255;
  try {
    exit = run_tool_call(request.argv, request.process_group);
  } catch (...) {  // run_tool_call reports what derives from std::exception; anything else ends the call, not the run
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
  sigset_t pipe;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  const timespec now{0, 0};
  const std::uint64_t pipe_bit = 1ULL << (SIGPIPE - 1);
  const bool dies_of_sigpipe = ((request.ignored_signals | request.blocked_signals) & pipe_bit) == 0;
  if (::sigtimedwait(&pipe, nullptr, &now) == SIGPIPE && dies_of_sigpipe)  // consumed either way
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
    ::setpgid(0, 0);  // a signal passed on reaches the call and what it started, as a group signal would
    // The client's signal dispositions and mask, and its umask, as a process it exec'd would have them.
    sigset_t mask;
    sigemptyset(&mask);
    for (int sig = 1; sig <= 64 && sig < NSIG; ++sig) {
      if ((request.blocked_signals >> (sig - 1)) & 1U) sigaddset(&mask, sig);
      if ((request.ignored_signals >> (sig - 1)) & 1U) ::signal(sig, SIG_IGN);
    }
    ::sigprocmask(SIG_SETMASK, &mask, nullptr);
    ::umask(request.umask);
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
  ::setpgid(pid, pid);
  const int pidfd = watch_process(pid);
  if (pidfd < 0) {  // cannot watch it: wait for it here
    int status = 0;
    ::waitpid(pid, &status, 0);
    reply(request.connection, WIFSIGNALED(status) ? CALL_SIGNALED : CALL_EXITED,
          WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
    close_fd(request.connection);
    return;
  }
  running_.push_back({pid, pidfd, request.connection});
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
