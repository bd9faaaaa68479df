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
#include <system_error>

#include "spotcheck/error.hpp"
#include "spotcheck/json_cursor.hpp"

namespace spotcheck {
namespace {

const std::string kTruncationMark = "\n[... truncated by spotcheck ...]\n";

nlohmann::json stdin_to_json(const StdinCapture& s) {
  return {{"bytes", s.bytes}, {"sha256", s.sha256}, {"text", s.text}, {"truncated", s.truncated}};
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

namespace {

StdinCapture stdin_from_json(const JsonCursor& c) {
  c.require_object({"bytes", "sha256", "text", "truncated"});
  StdinCapture s;
  s.bytes = static_cast<std::uint64_t>(c.at("bytes").integer64(0));
  s.sha256 = c.at("sha256").string();
  s.text = c.at("text").string();
  s.truncated = c.has("truncated") && c.at("truncated").boolean();
  return s;
}

Payload payload_from_json(const JsonCursor& c) {
  c.require_object({"path", "sha256", "bytes"});
  return {c.at("path").string(), c.at("sha256").string(), static_cast<std::uint64_t>(c.at("bytes").integer64(0))};
}

}  // namespace

Record record_from_json(const nlohmann::json& j, const std::string& where) {
  const JsonCursor c(j, where);
  c.require_object({"v", "seq", "host", "tool", "argv", "cwd", "env", "stdin", "exit", "stdout", "stderr", "t",
                    "parent", "effects", "unscripted", "rule", "payloads"});
  Record r;
  r.v = c.at("v").integer();
  if (r.v != kRecordVersion) c.at("v").fail("expected schema version 1, got " + std::to_string(r.v));
  r.seq = c.at("seq").integer64();
  r.host = c.at("host").string();
  r.tool = c.at("tool").string();
  r.argv = c.at("argv").strings();
  r.cwd = c.at("cwd").string();
  r.env = c.at("env").string_map();
  if (c.has("stdin") && !j["stdin"].is_null()) r.stdin_capture = stdin_from_json(c.at("stdin"));
  r.exit = c.at("exit").integer();
  r.stdout_text = c.at("stdout").string();
  r.stderr_text = c.at("stderr").string();
  r.t = c.at("t").number(0);
  if (c.has("parent") && !j["parent"].is_null()) r.parent = c.at("parent").integer64();
  r.effects = c.at("effects").strings();
  if (c.has("payloads"))
    for (const auto& p : c.at("payloads").elements()) r.payloads.push_back(payload_from_json(p));
  r.unscripted = c.has("unscripted") && c.at("unscripted").boolean();
  r.rule = c.optional_string("rule");
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
    // getline hit the end without a newline: the writer stopped in the middle of a record
    if (in.eof() && !nlohmann::json::accept(line))
      throw bad_input(where, "the recording ends in the middle of a record (truncated line, no newline)");
    records.push_back(record_from_json(parse_json(line, where), where));
  }
  std::stable_sort(records.begin(), records.end(), [](const Record& a, const Record& b) { return a.seq < b.seq; });
  return records;
}

}  // namespace spotcheck
