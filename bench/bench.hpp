// Internal to spotcheck-bench: timed process spawning, scratch dirs, and the two measurements it prints.
#pragma once
#include <spawn.h>
#include <sys/types.h>

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace spotcheck::bench {

namespace fs = std::filesystem;

// A process to start: executable, argv, environment, working directory and where its output goes.
struct Command {
  std::string path;
  std::vector<std::string> argv;
  std::vector<std::string> env;
  std::string cwd;  // empty: the bench's own
  std::string stdout_path = "/dev/null";
  std::string stderr_path = "/dev/null";
  bool own_process_group = false;  // whole runs: a timeout kills the launcher and all its children
};

// A Command prepared once as the C arrays posix_spawn wants, so a timed loop only spawns and waits.
class Spawner {
 public:
  explicit Spawner(Command command);
  ~Spawner();
  Spawner(const Spawner&) = delete;
  Spawner& operator=(const Spawner&) = delete;

  // Starts the process and waits for it: exit status, or 128 + signal. Throws when it cannot start.
  // With a timeout, a process still running after it is killed (its group) and 124 is returned.
  int run(std::optional<double> timeout_seconds = std::nullopt) const;
  const Command& command() const { return command_; }

 private:
  Command command_;
  std::vector<char*> argv_;
  std::vector<char*> envp_;
  posix_spawn_file_actions_t actions_{};
  posix_spawnattr_t attr_{};
};

// Median of a non-empty sample (the mean of the middle two for an even count).
double median(std::vector<double> sample);

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it on destruction.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& prefix);
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string read_text(const fs::path& file);
void write_text(const fs::path& file, const std::string& text);  // creates parent directories
std::string first_line(const std::string& text);
std::string tail_lines(const std::string& text, std::size_t count);
std::string load_average();  // /proc/loadavg's 1-, 5- and 15-minute figures, for context

// Where the binaries and sources are: the project's build/bin (spotcheck, shims/) and the bench's own
// bin dir (bench-noop, floor-responder), which differ when the bench is built in a separate tree.
struct Locations {
  fs::path project_bin;
  fs::path bench_bin;
  fs::path source;
  fs::path launcher() const { return source / "launchers" / "spot_backtest.sh"; }
  fs::path default_world() const { return source / "scenarios" / "worlds" / "default.json"; }
};

// A variant's per-unit times over the rounds (ms); the table shows the median and the range.
struct Figure {
  std::string label;
  std::vector<double> ms;
  double median_ms() const { return median(ms); }
};

struct CallResult {
  std::vector<Figure> figures;  // [0] is the static no-op, the baseline of every ratio
  std::string world_note;       // what the World answered the describe call, as a sanity check
};
CallResult measure_calls(const Locations& where, int calls, int rounds);

// The floor: the same launcher, with minimal static responders for its tools and no sandbox.
class Floor {
 public:
  Floor(const Locations& where, const fs::path& dir);
  Command command() const;  // the launcher's preflight run on the floor, stderr kept in the floor dir
  void reset_home() const;  // a fresh home with the fixture files, before each run

 private:
  Locations where_;
  fs::path dir_;
};

struct RunSide {
  Figure figure;
  int exit_status = 0;  // first non-zero exit status seen, else 0
  std::string failure;  // the tail of a failed run's stderr
};
struct RunResult {
  RunSide floor;
  RunSide harness;
  std::size_t records = 0;
  std::size_t ssh_calls = 0;
};
RunResult measure_runs(const Locations& where, int rounds, double timeout_seconds);
// One timed run (ms) appended to the side; its first non-zero exit and stderr tail are kept.
void timed_run(const Spawner& spawner, double timeout_seconds, RunSide& side);
// A warm-up run: its exit status and failure go to the side, its time does not.
void warm_up(const Spawner& spawner, double timeout_seconds, RunSide& side);
// `spotcheck run [--record FILE] -- LAUNCHER...` with this process's environment, in its own group.
Command spotcheck_run_command(const Locations& where, const fs::path& stderr_path, const std::string& record,
                              const std::vector<std::string>& launcher);

// The same preflight run by the native launcher and by the bash one, under spotcheck.
struct NativeResult {
  RunSide bash;
  RunSide native;
};
NativeResult measure_native(const Locations& where, int rounds, double timeout_seconds);

// The whole bundled suite as CI checks it, `rounds` times back to back (each round takes seconds).
struct SuiteResult {
  RunSide side;
  std::size_t runs = 0;    // verdict lines in the last round's report
  std::size_t passed = 0;  // PASS and XFAIL among them
};
SuiteResult measure_suite(const Locations& where, int rounds, double timeout_seconds);

struct ExploreResult {
  RunSide side;
  std::size_t runs = 0;        // fault runs
  std::size_t violations = 0;  // runs that broke an invariant
};
ExploreResult measure_explore(const Locations& where, double timeout_seconds);

}  // namespace spotcheck::bench
