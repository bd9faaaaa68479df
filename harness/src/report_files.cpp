// JSON and JUnit XML reporters: written once the whole run has finished.
#include <fmt/format.h>

#include <fstream>

#include "spotcheck/error.hpp"
#include "spotcheck/result.hpp"

namespace spotcheck::harness {
namespace fs = std::filesystem;

std::string xml_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') ? ' ' : c;
    }
  }
  return out;
}

namespace {

std::ofstream open_report(const fs::path& file) {
  std::ofstream out(file, std::ios::trunc);
  if (!out) throw harness_error(file.string(), "can't write the report");
  return out;
}

class JsonReporter : public Reporter {
 public:
  explicit JsonReporter(fs::path file) : file_(std::move(file)) {}
  void on_finish(const std::vector<ScenarioResult>& all, double wall) override {
    nlohmann::json doc = {{"wall_seconds", wall}, {"results", nlohmann::json::array()}};
    for (const auto& r : all) {
      nlohmann::json failures = nlohmann::json::array();
      for (const auto& f : r.failures)
        failures.push_back({{"check", f.check}, {"expected", f.expected}, {"actual", f.actual}, {"notes", f.notes}});
      doc["results"].push_back({{"name", r.name},
                                {"file", r.file.string()},
                                {"impl", r.impl},
                                {"status", std::string(to_string(r.status))},
                                {"seconds", r.seconds},
                                {"exit", r.exit},
                                {"records", r.records},
                                {"world_changes", world_changes_json(r.world_changes)},
                                {"error", r.error},
                                {"failures", failures},
                                {"kept_dir", r.kept_dir.string()}});
    }
    const std::string text = doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
    open_report(file_) << text << "\n";
  }

 private:
  fs::path file_;
};

class JunitReporter : public Reporter {
 public:
  explicit JunitReporter(fs::path file) : file_(std::move(file)) {}
  void on_finish(const std::vector<ScenarioResult>& all, double wall) override {
    int failures = 0, errors = 0, skipped = 0;
    for (const auto& r : all) {
      failures += r.status == Status::Fail || r.status == Status::XPass;
      errors += r.status == Status::Unresolved || r.status == Status::Timeout || r.status == Status::Unsupported;
      skipped += r.status == Status::XFail;
    }
    auto out = open_report(file_);
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        << fmt::format("<testsuites name=\"spotcheck\" tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"{:.3f}\">\n",
                       all.size(), failures, errors, wall)
        << fmt::format(
               "  <testsuite name=\"spotcheck\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" "
               "time=\"{:.3f}\">\n",
               all.size(), failures, errors, skipped, wall);
    for (const auto& r : all) write_case(out, r);
    out << "  </testsuite>\n</testsuites>\n";
  }

 private:
  static void write_case(std::ofstream& out, const ScenarioResult& r) {
    out << fmt::format("    <testcase classname=\"{}\" name=\"{}\" file=\"{}\" time=\"{:.3f}\"", xml_escape(r.impl),
                       xml_escape(r.name), xml_escape(r.file.string()), r.seconds);
    if (r.status == Status::Pass) {
      out << "/>\n";
      return;
    }
    out << ">\n";
    const std::string body = xml_escape(render_failure_block(r));
    if (r.status == Status::XFail)
      out << "      <skipped message=\"expected failure\"/>\n";
    else if (r.status == Status::Unresolved || r.status == Status::Timeout || r.status == Status::Unsupported)
      out << "      <error message=\"" << to_string(r.status) << "\">" << body << "</error>\n";
    else
      out << "      <failure message=\"" << to_string(r.status) << "\">" << body << "</failure>\n";
    out << "    </testcase>\n";
  }
  fs::path file_;
};

}  // namespace

std::unique_ptr<Reporter> json_reporter(const fs::path& file) {
  return std::make_unique<JsonReporter>(file);
}
std::unique_ptr<Reporter> junit_reporter(const fs::path& file) {
  return std::make_unique<JunitReporter>(file);
}

}  // namespace spotcheck::harness
