// Recording schema v1: JSON conversion, stdin capture, flock-guarded append, validated reading.
#include "spotcheck/record.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <fstream>
#include <set>
#include <system_error>

#include "spotcheck/error.hpp"

namespace spotcheck {
namespace {

const std::string kTruncationMark = "\n[... truncated by spotcheck ...]\n";

nlohmann::json stdin_to_json(const StdinCapture& s) {
  return {{"bytes", s.bytes}, {"sha256", s.sha256}, {"text", s.text}, {"truncated", s.truncated}};
}

template <class T>
T field(const nlohmann::json& j, const char* key, const std::string& where, const char* expected) {
  const auto it = j.find(key);
  bool ok = it != j.end();
  if constexpr (std::is_same_v<T, bool>)
    ok = ok && it->is_boolean();
  else if constexpr (std::is_integral_v<T>)
    ok = ok && it->is_number_integer();
  else if constexpr (std::is_floating_point_v<T>)
    ok = ok && it->is_number();
  try {
    if (ok) return it->template get<T>();
  } catch (const nlohmann::json::exception&) {
  }
  throw bad_input(where, std::string("/") + key + ": expected " + expected);
}

void check_known_keys(const nlohmann::json& j, const std::string& where) {
  static const std::set<std::string> known = {"v",      "seq",     "host",       "tool",   "argv",    "cwd",
                                              "env",    "stdin",   "exit",       "stdout", "stderr",  "t",
                                              "parent", "effects", "unscripted", "rule",   "payloads"};
  for (const auto& [key, value] : j.items()) {
    if (!known.count(key)) throw bad_input(where, "/" + key + ": unknown field in a schema v1 record");
  }
}

}  // namespace

std::string clip_text(const std::string& text) {
  if (text.size() <= kTextLimit) return text;
  return text.substr(0, kTextLimit) + kTruncationMark;
}

StdinCapture capture_stdin(const std::string& bytes) {
  StdinCapture s;
  s.bytes = bytes.size();
  s.sha256 = sha256_hex(bytes);
  s.truncated = bytes.size() > kTextLimit;
  s.text = bytes.substr(0, std::min(bytes.size(), kTextLimit));
  return s;
}

nlohmann::json to_json(const Record& r) {
  nlohmann::json j = {{"v", r.v},       {"seq", r.seq}, {"host", r.host}, {"tool", r.tool},
                      {"argv", r.argv}, {"cwd", r.cwd}, {"env", r.env}};
  j["stdin"] = r.stdin_capture ? stdin_to_json(*r.stdin_capture) : nlohmann::json(nullptr);
  j["exit"] = r.exit;
  j["stdout"] = clip_text(r.stdout_text);
  j["stderr"] = clip_text(r.stderr_text);
  j["t"] = r.t;
  j["parent"] = r.parent ? nlohmann::json(*r.parent) : nlohmann::json(nullptr);
  j["effects"] = r.effects;
  if (!r.payloads.empty()) {
    auto& arr = j["payloads"] = nlohmann::json::array();
    for (const auto& p : r.payloads) arr.push_back({{"path", p.path}, {"sha256", p.sha256}, {"bytes", p.bytes}});
  }
  if (r.unscripted) j["unscripted"] = true;
  if (r.rule) j["rule"] = *r.rule;
  return j;
}

Record record_from_json(const nlohmann::json& j, const std::string& where) {
  if (!j.is_object()) throw bad_input(where, "expected a JSON object (one record per line)");
  check_known_keys(j, where);
  Record r;
  r.v = field<int>(j, "v", where, "an integer schema version");
  if (r.v != kRecordVersion) throw bad_input(where, "/v: expected schema version 1, got " + std::to_string(r.v));
  r.seq = field<std::int64_t>(j, "seq", where, "an integer");
  r.host = field<std::string>(j, "host", where, "a string (\"dispatcher\" or an instance id)");
  r.tool = field<std::string>(j, "tool", where, "a string");
  r.argv = field<std::vector<std::string>>(j, "argv", where, "an array of strings");
  r.cwd = field<std::string>(j, "cwd", where, "a string");
  r.env = field<std::map<std::string, std::string>>(j, "env", where, "an object of strings");
  if (j.contains("stdin") && !j["stdin"].is_null()) {
    const auto& s = j["stdin"];
    std::string w = where;
    StdinCapture c;
    c.bytes = field<std::uint64_t>(s, "bytes", w + " /stdin", "an integer");
    c.sha256 = field<std::string>(s, "sha256", w + " /stdin", "a hex string");
    c.text = field<std::string>(s, "text", w + " /stdin", "a string");
    c.truncated = s.contains("truncated") && field<bool>(s, "truncated", w + " /stdin", "true or false");
    for (const auto& [key, value] : s.items()) {
      if (key != "bytes" && key != "sha256" && key != "text" && key != "truncated")
        throw bad_input(where, "/stdin/" + key + ": unknown field in a schema v1 stdin capture");
    }
    r.stdin_capture = c;
  }
  r.exit = field<int>(j, "exit", where, "an integer exit status");
  r.stdout_text = field<std::string>(j, "stdout", where, "a string");
  r.stderr_text = field<std::string>(j, "stderr", where, "a string");
  r.t = field<double>(j, "t", where, "a number (virtual seconds)");
  if (j.contains("parent") && !j["parent"].is_null())
    r.parent = field<std::int64_t>(j, "parent", where, "an integer seq or null");
  r.effects = field<std::vector<std::string>>(j, "effects", where, "an array of effect names");
  if (j.contains("payloads")) {
    for (const auto& p : j["payloads"]) {
      r.payloads.push_back({field<std::string>(p, "path", where + " /payloads", "a string"),
                            field<std::string>(p, "sha256", where + " /payloads", "a string"),
                            field<std::uint64_t>(p, "bytes", where + " /payloads", "an integer")});
    }
  }
  r.unscripted = j.contains("unscripted") && field<bool>(j, "unscripted", where, "true or false");
  if (j.contains("rule")) r.rule = field<std::string>(j, "rule", where, "a string");
  return r;
}

void append_record(const std::filesystem::path& file, const Record& r) {
  const std::string line = to_json(r).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) throw harness_error(file.string(), "can't open the recording for append");
  ::flock(fd, LOCK_EX);
  struct stat before {};
  const bool sized = ::fstat(fd, &before) == 0;
  std::size_t done = 0;
  int err = 0;
  while (done < line.size()) {
    ssize_t n = ::write(fd, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      err = n < 0 ? errno : ENOSPC;
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  // A record is a whole line or nothing: a full disk must not leave half a line for readers.
  if (done != line.size() && done > 0 && sized && ::ftruncate(fd, before.st_size) != 0) { /* reported below */
  }
  ::flock(fd, LOCK_UN);
  ::close(fd);
  if (done != line.size()) throw harness_error(file.string(), "can't append to the recording: " + errno_message(err));
}

std::vector<Record> read_recording(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw bad_input(file.string(), "can't open the recording: no such file or not readable");
  std::vector<Record> records;
  std::string line;
  for (int lineno = 1; std::getline(in, line); ++lineno) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::string where = file.string() + ":" + std::to_string(lineno);
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(line);
    } catch (const nlohmann::json::parse_error& e) {
      // getline hit the end without a newline: the writer stopped in the middle of a record
      if (in.eof()) throw bad_input(where, "the recording ends in the middle of a record (truncated line, no newline)");
      throw bad_input(where, std::string("invalid JSON: ") + e.what());
    }
    records.push_back(record_from_json(j, where));
  }
  std::stable_sort(records.begin(), records.end(), [](const Record& a, const Record& b) { return a.seq < b.seq; });
  return records;
}

}  // namespace spotcheck
