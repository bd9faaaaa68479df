// Internal to the fakes: the run's call server, the other side of spotcheck-call (fakes/client/). The
// dispatcher's supervisor serves the launcher's calls while it runs, so that a call costs a small musl program
// and one request instead of starting the fake (a static glibc program whose start-up alone is most of a
// short call). `spotcheck-fake --serve SOCKET` serves without a launcher: the bench and the tests use it.
#pragma once
#include <fcntl.h>
#include <signal.h>
#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

#include "spotcheck/fakes/context.hpp"

namespace spotcheck::fakes {

inline constexpr const char* kServeFlag = "--serve";  // spotcheck-fake --serve SOCKET

// Where the supervisor serves: in the run directory, named to the launcher by SPOTCHECK_CALL_SOCKET.
std::filesystem::path call_socket(const RunPaths& paths);

// A pidfd for `pid` (readable once it has ended), kept above the clients' descriptors; -1 on failure.
int watch_process(pid_t pid);

// Whether a call must run in its caller's process (the client runs the fake itself): it starts processes of its
// own (ssh, scp, sudo, timeout, `aws ssm send-command`), which must be the caller's children, in its group.
bool runs_in_callers_process(const std::vector<std::string>& argv);

// Whether a call may run inside the server, holding up every other call while it does: it reads no standard
// input and no file that could be a pipe (an argument naming, from `cwd`, anything but a regular file or a
// directory), starts and waits for no process, and no behaviour rule (which can hang a call or signal its
// caller) is in the run. Every other call runs in a forked copy of the server.
bool runs_inline(const std::vector<std::string>& argv, bool run_has_rules, int cwd = AT_FDCWD);

class CallServer {
 public:
  // Listens on `socket` (a stale socket file there is replaced); the run's rules decide which calls run inline.
  // Throws std::system_error when it cannot listen.
  CallServer(std::filesystem::path socket, const RunPaths& paths);
  ~CallServer();
  CallServer(const CallServer&) = delete;
  CallServer& operator=(const CallServer&) = delete;

  // Waits up to `timeout_ms` (-1: no limit) for a call, a signal a client passes on, or a forked call's end,
  // and deals with each. Returns true when `wake` (another descriptor to wait on, -1: none) is readable.
  bool serve_once(int timeout_ms, int wake = -1);
  // A forked copy of the server running a call: not a process the launcher left behind.
  bool runs_call(pid_t pid) const;
  // The signal mask a process started from the server's must get back (the server blocks SIGPIPE, to see
  // that an inline call wrote to a closed pipe).
  const sigset_t& child_signal_mask() const { return child_mask_; }

 private:
  struct Request;
  struct Running {
    pid_t pid;
    int pidfd;
    int connection;  // -1 once the client has hung up
    pid_t client;
  };
  void take_call(int connection);
  void run_inline(Request& request);
  void run_forked(Request& request);
  void watch(Request& request, pid_t pid);  // the call goes on in `pid`; its end answers the client
  void end_call(Running& call);

  std::filesystem::path socket_;
  bool has_rules_ = false;
  int listener_ = -1;
  int own_cwd_ = -1;
  int own_stdio_[3] = {-1, -1, -1};
  std::string own_mount_ns_;
  sigset_t child_mask_{};
  std::vector<Running> running_;
};

// spotcheck-fake --serve SOCKET: serves the run of SPOTCHECK_ROOT until SIGTERM or SIGINT.
int serve_calls(const std::string& socket);

}  // namespace spotcheck::fakes
