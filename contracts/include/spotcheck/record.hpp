// The recording contract (schema v1, schema/record.schema.json): one JSON object per call.
#pragma once
#include <cstdint>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "spotcheck/digest.hpp"  // sha256_hex, for payloads and stdin

namespace spotcheck {

inline constexpr int kRecordVersion = 1;
inline constexpr std::size_t kTextLimit = 64 * 1024;  // stdin/stdout/stderr text kept per record

struct StdinCapture {
  std::uint64_t bytes = 0;
  std::string sha256;
  std::string text;  // first kTextLimit bytes, so heredocs stay readable
  bool truncated = false;
};

// A file a call moved (scp, s3 cp): equivalence compares these digests, not paths alone.
struct Payload {
  std::string path;  // as the tool named it (remote "host:path" or s3://bucket/key or local path)
  std::string sha256;
  std::uint64_t bytes = 0;
};

struct Record {
  int v = kRecordVersion;
  std::int64_t seq = 0;             // global order across all hosts, allocated at call start
  std::string host = "dispatcher";  // "dispatcher" or the instance id
  std::string tool;                 // aws, ssh, python3.12, ...
  std::vector<std::string> argv;    // argv[0] is the tool as invoked
  std::string cwd;
  std::map<std::string, std::string> env;     // AWS_*, HOME, USER, PATH and scenario-named variables
  std::optional<StdinCapture> stdin_capture;  // absent when the tool does not read stdin
  int exit = 0;
  std::string stdout_text;
  std::string stderr_text;
  double t = 0;                        // virtual time (seconds since the run's epoch)
  std::optional<std::int64_t> parent;  // seq of the ssh/sudo/timeout record that spawned it
  std::vector<std::string> effects;    // names from the effects taxonomy (effects.hpp)
  std::vector<Payload> payloads;       // files copied by this call
  bool unscripted = false;             // no rule or default covered this call
  std::optional<std::string> rule;     // id of the behaviour rule that answered, if any
};

nlohmann::json to_json(const Record& r);
// `where` names the source ("FILE:LINE") for errors; unknown or mistyped fields are errors.
Record record_from_json(const nlohmann::json& j, const std::string& where);

StdinCapture capture_stdin(const std::string& bytes);
// Keeps the first kTextLimit bytes; marks truncation in-band so a reader sees it.
std::string clip_text(const std::string& text);

// Appends one line under an exclusive flock so concurrent shims never interleave.
void append_record(const std::filesystem::path& file, const Record& r);
// Reads a recording, sorted by seq. Throws spotcheck::Error naming FILE:LINE on bad input.
std::vector<Record> read_recording(const std::filesystem::path& file);

}  // namespace spotcheck
