// scp shim: copies files between the dispatcher's filesystem and a simulated host's home and /tmp (SFTP-mode wording).
#include <fnmatch.h>

#include <filesystem>
#include <map>

#include "shims/ssh.hpp"
#include "shims/ssh_options.hpp"
#include "spotcheck/fakes/shim.hpp"
#include "spotcheck/file_io.hpp"

namespace spotcheck::fakes {
namespace fs = std::filesystem;
namespace {

constexpr int kScpFatal = 255;  // scp's fatal(): connection lost, bad local source
constexpr int kScpError = 1;    // some file failed to copy

// Thrown for an error after which scp stops (fatal) or continues with the next source.
struct ScpFailure {
  std::string message;
  int exit = kScpError;
};

// An operand resolved to a file the shim can touch, and the name scp would print for it.
struct Location {
  fs::path real;      // where the bytes are, as the dispatcher sees it
  std::string shown;  // local path as given, or the absolute remote path
  std::string host;   // as the operand named it; empty for a local path
  bool remote = false;
  bool writable = true;
  // The payload name: the local path, or HOST:ABSOLUTE_REMOTE_PATH.
  std::string label() const { return remote ? host + ":" + shown : shown; }
};

std::string read_bytes(const fs::path& p) {
  return read_file_bytes(p).value_or("");
}

// The remote path as the host sees it: relative and ~ paths are under the home, as the SFTP server resolves them.
std::string absolute_remote_path(const std::string& path) {
  std::string p = path;
  if (p == "~" || p.empty()) return kRemoteHome;
  if (p.rfind("~/", 0) == 0) p = p.substr(2);
  if (p.front() != '/') p = std::string(kRemoteHome) + "/" + p;
  std::string normal = fs::path(p).lexically_normal().string();
  if (normal.size() > 1 && normal.back() == '/') normal.pop_back();
  return normal;
}

// Only the host's /home/ec2-user and /tmp are its own; the rest of its filesystem is the read-only image.
Location remote_location(const RunPaths& paths, const std::string& instance_id, const ScpOperand& op) {
  Location loc;
  loc.remote = true;
  loc.shown = absolute_remote_path(op.path);
  loc.host = op.host;
  if (const auto own = host_own_path(paths, instance_id, loc.shown)) {
    loc.real = *own;
  } else {
    loc.real = loc.shown;
    loc.writable = false;
  }
  return loc;
}

Location local_location(const ScpOperand& op) {
  Location loc;
  loc.real = op.path;
  loc.shown = op.path;
  return loc;
}

Location child_of(const Location& dir, const std::string& name) {
  Location loc = dir;
  loc.real = dir.real / name;
  loc.shown = dir.remote ? (dir.shown == "/" ? "" : dir.shown) + "/" + name : (fs::path(dir.shown) / name).string();
  return loc;
}

// Copies one regular file (mode kept, as scp does) and records its payload under the destination's name.
void copy_file(Call& call, const Location& from, const Location& to, const std::string& source_text) {
  if (!to.writable) {
    throw ScpFailure{"scp: dest open \"" + to.shown + "\": Permission denied\nscp: failed to upload file " +
                     source_text + " to " + to.shown};
  }
  std::error_code ec;
  fs::copy_file(from.real, to.real, fs::copy_options::overwrite_existing, ec);
  if (ec) {
    const std::string what =
        to.remote ? "dest open \"" + to.shown + "\": No such file" : "open local \"" + to.shown + "\": " + ec.message();
    throw ScpFailure{"scp: " + what};
  }
  call.add_payload(to.label(), read_bytes(to.real));
}

void copy_tree(Call& call, const Location& from, const Location& to, const std::string& source_text) {
  std::error_code ec;
  if (!to.writable) throw ScpFailure{"scp: remote mkdir \"" + to.shown + "\": Permission denied"};
  fs::create_directories(to.real, ec);
  if (ec) throw ScpFailure{"scp: mkdir \"" + to.shown + "\": " + ec.message()};
  for (const auto& entry : fs::directory_iterator(from.real)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_directory()) {
      copy_tree(call, child_of(from, name), child_of(to, name), source_text);
    } else if (entry.is_regular_file()) {
      copy_file(call, child_of(from, name), child_of(to, name), source_text);
    }
  }
}

// One source to the target: into it when the target is a directory, else onto it.
void copy_source(Call& call, const Location& from, const Location& target, bool recursive, const std::string& text) {
  std::error_code ec;
  if (!fs::exists(from.real, ec)) {
    if (!from.remote) throw ScpFailure{"scp: stat local \"" + from.shown + "\": No such file or directory", kScpFatal};
    throw ScpFailure{"scp: " + text + ": No such file or directory"};
  }
  const bool target_is_dir = fs::is_directory(target.real, ec);
  const Location to = target_is_dir ? child_of(target, from.real.filename().string()) : target;
  if (fs::is_directory(from.real, ec)) {
    if (!recursive) {
      throw ScpFailure{from.remote
                           ? "scp: download " + from.shown + ": not a regular file"
                           : "scp: local \"" + from.shown + "\" is not a regular file\nscp: failed to upload file " +
                                 text + " to " + target.shown};
    }
    copy_tree(call, from, to, text);
    return;
  }
  copy_file(call, from, to, text);
}

// Remote sources may be globs (the SFTP server expands them); local ones the shell already expanded.
std::vector<Location> expand_source(const Location& loc) {
  const std::string name = loc.real.filename().string();
  if (!loc.remote || name.find_first_of("*?[") == std::string::npos) return {loc};
  std::vector<Location> matches;
  std::error_code ec;
  Location parent = loc;
  parent.real = loc.real.parent_path();
  parent.shown = fs::path(loc.shown).parent_path().string();
  for (const auto& entry : fs::directory_iterator(loc.real.parent_path(), ec)) {
    const std::string candidate = entry.path().filename().string();
    if (::fnmatch(name.c_str(), candidate.c_str(), FNM_PERIOD) == 0) matches.push_back(child_of(parent, candidate));
  }
  if (matches.empty()) return {loc};
  return matches;
}

struct Endpoints {
  std::map<std::string, std::string> instance_of_host;  // host as given -> instance id
};

// Connects to every remote host named (like scp's ssh), failing as ssh does.
Endpoints connect_all(Call& call, const ScpCommandLine& cli) {
  Endpoints endpoints;
  std::vector<ScpOperand> operands = cli.sources;
  operands.push_back(cli.target);
  const LogLevel level = log_level(cli.options, cli.has_flag('q'));  // scp -q is ssh -q
  long timeout = 10;
  if (const auto value = cli.options.get("ConnectTimeout"); value && parse_ssh_time(*value))
    timeout = *parse_ssh_time(*value);
  for (const auto& op : operands) {
    if (!op.remote() || endpoints.instance_of_host.count(op.host)) continue;
    const int port = op.port.value_or(cli.port.value_or(22));
    const auto reach = reach_host(call.ctx().paths, op.host, port, timeout);
    if (!reach.ok())
      throw ScpFailure{log_line(level, reach.error_level, reach.error) + "scp: Connection closed", kScpFatal};
    const auto login = log_in({op.host, port, op.user, cli.identity_files, &cli.options, level}, *reach.instance);
    call.err(login.messages);
    if (!login.ok) throw ScpFailure{"scp: Connection closed", kScpFatal};
    ensure_host_dirs(call.ctx().paths, reach.instance->id);
    endpoints.instance_of_host[op.host] = reach.instance->id;
  }
  return endpoints;
}

Location locate(const RunPaths& paths, const Endpoints& endpoints, const ScpOperand& op) {
  return op.remote() ? remote_location(paths, endpoints.instance_of_host.at(op.host), op) : local_location(op);
}

int copy_all(Call& call, const ScpCommandLine& cli, const Endpoints& endpoints) {
  const RunPaths& paths = call.ctx().paths;
  const Location target = locate(paths, endpoints, cli.target);
  std::error_code ec;
  if (cli.sources.size() > 1 && !fs::is_directory(target.real, ec)) {
    throw ScpFailure{"scp: " + target.shown + ": Not a directory"};
  }
  int status = 0;
  for (const auto& op : cli.sources) {
    for (const auto& from : expand_source(locate(paths, endpoints, op))) {
      try {
        copy_source(call, from, target, cli.recursive(), op.remote() ? op.path : op.text);
      } catch (const ScpFailure& failure) {
        if (failure.exit == kScpFatal) throw;
        call.err(failure.message + "\n");
        status = kScpError;
      }
    }
  }
  return status;
}

}  // namespace

int run_scp(Call& call) {
  ScpCommandLine cli;
  try {
    cli = parse_scp_command_line({call.argv().begin() + 1, call.argv().end()});
  } catch (const CommandLineError& e) {
    const std::string text = e.what();
    if (text.rfind("command-line", 0) == 0) {  // an -o that ssh itself rejects
      call.err(text + "\nscp: Connection closed\n");
      return kScpFatal;
    }
    call.err(text + (text.empty() || text.back() == '\n' ? "" : "\n") + (e.show_usage() ? kScpUsage : ""));
    return kScpError;
  }
  try {
    const Endpoints endpoints = connect_all(call, cli);
    return copy_all(call, cli, endpoints);
  } catch (const ScpFailure& failure) {
    call.err(failure.message + "\n");
    return failure.exit;
  }
}

}  // namespace spotcheck::fakes
