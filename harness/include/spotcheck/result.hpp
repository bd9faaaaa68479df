// One result model for scenario runs; reporters listen to the runner's events (STYLE.md 10).
#pragma once
#include <filesystem>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "spotcheck/expectations.hpp"

namespace spotcheck::harness {

// UNSUPPORTED: this machine cannot run the sandbox (no bubblewrap, no namespaces); the scenario was
// not judged, so it never counts as a pass.
enum class Status { Pass, Fail, XFail, XPass, Unresolved, Timeout, Unsupported };
std::string_view to_string(Status s);  // "PASS", "FAIL", "XFAIL", "XPASS", "UNRESOLVED", "TIMEOUT", "UNSUPPORTED"
bool is_failure(Status s);             // all but PASS and XFAIL

struct ScenarioResult {
  std::filesystem::path file;
  std::string name;  // "backtester/preflight-only makes no writes"
  std::string impl = "bash";
  Status status = Status::Unresolved;
  std::vector<Failure> failures;  // why it failed
  std::string error;              // bad input / harness error for UNRESOLVED
  int exit = 0;
  double seconds = 0;
  std::size_t records = 0;
  std::vector<WorldChange> world_changes;  // what the run left in the World
  std::filesystem::path kept_dir;          // sandbox + recording kept on failure
  std::string note;                        // shown on the status line: an intended difference, a golden written
  bool abandoned = false;                  // stuck past its limit: check gave up on it (its thread may live on)
};

class Reporter {
 public:
  virtual ~Reporter() = default;
  virtual void on_start(std::size_t /*total*/) {}
  virtual void on_result(const ScenarioResult& /*r*/, std::size_t /*done*/, std::size_t /*total*/) {}
  virtual void on_finish(const std::vector<ScenarioResult>& /*all*/, double /*wall_seconds*/) {}
};

std::unique_ptr<Reporter> console_reporter(std::ostream& out);
std::unique_ptr<Reporter> json_reporter(const std::filesystem::path& file);
std::unique_ptr<Reporter> junit_reporter(const std::filesystem::path& file);

// Text for an XML attribute or element (JUnit): & < > " escaped, control characters but \n and \t blanked.
std::string xml_escape(const std::string& s);

// The framed explanation of one failed scenario, as the console prints it.
std::string render_failure_block(const ScenarioResult& r);

}  // namespace spotcheck::harness
