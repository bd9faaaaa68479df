// The run a shim belongs to: where the sandbox keeps its state, which host it runs on, the virtual clock.
#pragma once
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace spotcheck::fakes {

// Layout of a run directory (mounted at /run/spotcheck inside the sandbox; SPOTCHECK_ROOT overrides).
struct RunPaths {
  std::filesystem::path root;
  std::filesystem::path state() const { return root / "state"; }           // World model files
  std::filesystem::path lock() const { return root / "state" / ".lock"; }  // one flock for all state
  std::filesystem::path recording() const { return root / "recording.jsonl"; }
  std::filesystem::path rules() const { return root / "rules.json"; }  // behaviour rules (optional)
  std::filesystem::path world() const { return root / "world.json"; }  // the scenario's world, read-only
  std::filesystem::path catalog() const { return root / "catalog"; }   // scenarios/workloads
  std::filesystem::path shims() const { return root / "shims"; }       // the dispatcher's: the call client's links
  // The fake's own links, bound over shims() on a spot host, whose calls the dispatcher's call server can't run.
  std::filesystem::path host_shims() const { return root / "host-shims"; }
  // The dispatcher's processes that outlived the launcher, a line each ("PID COMMAND"); absent: none.
  std::filesystem::path survivors() const { return root / "survivors.txt"; }
  std::filesystem::path fake_binary() const { return root / "bin" / "spotcheck-fake"; }
  std::filesystem::path host_dir(const std::string& instance_id) const { return root / "hosts" / instance_id; }
};

// Environment plumbing between harness and shims; never part of a recorded env.
inline constexpr const char* kEnvRoot = "SPOTCHECK_ROOT";             // run directory
inline constexpr const char* kEnvHost = "SPOTCHECK_HOST";             // instance id; unset on the dispatcher
inline constexpr const char* kEnvParent = "SPOTCHECK_PARENT";         // seq of the spawning transport record
inline constexpr const char* kEnvTimeout = "SPOTCHECK_TIMEOUT";       // seconds granted by an enclosing `timeout`
inline constexpr const char* kEnvStrict = "SPOTCHECK_STRICT";         // "1": unscripted calls fail the run
inline constexpr const char* kEnvRecordEnv = "SPOTCHECK_RECORD_ENV";  // extra variable names records keep

struct Context {
  RunPaths paths;
  std::string host = "dispatcher";
  std::optional<std::int64_t> parent;
  bool strict = false;
  std::optional<double> timeout;  // from an enclosing `timeout` shim
  // The process group a rule's signal goes to: 0, this process's own; the client's when the run's call
  // server runs the call for it (fakes/src/call_server.cpp).
  int caller_group = 0;
  bool on_spot() const { return host != "dispatcher"; }
};

Context context_from_env();

// Virtual clock, persisted under state/clock; `sleep` advances it, `date` and records read it.
double virtual_now(const RunPaths& paths);
double advance_clock(const RunPaths& paths, double seconds);  // returns the new time
// Puts the clock back to `t`, earlier than now: a Run Command step ran in its own time, which the
// dispatcher, who did not wait for it, has not lived yet (aws/ssm_run_command.cpp).
void set_clock_back(const RunPaths& paths, double t);
inline constexpr std::int64_t kEpoch = 1798761600;  // 2027-01-01T00:00:00Z: virtual time 0

// Allocates the next global sequence number (state/seq, under the lock).
std::int64_t next_seq(const RunPaths& paths);

}  // namespace spotcheck::fakes
