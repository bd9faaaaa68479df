// ssh shim: reaches a simulated spot host and runs the remote command in that host's nested sandbox.
#include "shims/ssh.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include <boost/process.hpp>

#include "shims/ssh_options.hpp"
#include "spotcheck/fakes/shim.hpp"

namespace spotcheck::fakes {
namespace bp = boost::process;
namespace {

constexpr int kSshPort = 22;
constexpr int kSshFailure = 255;  // ssh's own errors (connect, auth, usage) exit 255
constexpr const char* kRemoteUser = "ec2-user";
constexpr const char* kRemoteHome = "/home/ec2-user";

bool is_ip_address(const std::string& host) {
  unsigned char buf[16];
  return ::inet_pton(AF_INET, host.c_str(), buf) == 1 || ::inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

std::string lowercase(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string connect_error(const std::string& host, int port, const std::string& reason) {
  return "ssh: connect to host " + host + " port " + std::to_string(port) + ": " + reason;
}

}  // namespace

// ---- reachability ---------------------------------------------------------------------------

Reachability reach_host(const RunPaths& paths, const std::string& host, int port, long connect_timeout) {
  Reachability result;
  const std::string shown = lowercase(host);
  const auto instance = find_instance(paths, host);
  if (!instance) {
    if (!is_ip_address(host)) {
      result.error = "ssh: Could not resolve hostname " + shown + ": Name or service not known";
      return result;
    }
    result.error = connect_error(shown, port, "Connection timed out");  // nobody at that address
    result.waited = static_cast<double>(connect_timeout);
  } else {
    const double now = virtual_now(paths);
    const std::string state = state_at(*instance, now);
    if (state == "terminated") {
      result.error = connect_error(shown, port, "Connection timed out");  // the address is gone
      result.waited = static_cast<double>(connect_timeout);
    } else if (state != "running" || now < instance->ssh_ready_at || port != kSshPort) {
      result.error = connect_error(shown, port, "Connection refused");  // booting, stopping, or no sshd there
    } else {
      result.instance = instance;
    }
  }
  if (result.waited > 0) advance_clock(paths, result.waited);
  return result;
}

// ---- the host's files -----------------------------------------------------------------------

std::filesystem::path host_home(const RunPaths& paths, const std::string& instance_id) {
  return paths.host_dir(instance_id) / "home" / kRemoteUser;
}

std::filesystem::path host_tmp(const RunPaths& paths, const std::string& instance_id) {
  return paths.host_dir(instance_id) / "tmp";
}

void ensure_host_dirs(const RunPaths& paths, const std::string& instance_id) {
  std::filesystem::create_directories(host_home(paths, instance_id));
  std::filesystem::create_directories(host_tmp(paths, instance_id));
  // A real /tmp is world-writable and sticky; bash heredocs and mktemp expect that.
  std::filesystem::permissions(host_tmp(paths, instance_id), std::filesystem::perms::all |
                                                                 std::filesystem::perms::sticky_bit);
}

// ---- the nested sandbox plan ----------------------------------------------------------------

std::string host_name_of(const Instance& instance) {
  std::string ip = instance.private_ip.empty() ? "10.0.0.1" : instance.private_ip;
  std::replace(ip.begin(), ip.end(), '.', '-');
  return "ip-" + ip;
}

HostSandboxPlan plan_host_sandbox(const RunPaths& paths, const Instance& instance, std::int64_t parent_seq,
                                  std::vector<std::string> command) {
  const std::string root = paths.root.string();
  HostSandboxPlan plan;
  auto op = [&plan](std::string flag, std::vector<std::string> args = {}) {
    plan.ops.push_back({std::move(flag), std::move(args)});
  };
  // The outer sandbox's view (fakes bound over real tools, its /proc) is inherited read-only.
  op("--ro-bind", {"/", "/"});
  op("--dev-bind", {"/dev", "/dev"});
  op("--tmpfs", {"/home"});
  op("--bind", {host_home(paths, instance.id).string(), kRemoteHome});
  op("--bind", {host_tmp(paths, instance.id).string(), "/tmp"});
  op("--bind", {root, root});  // after /tmp: in unit tests the run root itself lives under /tmp
  op("--unshare-user");
  op("--unshare-ipc");
  op("--unshare-uts");
  op("--hostname", {host_name_of(instance)});
  op("--die-with-parent");
  op("--chdir", {kRemoteHome});
  op("--clearenv");
  const std::vector<std::pair<std::string, std::string>> env = {
      {"HOME", kRemoteHome}, {"USER", kRemoteUser}, {"LOGNAME", kRemoteUser}, {"SHELL", "/bin/bash"},
      {"PATH", paths.shims().string() + ":/usr/local/bin:/usr/bin:/bin"},
      {"LANG", "C.UTF-8"}, {kEnvRoot, root}, {kEnvHost, instance.id}, {kEnvParent, std::to_string(parent_seq)}};
  for (const auto& [name, value] : env) op("--setenv", {name, value});
  // Harness plumbing (not the dispatcher's environment): strictness and recorded variable names.
  for (const char* name : {kEnvStrict, kEnvTimeout, "SPOTCHECK_RECORD_ENV"}) {
    if (const char* value = std::getenv(name); value && *value) op("--setenv", {name, value});
  }
  plan.command = std::move(command);
  return plan;
}

std::vector<std::string> bwrap_argv(const HostSandboxPlan& plan, const std::string& bwrap) {
  std::vector<std::string> argv = {bwrap};
  for (const auto& op : plan.ops) {
    argv.push_back(op.flag);
    argv.insert(argv.end(), op.args.begin(), op.args.end());
  }
  argv.push_back("--");
  argv.insert(argv.end(), plan.command.begin(), plan.command.end());
  return argv;
}

namespace {

// ---- running the remote command -------------------------------------------------------------

// The ssh's stdin, handed to the remote bash as an unlinked file in the host's /tmp (no pipe deadlocks).
struct FileCloser {
  void operator()(std::FILE* f) const { if (f) std::fclose(f); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

FilePtr stdin_file(const RunPaths& paths, const std::string& instance_id, const std::string& bytes) {
  std::string name = (host_tmp(paths, instance_id) / ".ssh-stdin-XXXXXX").string();
  const int fd = ::mkstemp(name.data());
  if (fd < 0) throw std::runtime_error("can't create " + name + ": " + std::strerror(errno));
  ::unlink(name.c_str());
  FilePtr file(::fdopen(fd, "w+"));
  if (!file || std::fwrite(bytes.data(), 1, bytes.size(), file.get()) != bytes.size() || std::fflush(file.get()) != 0) {
    throw std::runtime_error("can't write " + name);
  }
  std::rewind(file.get());
  return file;
}

void write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}

// Copies the remote stdout/stderr to our fd 1/2 as they arrive, recording both, until both reach EOF.
void stream_output(Call& call, int out_fd, int err_fd) {
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
      const std::string chunk(buf.data(), static_cast<std::size_t>(n));
      write_all(i == 0 ? 1 : 2, chunk.data(), chunk.size());
      if (i == 0) call.passthrough_out(chunk); else call.passthrough_err(chunk);
    }
  }
}

// bwrap's --json-status-fd says whether the remote process started at all (else bwrap itself failed).
struct StatusPipe {
  int read_fd = -1;
  int write_fd = -1;
  StatusPipe() {
    int fds[2];
    if (::pipe(fds) != 0) throw std::runtime_error(std::string("can't create a pipe: ") + std::strerror(errno));
    read_fd = fds[0];
    write_fd = fds[1];
    ::fcntl(read_fd, F_SETFD, FD_CLOEXEC);  // only the write end is inherited by bwrap
  }
  ~StatusPipe() {
    if (read_fd >= 0) ::close(read_fd);
    close_write();
  }
  void close_write() {
    if (write_fd >= 0) ::close(write_fd);
    write_fd = -1;
  }
  std::string drain() {
    std::string text;
    char buf[4096];
    for (ssize_t n; (n = ::read(read_fd, buf, sizeof buf)) > 0;) text.append(buf, static_cast<std::size_t>(n));
    return text;
  }
};

int exit_status_of(int native_status) {
  if (WIFEXITED(native_status)) return WEXITSTATUS(native_status);
  if (WIFSIGNALED(native_status)) return 128 + WTERMSIG(native_status);
  return kSshFailure;
}

// Runs the plan under bwrap, streaming output; returns the remote status or 255 if the sandbox failed.
int run_in_host_sandbox(Call& call, const HostSandboxPlan& plan, std::FILE* input) {
  StatusPipe status;
  auto argv = bwrap_argv(plan);
  argv.insert(argv.begin() + 1, {"--json-status-fd", std::to_string(status.write_fd)});
  bp::pipe out_pipe;
  bp::pipe err_pipe;
  std::error_code ec;
  const std::string exe = argv.front();
  argv.erase(argv.begin());
  bp::child child = input ? bp::child(bp::exe = exe, bp::args = argv, bp::std_in < input, bp::std_out > out_pipe,
                                      bp::std_err > err_pipe, ec)
                          : bp::child(bp::exe = exe, bp::args = argv, bp::std_in < bp::null,
                                      bp::std_out > out_pipe, bp::std_err > err_pipe, ec);
  status.close_write();
  if (ec) {
    call.err("ssh: can't start the host sandbox (" + exe + "): " + ec.message() + "\n");
    return kSshFailure;
  }
  stream_output(call, out_pipe.native_source(), err_pipe.native_source());
  child.wait(ec);
  const int code = exit_status_of(child.native_exit_code());
  if (status.drain().find("child-pid") == std::string::npos) {
    call.err("ssh: the host sandbox failed to start (bwrap exit " + std::to_string(code) + ")\n");
    return kSshFailure;
  }
  return code;
}

// sshd runs `$SHELL -c "<words joined by spaces>"`; without a command the shell reads its script from stdin.
std::vector<std::string> remote_shell_command(const SshCommandLine& cli) {
  if (cli.command.empty()) return {"/bin/bash", "-s"};
  return {"/bin/bash", "-c", cli.joined_command()};
}

int report_usage_error(Call& call, const CommandLineError& e) {
  std::string text = e.what();
  if (!text.empty() && text.back() != '\n') text += '\n';
  if (e.show_usage()) text += kSshUsage;
  call.err(text);
  return kSshFailure;
}

}  // namespace

// ---- the shim -------------------------------------------------------------------------------

int run_ssh(Call& call) {
  SshCommandLine cli;
  try {
    cli = parse_ssh_command_line({call.argv().begin() + 1, call.argv().end()});
  } catch (const CommandLineError& e) {
    return report_usage_error(call, e);
  }
  if (cli.version_only()) {
    call.err(std::string(kSshVersion) + "\n");
    return 0;
  }
  const RunPaths& paths = call.ctx().paths;
  // -n (and -f) give the remote /dev/null; otherwise the whole stdin is recorded and forwarded.
  const bool no_stdin = cli.has_flag('n') || cli.has_flag('f');
  const Reachability reach = reach_host(paths, cli.host, cli.port.value_or(kSshPort), cli.connect_timeout());
  if (!reach.ok()) {
    call.err(reach.error + "\n");
    return kSshFailure;
  }
  const std::string input = no_stdin ? std::string() : call.read_stdin();
  const Instance& instance = *reach.instance;
  ensure_host_dirs(paths, instance.id);
  const auto plan = plan_host_sandbox(paths, instance, call.seq(), remote_shell_command(cli));
  FilePtr input_file = no_stdin ? nullptr : stdin_file(paths, instance.id, input);
  return run_in_host_sandbox(call, plan, input_file.get());
}

}  // namespace spotcheck::fakes
