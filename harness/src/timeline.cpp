// Timeline and effect-count views of a recording.
#include "spotcheck/timeline.hpp"

#include <fmt/format.h>

#include <set>

#include "spotcheck/effects.hpp"
#include "spotcheck/text.hpp"

namespace spotcheck::harness {
namespace {

// Byte length of the longest UTF-8-safe prefix of at most `n` bytes.
std::size_t utf8_prefix(const std::string& s, std::size_t n) {
  if (n >= s.size()) return s.size();
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return n;
}

std::string one_line(const std::string& s) {
  std::string out;
  for (char c : s) out += c == '\n' ? std::string("⏎") : c == '\t' ? std::string(" ") : std::string(1, c);
  return out;
}

std::string shorten_token(const std::string& token, std::size_t max) {
  std::string flat = one_line(token);
  if (flat.size() <= max) return flat;
  return flat.substr(0, utf8_prefix(flat, max - 3)) + "…";
}

std::size_t depth_of(const Record& r, const std::map<std::int64_t, const Record*>& by_seq) {
  std::size_t depth = 0;
  for (auto p = r.parent; p && depth < 16; ++depth) {
    auto it = by_seq.find(*p);
    if (it == by_seq.end()) break;
    p = it->second->parent;
  }
  return depth;
}

}  // namespace

std::string shorten_argv(const std::vector<std::string>& argv, std::size_t width) {
  std::string line;
  for (std::size_t i = 1; i < argv.size(); ++i) line += (i > 1 ? " " : "") + shorten_token(argv[i], 48);
  if (line.size() <= width) return line;
  return line.substr(0, utf8_prefix(line, width - 3)) + "…";
}

std::string render_timeline(const std::vector<Record>& records, const TimelineOptions& options) {
  std::map<std::int64_t, const Record*> by_seq;
  for (const auto& r : records) by_seq[r.seq] = &r;
  std::string out = fmt::format("{:>4}  {:>6}  {:<20} {:<14} {:<{}} {:>4}  {}\n", "seq", "t", "host", "tool", "argv",
                                options.argv_width, "exit", "effects");
  for (const auto& r : records) {
    const std::string indent(2 * depth_of(r, by_seq), ' ');
    const std::string host = indent + r.host;
    std::string effects = join(r.effects, ",");
    if (r.unscripted) effects += effects.empty() ? "(unscripted)" : " (unscripted)";
    if (r.rule) effects += " [rule " + *r.rule + "]";
    out += fmt::format("{:>4}  {:>5}s  {:<20} {:<14} {:<{}} {:>4}  {}\n", r.seq, static_cast<long>(r.t), host, r.tool,
                       shorten_argv(r.argv, options.argv_width), options.argv_width, r.exit, effects);
  }
  return out;
}

std::map<std::string, int> effect_counts(const std::vector<Record>& records) {
  std::vector<std::vector<std::string>> per_call;
  for (const auto& r : records) per_call.push_back(r.effects);
  return count_effects(per_call);
}

std::string render_effect_counts(const std::vector<Record>& records) {
  const auto counts = effect_counts(records);
  std::string out = fmt::format("effects over {} calls:\n", records.size());
  for (const auto& name : effect_names()) {
    const auto it = counts.find(name);
    out += fmt::format("  {:<17} {}\n", name, it == counts.end() ? 0 : it->second);
  }
  return out;
}

std::string render_world_changes(const std::vector<WorldChange>& changes) {
  if (changes.empty()) return "world changes (what the run left behind): none\n";
  std::string out = fmt::format("world changes (what the run left behind): {}\n", changes.size());
  for (const auto& c : changes)
    out += fmt::format("  {:<17} {}{}\n", c.kind, c.name, c.detail.empty() ? "" : " (" + c.detail + ")");
  return out;
}

}  // namespace spotcheck::harness
