// Internal: the run's state (the instance in use, the setup calls to redo) and the guard that owns
// every launched instance.
#pragma once

#include <string>
#include <vector>

#include "spot_launch/config.hpp"
#include "spot_launch/flags.hpp"
#include "spot_launch/module.hpp"
#include "spot_launch/template.hpp"

namespace spot_launch {

struct Session;

// Owns the launched instances: cleanup() (or, failing that, the destructor) terminates every one
// not yet terminated, on every exit path that returns or unwinds (not SIGKILL: the spot-side
// watchdog covers that). Neither a failing stderr nor a terminate call that cannot start skips it.
class InstanceGuard {
 public:
  explicit InstanceGuard(Session& session) : session_(session) {}
  InstanceGuard(const InstanceGuard&) = delete;
  InstanceGuard& operator=(const InstanceGuard&) = delete;
  ~InstanceGuard();

  void launched(const std::string& id) { launched_.push_back(id); }
  void terminated(const std::vector<std::string>& ids);
  std::vector<std::string> live() const;
  bool any_launched() const { return !launched_.empty(); }
  const std::string& first_launched() const { return launched_.at(0); }
  // Idempotent. Returns the status the run ends with: `status`, or 1 when the run had succeeded but an
  // instance could not be terminated (a success must not hide a spot left running; its watchdog ends it).
  int cleanup(int status);
  bool armed = false;  // set once the run is past the local checks (bash: spot_arm_cleanup)

 private:
  Session& session_;
  std::vector<std::string> launched_, terminated_;
  bool done_ = false;
  int final_status_ = 0;
};

// One raw transport call, rebuilt from the current IP each time it runs (so a relaunch can redo it).
struct RawCall {
  enum class Kind { Ssh, SshAgent, SshOut, Script, Scp } kind = Kind::Ssh;
  std::vector<std::string> args;  // Ssh*: the remote words; Script: the script's ARGS; Scp: LOCAL, PATH
  std::string file;               // Script: the local script file (stdin)
};

struct SetupCall {
  RawCall call;
  std::string step;
};

struct Session {
  Session(const Module& m, Config c, Flags f) : module(m), config(std::move(c)), flags(std::move(f)), guard(*this) {}
  const Module& module;
  Config config;
  Flags flags;
  std::string tmpdir;  // heredoc scripts and captured output
  std::string instance_id, ip, step = "start";
  unsigned attempt = 0;
  bool recording = false;  // during setup: successful transport calls are remembered
  bool in_cleanup = false;
  std::vector<SetupCall> setup_calls;
  unsigned script_count = 0;
  std::string remote_python;
  std::string staging;  // ssm transport: s3://BUCKET/tmp/spot-FIRST-INSTANCE, set by the first copy
  InstanceGuard guard;

  Vars vars(const std::string& item = "") const;
  std::vector<std::string> ssh_opts() const;
  std::string host() const { return "ec2-user@" + ip; }
  void set_step(const std::string& name);  // logs it and remembers it for the failure line
};

}  // namespace spot_launch
