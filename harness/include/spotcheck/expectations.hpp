// Checks a scenario's expectations against a recording; failures are data a presenter renders (STYLE.md 8).
#pragma once
#include <string>
#include <vector>

#include "spotcheck/record.hpp"
#include "spotcheck/scenario.hpp"
#include "spotcheck/world_changes.hpp"

namespace spotcheck::harness {

struct Failure {
  std::string check;               // "effects.s3.write", "calls[2]", "order[0]", "cleanup_last", ...
  std::string expected;            // what should have held
  std::string actual;              // what the recording shows
  std::vector<std::string> notes;  // where the search started, the nearest miss and how it differs
};

struct Observed {
  int exit = 0;
  bool timed_out = false;
  const std::vector<Record>* records = nullptr;
  std::string launcher_stdout;
  std::string launcher_stderr;
  const std::vector<WorldChange>* world_changes = nullptr;  // nullptr: not observed
  const std::vector<std::string>* survivors = nullptr;      // processes that outlived the launcher (RunResult)
};

std::vector<Failure> evaluate(const Expectations& expect, const Observed& observed);

bool matches(const CallMatcher& m, const Record& r);
// A call that reaches the world (not a sleep or a bare transport).
bool is_world_call(const Record& r);
// Instance ids launched (from ec2.launch output) and terminated (from successful ec2.terminate argv).
std::vector<std::string> launched_instances(const std::vector<Record>& records);
std::vector<std::string> terminated_instances(const std::vector<Record>& records);
// One line naming a record: "#12 python3.12 on i-0a1b… `backtest.py --mode=smoke` exit 0".
std::string describe_record(const Record& r);

}  // namespace spotcheck::harness
