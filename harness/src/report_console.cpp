// Console reporter: a status line per scenario as it finishes, framed failure blocks, a summary.
#include <fmt/format.h>

#include <map>
#include <mutex>

#include "spotcheck/result.hpp"

namespace spotcheck::harness {
namespace {

class ConsoleReporter : public Reporter {
 public:
  explicit ConsoleReporter(std::ostream& out) : out_(out) {}

  void on_result(const ScenarioResult& r, std::size_t done, std::size_t total) override {
    std::lock_guard<std::mutex> lock(mutex_);
    out_ << fmt::format("{}: {} ({} of {}, {:.1f}s)", to_string(r.status), r.name, done, total, r.seconds);
    // A failure's note is what to do about it (no golden yet: write it): on the status line itself.
    if (is_failure(r.status) && !r.note.empty()) out_ << ": " << r.note;
    out_ << "\n";
    if (!is_failure(r.status) && !r.note.empty()) out_ << "  note: " << r.note << "\n";
    if (is_failure(r.status)) out_ << render_failure_block(r);
    out_.flush();
  }

  void on_finish(const std::vector<ScenarioResult>& all, double wall) override {
    std::map<Status, int> counts;
    for (const auto& r : all) ++counts[r.status];
    out_ << fmt::format("\nTesting time: {:.2f}s\n", wall);
    for (auto s : {Status::Pass, Status::XFail, Status::Fail, Status::XPass, Status::Unresolved, Status::Timeout,
                   Status::Unsupported}) {
      if (counts[s]) out_ << fmt::format("  {:<11} {}\n", std::string(to_string(s)) + ":", counts[s]);
    }
    std::vector<const ScenarioResult*> failed;
    for (const auto& r : all) {
      if (is_failure(r.status)) failed.push_back(&r);
    }
    if (!failed.empty()) {
      out_ << "Failed scenarios:\n";
      for (const auto* r : failed)
        out_ << "  " << to_string(r->status) << ": " << r->name << " (" << r->file.string() << ")\n";
    }
  }

 private:
  std::ostream& out_;
  std::mutex mutex_;
};

}  // namespace

std::unique_ptr<Reporter> console_reporter(std::ostream& out) {
  return std::make_unique<ConsoleReporter>(out);
}

}  // namespace spotcheck::harness
