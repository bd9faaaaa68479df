// Self-contained HTML views (no network resources: inline CSS and SVG, no script): a recording as a
// swimlane timeline, one lane per host, and the explore report, its fault-point x fault-kind table
// linking to a swimlane of each run that did not pass.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "spotcheck/record.hpp"
#include "spotcheck/world_changes.hpp"

namespace spotcheck::harness {

// One recording as a swimlane timeline: a lane per host (dispatcher first, then the spot instances in
// first-seen order), each call a box placed by virtual time (calls at the same time spread by seq), a
// transport parent linked to its children, boxes coloured by effect class, the call a fault was injected
// into (a rule named "explore: ...") marked; then the World changes. A <section class="recording">
// fragment, every text escaped; html_page supplies the page around it.
std::string render_recording_html(const std::vector<Record>& records, const std::vector<WorldChange>& changes,
                                  const std::string& caption);

// A complete page around body fragments: <meta charset=utf-8>, the escaped title, the inline style sheet.
std::string html_page(const std::string& title, const std::string& body);

// One run of `spotcheck explore`, for the report page.
struct ExploreHtmlRun {
  std::string point;    // "dispatcher aws ec2 terminate-instances #1"
  std::string kind;     // throttle, hang, ..., or "a then b" for depth 2
  std::string outcome;  // "pass", "VIOLATION", "watchdog"
  int exit = 0;
  bool timed_out = false;
  std::vector<std::string> violations;                      // "invariant: evidence" lines
  std::string scenario_file;                                // the reproducing scenario, may be empty
  const std::vector<Record>* records = nullptr;             // the run's recording (non-pass runs), may be null
  const std::vector<WorldChange>* world_changes = nullptr;  // may be null
};

struct ExploreHtml {
  std::string launcher;
  std::vector<std::string> args;
  int baseline_exit = 0;
  std::size_t baseline_calls = 0;
  std::vector<std::string> baseline_violations;  // the run with no fault broke these ("invariant: evidence")
  double seconds = 0;
  std::vector<std::string> kinds;    // the table's columns, in order
  std::vector<ExploreHtmlRun> runs;  // deterministic order; consecutive runs at one point form a table row
};

// The explore report page: counts, the table (a cell per point and kind: pass, VIOLATION or watchdog
// linking to its detail, "-" where the kind does not apply), then each non-pass run in detail: point,
// fault, exit, violations, the reproducing command and its recording's swimlane.
std::string render_explore_html(const ExploreHtml& report);

}  // namespace spotcheck::harness
