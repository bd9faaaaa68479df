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
#include <filesystem>
#include <fstream>
#include <memory>

#include "shims/host_session.hpp"
#include "shims/ssh_options.hpp"
#include "spotcheck/error.hpp"
#include "spotcheck/fakes/shim.hpp"
#include "spotcheck/text.hpp"

namespace spotcheck::fakes {
namespace fs = std::filesystem;
namespace {

constexpr int kSshPort = 22;
constexpr int kSshFailure = 255;  // ssh's own errors (connect, auth, usage) exit 255

bool is_ip_address(const std::string& host) {
  unsigned char buf[16];
  return ::inet_pton(AF_INET, host.c_str(), buf) == 1 || ::inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

std::string connect_error(const std::string& host, int port, const std::string& reason) {
  return "ssh: connect to host " + host + " port " + std::to_string(port) + ": " + reason;
}

}  // namespace

// ---- log levels -----------------------------------------------------------------------------

LogLevel log_level(const SshConfigOptions& options, bool quiet_flag) {
  if (quiet_flag) return LogLevel::Quiet;
  const std::string level = ascii_lowercase(options.get("LogLevel").value_or("info"));
  if (level == "quiet") return LogLevel::Quiet;
  if (level == "fatal") return LogLevel::Fatal;
  if (level == "error") return LogLevel::Error;
  return LogLevel::Info;  // info, verbose, debug*: the fake has no debug output
}

std::string log_line(LogLevel chosen, LogLevel level, const std::string& text) {
  return static_cast<int>(level) <= static_cast<int>(chosen) ? text + "\n" : std::string();
}

// ---- reachability ---------------------------------------------------------------------------

Reachability reach_host(const RunPaths& paths, const std::string& host, int port, long connect_timeout) {
  Reachability result;
  const std::string shown = ascii_lowercase(host);
  const auto instance = world::find_instance(paths, host);
  if (!instance) {
    if (!is_ip_address(host)) {
      result.error = "ssh: Could not resolve hostname " + shown + ": Name or service not known";
      result.error_level = LogLevel::Fatal;
      return result;
    }
    result.error = connect_error(shown, port, "Connection timed out");  // nobody at that address
    result.waited = static_cast<double>(connect_timeout);
  } else {
    const double now = virtual_now(paths);
    const std::string state = world::state_at(*instance, now);
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

// ---- logging in -----------------------------------------------------------------------------

namespace {

std::string home_dir() {
  const char* home = std::getenv("HOME");
  return home && *home ? home : "/root";
}

std::string expand_tilde(const std::string& path) {
  if (path == "~") return home_dir();
  if (path.rfind("~/", 0) == 0) return home_dir() + path.substr(1);
  return path;
}

std::vector<std::string> split_on(const std::string& text, const char* separators) {
  std::vector<std::string> words;
  std::size_t start = 0;
  while ((start = text.find_first_not_of(separators, start)) != std::string::npos) {
    const auto end = text.find_first_of(separators, start);
    words.push_back(text.substr(start, end - start));
    start = end;
  }
  return words;
}

std::vector<std::string> known_hosts_files(const SshConfigOptions& options) {
  std::vector<std::string> files;
  const std::string user = options.get("UserKnownHostsFile").value_or("~/.ssh/known_hosts ~/.ssh/known_hosts2");
  const std::string global =
      options.get("GlobalKnownHostsFile").value_or("/etc/ssh/ssh_known_hosts /etc/ssh/ssh_known_hosts2");
  for (const auto& f : split_on(user + " " + global, " \t")) files.push_back(expand_tilde(f));
  return files;
}

// "algorithm key" of every known_hosts line naming `name` (markers and negated matches skipped).
std::vector<std::string> known_keys(const std::vector<std::string>& files, const std::string& name) {
  std::vector<std::string> keys;
  for (const auto& file : files) {
    std::ifstream in(file);
    for (std::string line; std::getline(in, line);) {
      const auto fields = split_on(line, " \t");
      if (fields.size() < 3 || fields[0][0] == '#' || fields[0][0] == '@') continue;
      bool named = false;
      bool negated = false;
      for (const auto& pattern : split_on(fields[0], ",")) {
        if (pattern[0] == '!')
          negated = negated || known_hosts_pattern_matches(pattern.substr(1), name);
        else
          named = named || known_hosts_pattern_matches(pattern, name);
      }
      if (named && !negated) keys.push_back(fields[1] + " " + fields[2]);
    }
  }
  return keys;
}

bool presents_known_key(const std::vector<std::string>& keys, const std::string& instance_id) {
  for (const char* type : {"ed25519", "ecdsa", "rsa"}) {
    const std::string ours = host_key_algorithm(type) + " " + host_key_base64(type, instance_id);
    if (std::find(keys.begin(), keys.end(), ours) != keys.end()) return true;
  }
  return false;
}

constexpr const char* kChangedKeyBanner =
    "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n"
    "@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\n"
    "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n"
    "IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!";

// StrictHostKeyChecking as ssh applies it to an unknown (or changed) host key; no tty, so "ask" fails.
LoginResult verify_host_key(const LoginRequest& request, const world::Instance& instance) {
  const SshConfigOptions& options = *request.options;
  const std::string host = ascii_lowercase(request.host);
  const std::string name = request.port == kSshPort ? host : "[" + host + "]:" + std::to_string(request.port);
  const auto files = known_hosts_files(options);
  const auto keys = known_keys(files, name);
  if (presents_known_key(keys, instance.id)) return {true, ""};
  const std::string strict = ascii_lowercase(options.get("StrictHostKeyChecking").value_or("ask"));
  const bool lenient = strict == "no" || strict == "off" || strict == "false";
  const LogLevel level = request.log_level;
  if (!keys.empty()) {
    std::string text = log_line(level, LogLevel::Error, kChangedKeyBanner);
    if (lenient)
      return {true, text + log_line(level, LogLevel::Error,
                                    "Password authentication is disabled to avoid man-in-the-middle attacks.")};
    return {false, text +
                       log_line(level, LogLevel::Error,
                                "Host key for " + name + " has changed and you have requested strict checking.") +
                       log_line(level, LogLevel::Fatal, "Host key verification failed.")};
  }
  if (!lenient && strict != "accept-new") {
    const std::string why =
        (strict == "ask" && !ssh_yes(options.get("BatchMode")))
            ? ""
            : "No ED25519 host key is known for " + name + " and you have requested strict checking.";
    return {false, (why.empty() ? "" : log_line(level, LogLevel::Error, why)) +
                       log_line(level, LogLevel::Fatal, "Host key verification failed.")};
  }
  // accept-new / no: remember the key in the first user known_hosts file, as ssh does.
  const fs::path first = files.front();
  std::error_code ec;
  if (first.string() != "/dev/null") fs::create_directories(first.parent_path(), ec);
  std::ofstream(first, std::ios::app) << name << " ssh-ed25519 " << host_key_base64("ed25519", instance.id) << "\n";
  return {true, log_line(level, LogLevel::Info,
                         "Warning: Permanently added '" + name + "' (ED25519) to the list of known hosts.")};
}

std::string mode_text(fs::perms perms) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(perms) & 0777u);
  return buf;
}

// A private key ssh would load: it exists and, when ours, is not readable by group or others.
bool usable_identity(const std::string& file, bool explicit_file, LogLevel level, std::string& messages) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) {
    if (explicit_file)
      messages += log_line(level, LogLevel::Error,
                           "Warning: Identity file " + file + " not accessible: No such file or directory.");
    return false;
  }
  if (st.st_uid == ::geteuid() && (st.st_mode & 077) != 0) {
    messages += log_line(level, LogLevel::Error,
                         "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n"
                         "@         WARNING: UNPROTECTED PRIVATE KEY FILE!          @\n"
                         "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n"
                         "Permissions " +
                             mode_text(static_cast<fs::perms>(st.st_mode)) + " for '" + file +
                             "' are too open.\n"
                             "It is required that your private key files are NOT accessible by others.\n"
                             "This private key will be ignored.\n"
                             "Load key \"" +
                             file + "\": bad permissions");
    return false;
  }
  return true;
}

// Public-key authentication against the instance's sshd: ec2-user, with a key ssh could load (no agent here).
LoginResult authenticate(const LoginRequest& request) {
  std::vector<std::string> explicit_files = request.identity_files;
  if (const auto configured = request.options->get("IdentityFile")) explicit_files.push_back(expand_tilde(*configured));
  LoginResult result;
  bool have_key = false;
  for (const auto& file : explicit_files)
    have_key = usable_identity(file, true, request.log_level, result.messages) || have_key;
  if (explicit_files.empty()) {
    for (const char* name : {"id_rsa", "id_ecdsa", "id_ecdsa_sk", "id_ed25519", "id_ed25519_sk"}) {
      have_key = usable_identity(home_dir() + "/.ssh/" + name, false, request.log_level, result.messages) || have_key;
    }
  }
  const char* local_user = std::getenv("USER");
  const std::string user = !request.user.empty() ? request.user : (local_user && *local_user ? local_user : "root");
  result.ok = have_key && user == kRemoteUser;
  if (!result.ok) {
    result.messages +=
        log_line(request.log_level, LogLevel::Fatal,
                 user + "@" + request.host + ": Permission denied (publickey,gssapi-keyex,gssapi-with-mic).");
  }
  return result;
}

}  // namespace

LoginResult log_in(const LoginRequest& request, const world::Instance& instance) {
  LoginResult host_key = verify_host_key(request, instance);
  if (!host_key.ok) return host_key;
  LoginResult auth = authenticate(request);
  auth.messages = host_key.messages + auth.messages;
  return auth;
}

// ---- the host's files -----------------------------------------------------------------------

void ensure_host_dirs(const RunPaths& paths, const std::string& instance_id) {
  for (const auto& mount : host_mounts(paths, instance_id)) std::filesystem::create_directories(mount.dir);
  // A real /tmp (and /var/tmp) is world-writable and sticky; bash heredocs and mktemp expect that.
  for (const auto& dir : {host_tmp(paths, instance_id), paths.host_dir(instance_id) / "fs" / "var" / "tmp"}) {
    std::error_code ec;
    std::filesystem::permissions(dir, std::filesystem::perms::all | std::filesystem::perms::sticky_bit, ec);
  }
}

namespace {

// ---- running the remote command -------------------------------------------------------------

// The ssh's stdin, handed to the remote bash as an unlinked file in the host's /tmp (no pipe deadlocks).
struct FileCloser {
  void operator()(std::FILE* f) const {
    if (f) std::fclose(f);
  }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

FilePtr stdin_file(const RunPaths& paths, const std::string& instance_id, const std::string& bytes) {
  std::string name = (host_tmp(paths, instance_id) / ".ssh-stdin-XXXXXX").string();
  const int fd = ::mkstemp(name.data());
  if (fd < 0) throw std::runtime_error("can't create " + name + ": " + errno_message());
  ::unlink(name.c_str());
  FilePtr file(::fdopen(fd, "w+"));
  if (!file || std::fwrite(bytes.data(), 1, bytes.size(), file.get()) != bytes.size() || std::fflush(file.get()) != 0) {
    throw std::runtime_error("can't write " + name);
  }
  std::rewind(file.get());
  return file;
}

}  // namespace

int remote_exit_status(int native_status) {
  if (WIFEXITED(native_status)) return WEXITSTATUS(native_status);
  if (WIFSIGNALED(native_status)) return 128 + WTERMSIG(native_status);
  return kSshFailure;
}

namespace {

// sshd runs `$SHELL -c "<words joined by spaces>"`; without a command the shell reads its script from stdin.
std::vector<std::string> remote_shell_command(const SshCommandLine& cli) {
  if (cli.command.empty()) return {"/bin/bash", "-s"};
  return {"/bin/bash", "-c", cli.joined_command()};
}

// A pty is wanted for -t, or for an interactive session without -T; stdin is never a terminal here.
std::string tty_notice(const SshCommandLine& cli, LogLevel level) {
  const auto ts = std::count(cli.flags.begin(), cli.flags.end(), 't');
  const std::string request = ascii_lowercase(cli.options.get("RequestTTY").value_or(""));
  const bool forced = ts >= 2 || request == "force";
  const bool wanted = ts == 1 || request == "yes" || (cli.command.empty() && !cli.has_flag('T') && request != "no");
  if (forced || !wanted || ::isatty(0)) return "";
  return log_line(level, LogLevel::Info, "Pseudo-terminal will not be allocated because stdin is not a terminal.");
}

// -n (and -f) give the remote /dev/null; otherwise the whole stdin is recorded and forwarded.
int run_remote_command(Call& call, const SshCommandLine& cli, const world::Instance& instance) {
  const RunPaths& paths = call.ctx().paths;
  const bool no_stdin = cli.has_flag('n') || cli.has_flag('f');
  const std::string input = no_stdin ? std::string() : call.read_stdin();
  ensure_host_dirs(paths, instance.id);
  const auto plan =
      plan_host_sandbox(paths, instance, call.seq(), remote_shell_command(cli), host_plumbing_from_environment());
  FilePtr input_file = no_stdin ? nullptr : stdin_file(paths, instance.id, input);
  return run_host_session(call, paths, instance.id, plan, input_file.get(), stream_to_caller(call));
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
  const LogLevel level = log_level(cli.options, cli.has_flag('q'));
  call.err(tty_notice(cli, level));
  const int port = cli.port.value_or(kSshPort);
  const Reachability reach = reach_host(paths, cli.host, port, cli.connect_timeout());
  if (!reach.ok()) {
    call.err(log_line(level, reach.error_level, reach.error));
    return kSshFailure;
  }
  const LoginResult login =
      log_in({cli.host, port, cli.user, cli.identity_files, &cli.options, level}, *reach.instance);
  call.err(login.messages);
  if (!login.ok) return kSshFailure;
  const int status = run_remote_command(call, cli, *reach.instance);
  // A spot reclaimed (or shut down) under the session drops the connection, as real sshd does.
  const auto after = world::find_instance(paths, reach.instance->id);
  if (after && world::state_at(*after, virtual_now(paths)) != "running") {
    call.err(log_line(level, LogLevel::Error, "Connection to " + cli.host + " closed by remote host."));
    return kSshFailure;
  }
  return status;
}

}  // namespace spotcheck::fakes
