// Status names and the framed failure block shared by reporters.
#include "spotcheck/result.hpp"

namespace spotcheck::harness {

std::string_view to_string(Status s) {
  switch (s) {
    case Status::Pass:
      return "PASS";
    case Status::Fail:
      return "FAIL";
    case Status::XFail:
      return "XFAIL";
    case Status::XPass:
      return "XPASS";
    case Status::Unresolved:
      return "UNRESOLVED";
    case Status::Timeout:
      return "TIMEOUT";
    case Status::Unsupported:
      return "UNSUPPORTED";
  }
  return "?";
}

bool is_failure(Status s) {
  return s == Status::Fail || s == Status::XPass || s == Status::Unresolved || s == Status::Timeout ||
         s == Status::Unsupported;
}

std::string render_failure_block(const ScenarioResult& r) {
  const std::string rule(72, '=');
  std::string out =
      rule + "\n" + std::string(to_string(r.status)) + ": " + r.name + "\n  file: " + r.file.string() + "\n";
  if (!r.error.empty()) out += "  error: " + r.error + "\n";
  for (const auto& f : r.failures) {
    out += "  " + f.check + ":\n    expected: " + f.expected + "\n    actual:   " + f.actual + "\n";
    for (const auto& n : f.notes) out += "    note: " + n + "\n";
  }
  if (!r.kept_dir.empty()) {
    out += "  evidence kept in " + r.kept_dir.string() + " (recording: " + (r.kept_dir / "recording.jsonl").string() +
           "; `spotcheck show` prints it)\n";
  }
  return out + rule + "\n";
}

}  // namespace spotcheck::harness
