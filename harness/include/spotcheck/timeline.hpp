// Human-readable views of a recording: one line per call, nested under its transport; effect counts;
// the World changes of the run.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "spotcheck/record.hpp"
#include "spotcheck/world_changes.hpp"

namespace spotcheck::harness {

struct TimelineOptions {
  std::size_t argv_width = 72;  // argv is shortened to this many characters
};

std::string render_timeline(const std::vector<Record>& records, const TimelineOptions& options = {});
std::map<std::string, int> effect_counts(const std::vector<Record>& records);
std::string render_effect_counts(const std::vector<Record>& records);
// What a run left in the World, one change a line ("world changes: none" when nothing).
std::string render_world_changes(const std::vector<WorldChange>& changes);
// Shortens argv[1..] for one line: newlines shown as ⏎, long tokens and the whole line elided with …
std::string shorten_argv(const std::vector<std::string>& argv, std::size_t width);

}  // namespace spotcheck::harness
