// Unit tests for the recording contract: JSON round trip, strict reading, stdin capture, concurrent append.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "spotcheck/effects.hpp"
#include "spotcheck/error.hpp"
#include "spotcheck/record.hpp"
#include "test_support.hpp"

namespace spotcheck {
namespace {

using spotcheck::testing::read_file;
using spotcheck::testing::TempDir;
using spotcheck::testing::write_file;
using ::testing::HasSubstr;

Record full_record() {
  Record r;
  r.seq = 7;
  r.host = "i-0123456789abcdef0";
  r.tool = "ssh";
  r.argv = {"ssh", "-i", "key.pem", "ec2-user@203.0.113.5", "bash", "-s"};
  r.cwd = "/home/runner/work";
  r.env = {{"HOME", "/home/runner"}, {"AWS_REGION", "us-east-1"}};
  r.stdin_capture = capture_stdin("set -e\necho hi\n");
  r.exit = 3;
  r.stdout_text = "hi\n";
  r.stderr_text = "warning\n";
  r.t = 12.5;
  r.parent = 4;
  r.effects = {"remote.exec"};
  r.payloads = {{"s3://bucket/key", sha256_hex("payload"), 7}};
  r.unscripted = true;
  r.rule = "ssh-fails";
  return r;
}

Record minimal_record(std::int64_t seq) {
  Record r;
  r.seq = seq;
  r.tool = "aws";
  r.argv = {"aws", "sts", "get-caller-identity"};
  r.cwd = "/";
  return r;
}

nlohmann::json minimal_json() {
  return to_json(minimal_record(1));
}

// Runs record_from_json and returns the spotcheck::Error message (fails the test if none is thrown).
std::string error_of(const nlohmann::json& j, const std::string& where = "rec.jsonl:7") {
  try {
    record_from_json(j, where);
  } catch (const Error& e) {
    return e.what();
  }
  ADD_FAILURE() << "no spotcheck::Error for " << j.dump();
  return "";
}

void expect_same(const Record& a, const Record& b) {
  EXPECT_EQ(a.v, b.v);
  EXPECT_EQ(a.seq, b.seq);
  EXPECT_EQ(a.host, b.host);
  EXPECT_EQ(a.tool, b.tool);
  EXPECT_EQ(a.argv, b.argv);
  EXPECT_EQ(a.cwd, b.cwd);
  EXPECT_EQ(a.env, b.env);
  ASSERT_EQ(a.stdin_capture.has_value(), b.stdin_capture.has_value());
  if (a.stdin_capture) {
    EXPECT_EQ(a.stdin_capture->bytes, b.stdin_capture->bytes);
    EXPECT_EQ(a.stdin_capture->sha256, b.stdin_capture->sha256);
    EXPECT_EQ(a.stdin_capture->text, b.stdin_capture->text);
    EXPECT_EQ(a.stdin_capture->truncated, b.stdin_capture->truncated);
  }
  EXPECT_EQ(a.exit, b.exit);
  EXPECT_EQ(a.stdout_text, b.stdout_text);
  EXPECT_EQ(a.stderr_text, b.stderr_text);
  EXPECT_DOUBLE_EQ(a.t, b.t);
  EXPECT_EQ(a.parent, b.parent);
  EXPECT_EQ(a.effects, b.effects);
  ASSERT_EQ(a.payloads.size(), b.payloads.size());
  for (std::size_t i = 0; i < a.payloads.size(); ++i) {
    EXPECT_EQ(a.payloads[i].path, b.payloads[i].path);
    EXPECT_EQ(a.payloads[i].sha256, b.payloads[i].sha256);
    EXPECT_EQ(a.payloads[i].bytes, b.payloads[i].bytes);
  }
  EXPECT_EQ(a.unscripted, b.unscripted);
  EXPECT_EQ(a.rule, b.rule);
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// ---------------------------------------------------------------- JSON round trip

TEST(RecordJson, AFullRecordSurvivesARoundTripThroughJson) {
  const Record r = full_record();
  expect_same(r, record_from_json(to_json(r), "x:1"));
}

TEST(RecordJson, AMinimalRecordSurvivesARoundTripThroughJson) {
  const Record r = minimal_record(3);
  expect_same(r, record_from_json(to_json(r), "x:1"));
}

TEST(RecordJson, AbsentStdinAndParentAreWrittenAsNull) {
  const auto j = minimal_json();
  EXPECT_TRUE(j.at("stdin").is_null());
  EXPECT_TRUE(j.at("parent").is_null());
}

TEST(RecordJson, OptionalFieldsAreOmittedWhenUnset) {
  const auto j = minimal_json();
  EXPECT_FALSE(j.contains("payloads"));
  EXPECT_FALSE(j.contains("unscripted"));
  EXPECT_FALSE(j.contains("rule"));
}

TEST(RecordJson, ToJsonClipsLongStdoutAndMarksTheTruncation) {
  Record r = minimal_record(1);
  r.stdout_text = std::string(kTextLimit + 100, 'x');
  const std::string out = to_json(r).at("stdout").get<std::string>();
  EXPECT_EQ(out.substr(0, kTextLimit), std::string(kTextLimit, 'x'));
  EXPECT_LT(out.size(), kTextLimit + 100);
  EXPECT_THAT(out, HasSubstr("truncated"));
}

// ---------------------------------------------------------------- strict reading

TEST(RecordFromJson, AnUnknownFieldIsAnErrorNamingTheLineAndTheField) {
  auto j = minimal_json();
  j["bogus"] = 1;
  EXPECT_EQ(error_of(j, "rec.jsonl:7"),
            "rec.jsonl:7: /bogus: unknown key; expected one of argv, cwd, effects, env, exit, host, parent, payloads, "
            "rule, seq, stderr, stdin, stdout, t, tool, unscripted, v");
}

TEST(RecordFromJson, AMisspelledFieldIsAnErrorWithTheNearestField) {
  auto j = minimal_json();
  j["efects"] = j["effects"];
  EXPECT_THAT(error_of(j), ::testing::EndsWith(", v (did you mean \"effects\"?)"));
}

TEST(RecordFromJson, TheErrorCarriesWhereSeparatelyFromTheReason) {
  auto j = minimal_json();
  j["bogus"] = 1;
  try {
    record_from_json(j, "rec.jsonl:7");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.where(), "rec.jsonl:7");
    EXPECT_EQ(e.kind(), ErrorKind::BadInput);
    EXPECT_THAT(e.reason(), HasSubstr("/bogus"));
  }
}

TEST(RecordFromJson, AStringSeqIsATypeErrorNamingSeq) {
  auto j = minimal_json();
  j["seq"] = "1";
  const std::string message = error_of(j);
  EXPECT_EQ(message, "rec.jsonl:7: /seq: expected an integer, got the string \"1\"");
}

TEST(RecordFromJson, AnArgvOfNumbersIsATypeErrorNamingArgv) {
  auto j = minimal_json();
  j["argv"] = {1, 2};
  EXPECT_EQ(error_of(j), "rec.jsonl:7: /argv/0: expected a string, got the number 1");
}

TEST(RecordFromJson, AnEnvWithANonStringValueIsATypeErrorNamingEnv) {
  auto j = minimal_json();
  j["env"] = {{"HOME", 5}};
  EXPECT_EQ(error_of(j), "rec.jsonl:7: /env/HOME: expected a string, got the number 5");
}

TEST(RecordFromJson, AMissingRequiredFieldIsAnErrorNamingIt) {
  auto j = minimal_json();
  j.erase("tool");
  EXPECT_EQ(error_of(j), "rec.jsonl:7: /tool: required key is missing");
}

TEST(RecordFromJson, AStdinObjectWithAMistypedFieldIsAnErrorNamingStdin) {
  auto j = minimal_json();
  j["stdin"] = {{"bytes", "three"}, {"sha256", sha256_hex("abc")}, {"text", "abc"}, {"truncated", false}};
  const std::string message = error_of(j);
  EXPECT_EQ(message, "rec.jsonl:7: /stdin/bytes: expected an integer >= 0, got the string \"three\"");
}

// The schema closes the stdin object (additionalProperties: false); the reader should too.
TEST(RecordFromJson, AnUnknownFieldInsideStdinIsAnError) {
  auto j = minimal_json();
  j["stdin"] = {
      {"bytes", 3}, {"sha256", sha256_hex("abc")}, {"text", "abc"}, {"truncated", false}, {"encoding", "utf-8"}};
  const std::string message = error_of(j);
  EXPECT_EQ(message, "rec.jsonl:7: /stdin/encoding: unknown key; expected one of bytes, sha256, text, truncated");
}

TEST(RecordFromJson, ASchemaVersionOtherThanOneIsRejected) {
  auto j = minimal_json();
  j["v"] = 2;
  const std::string message = error_of(j);
  EXPECT_EQ(message, "rec.jsonl:7: /v: expected schema version 1, got 2");
}

TEST(RecordFromJson, ANonObjectLineIsRejected) {
  EXPECT_THAT(error_of(nlohmann::json::array({1, 2})),
              ::testing::Eq("rec.jsonl:7: (root): expected an object, got an array"));
}

// Schema: "seq" and "exit" are integers; nlohmann's get<int>() silently truncates 1.5 and converts true.
TEST(RecordFromJson, AFractionalSeqIsATypeError) {
  auto j = minimal_json();
  j["seq"] = 1.5;
  EXPECT_EQ(error_of(j), "rec.jsonl:7: /seq: expected an integer, got the number 1.5");
}

TEST(RecordFromJson, ABooleanExitStatusIsATypeError) {
  auto j = minimal_json();
  j["exit"] = true;
  EXPECT_EQ(error_of(j), "rec.jsonl:7: /exit: expected an integer, got true");
}

// "unscripted" is read with json::value(), whose type_error is not a spotcheck::Error naming FILE:LINE.
TEST(RecordFromJson, AStringUnscriptedIsAnErrorNamingTheLineAndTheField) {
  auto j = minimal_json();
  j["unscripted"] = "yes";
  EXPECT_EQ(error_of(j, "rec.jsonl:7"), "rec.jsonl:7: /unscripted: expected true or false, got the string \"yes\"");
}

// ---------------------------------------------------------------- read_recording

TEST(ReadRecording, RecordsComeBackSortedBySeq) {
  TempDir dir;
  const auto file = dir.path() / "recording.jsonl";
  std::string text;
  for (std::int64_t seq : {3, 1, 2}) text += to_json(minimal_record(seq)).dump() + "\n";
  write_file(file, text);
  const auto records = read_recording(file);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].seq, 1);
  EXPECT_EQ(records[1].seq, 2);
  EXPECT_EQ(records[2].seq, 3);
}

TEST(ReadRecording, BlankAndWhitespaceLinesAreSkipped) {
  TempDir dir;
  const auto file = dir.path() / "recording.jsonl";
  write_file(file,
             "\n" + to_json(minimal_record(1)).dump() + "\n   \t\n\r\n" + to_json(minimal_record(2)).dump() + "\n\n");
  EXPECT_EQ(read_recording(file).size(), 2u);
}

TEST(ReadRecording, InvalidJsonIsAnErrorNamingFileAndLine) {
  TempDir dir;
  const auto file = dir.path() / "recording.jsonl";
  write_file(file, to_json(minimal_record(1)).dump() + "\n\n{not json\n");
  try {
    read_recording(file);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.where(), file.string() + ":3");
    EXPECT_THAT(e.reason(), ::testing::StartsWith("invalid JSON at byte 3: "));
  }
}

TEST(ReadRecording, ARecordingCutMidLineSaysWhichLineIsTruncated) {
  TempDir dir;
  const auto file = dir.path() / "recording.jsonl";
  const std::string whole = to_json(minimal_record(1)).dump() + "\n" + to_json(minimal_record(2)).dump() + "\n";
  const std::string third = to_json(minimal_record(3)).dump();
  write_file(file, whole + third.substr(0, third.size() / 2));
  try {
    read_recording(file);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.where(), file.string() + ":3");
    EXPECT_THAT(e.reason(), HasSubstr("ends in the middle of a record"));
  }
}

// A full disk (here: the file size limit) fails the append and leaves the recording as it was.
TEST(AppendRecord, AWriteThatCannotFinishLeavesNoHalfLine) {
  TempDir dir;
  const auto file = dir.path() / "recording.jsonl";
  append_record(file, minimal_record(1));
  const std::string before = read_file(file);
  rlimit old{};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old), 0);
  auto* const previous = ::signal(SIGXFSZ, SIG_IGN);  // EFBIG instead of the signal
  rlimit tight = old;
  tight.rlim_cur = before.size() + 16;  // room for 16 bytes of the next record
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &tight), 0);
  std::string error;
  try {
    append_record(file, full_record());
  } catch (const Error& e) {
    error = e.what();
  }
  ::setrlimit(RLIMIT_FSIZE, &old);
  ::signal(SIGXFSZ, previous);
  EXPECT_THAT(error, HasSubstr("can't append to the recording"));
  EXPECT_EQ(read_file(file), before);
  EXPECT_EQ(read_recording(file).size(), 1u);
}

TEST(ReadRecording, AnUnknownFieldOnALineNamesThatLine) {
  TempDir dir;
  const auto file = dir.path() / "recording.jsonl";
  auto bad = minimal_json();
  bad["colour"] = "red";
  write_file(file, to_json(minimal_record(1)).dump() + "\n" + bad.dump() + "\n");
  try {
    read_recording(file);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr(file.string() + ":2"));
    EXPECT_THAT(e.what(), HasSubstr("/colour"));
  }
}

TEST(ReadRecording, AMissingFileIsABadInputErrorNamingIt) {
  TempDir dir;
  const auto file = dir.path() / "absent.jsonl";
  try {
    read_recording(file);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::BadInput);
    EXPECT_THAT(e.what(), HasSubstr(file.string()));
  }
}

// ---------------------------------------------------------------- stdin capture and clipping

TEST(CaptureStdin, DigestsAbcToItsKnownSha256) {
  const auto c = capture_stdin("abc");
  EXPECT_EQ(c.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(c.bytes, 3u);
  EXPECT_EQ(c.text, "abc");
  EXPECT_FALSE(c.truncated);
}

TEST(CaptureStdin, EmptyInputHasTheEmptyDigest) {
  const auto c = capture_stdin("");
  EXPECT_EQ(c.sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(c.bytes, 0u);
}

TEST(CaptureStdin, InputLongerThanTheLimitIsTruncatedButCountedAndDigestedWhole) {
  const std::string big = std::string(kTextLimit, 'a') + "TAIL";
  const auto c = capture_stdin(big);
  EXPECT_TRUE(c.truncated);
  EXPECT_EQ(c.text.size(), kTextLimit);
  EXPECT_EQ(c.text, std::string(kTextLimit, 'a'));
  EXPECT_EQ(c.bytes, big.size());
  EXPECT_EQ(c.sha256, sha256_hex(big));
}

TEST(CaptureStdin, InputExactlyAtTheLimitIsNotTruncated) {
  const auto c = capture_stdin(std::string(kTextLimit, 'b'));
  EXPECT_FALSE(c.truncated);
  EXPECT_EQ(c.text.size(), kTextLimit);
}

TEST(ClipText, ShortTextIsUnchanged) {
  EXPECT_EQ(clip_text("hello\n"), "hello\n");
}

TEST(ClipText, TextAtTheLimitIsUnchanged) {
  const std::string s(kTextLimit, 'z');
  EXPECT_EQ(clip_text(s), s);
}

TEST(ClipText, LongTextKeepsTheFirstLimitBytesAndSaysItWasTruncated) {
  const std::string s = std::string(kTextLimit, 'z') + std::string(5000, 'q');
  const std::string clipped = clip_text(s);
  EXPECT_EQ(clipped.substr(0, kTextLimit), std::string(kTextLimit, 'z'));
  EXPECT_EQ(clipped.find('q'), std::string::npos);
  EXPECT_THAT(clipped.substr(kTextLimit), HasSubstr("truncated"));
}

// ---------------------------------------------------------------- concurrent append

Record bulky_record(std::int64_t seq, char fill) {
  Record r = minimal_record(seq);
  r.stdout_text = std::string(9000, fill);  // larger than PIPE_BUF, so one line needs several writes
  return r;
}

void expect_whole_lines(const std::filesystem::path& file, std::size_t expected) {
  const auto lines = lines_of(read_file(file));
  EXPECT_EQ(lines.size(), expected);
  std::set<std::int64_t> seqs;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    try {
      seqs.insert(record_from_json(nlohmann::json::parse(lines[i]), "line " + std::to_string(i + 1)).seq);
    } catch (const std::exception& e) {
      ADD_FAILURE() << "line " << i + 1 << " is not a whole record: " << e.what();
      return;
    }
  }
  EXPECT_EQ(seqs.size(), expected);
}

TEST(AppendRecord, AppendsOneLinePerRecordThatReadsBack) {
  TempDir dir;
  const auto file = dir.path() / "recording.jsonl";
  append_record(file, full_record());
  append_record(file, minimal_record(8));
  EXPECT_EQ(lines_of(read_file(file)).size(), 2u);
  const auto records = read_recording(file);
  ASSERT_EQ(records.size(), 2u);
  expect_same(full_record(), records[0]);
}

TEST(AppendRecord, ConcurrentThreadsProduceOnlyWholeLines) {
  TempDir dir;
  const auto file = dir.path() / "recording.jsonl";
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) append_record(file, bulky_record(t * 1000 + i + 1, static_cast<char>('a' + t)));
    });
  }
  for (auto& th : threads) th.join();
  expect_whole_lines(file, 800);
}

TEST(AppendRecord, ConcurrentProcessesProduceOnlyWholeLines) {
  TempDir dir;
  const auto file = dir.path() / "recording.jsonl";
  std::vector<pid_t> children;
  for (int c = 0; c < 4; ++c) {
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      int status = 0;
      try {
        for (int i = 0; i < 200; ++i) append_record(file, bulky_record(c * 1000 + i + 1, static_cast<char>('k' + c)));
      } catch (...) {
        status = 1;
      }
      ::_exit(status);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  expect_whole_lines(file, 800);
}

TEST(AppendRecord, AnUnopenableRecordingIsAnErrorNamingIt) {
  TempDir dir;
  const auto file = dir.path() / "no-such-dir" / "recording.jsonl";
  try {
    append_record(file, minimal_record(1));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr(file.string()));
  }
}

// ---------------------------------------------------------------- the JSON Schema in the repo

nlohmann::json record_schema() {
  return nlohmann::json::parse(read_file(spotcheck::testing::source_dir() / "schema" / "record.schema.json"));
}

void expect_matches_schema_keys(const nlohmann::json& j) {
  const auto schema = record_schema();
  std::set<std::string> allowed;
  for (const auto& [key, value] : schema.at("properties").items()) allowed.insert(key);
  for (const auto& [key, value] : j.items()) EXPECT_TRUE(allowed.count(key)) << "key not in the schema: " << key;
  for (const auto& key : schema.at("required")) {
    EXPECT_TRUE(j.contains(key.get<std::string>())) << "required key missing: " << key;
  }
}

TEST(RecordSchema, AFullRecordHasOnlySchemaKeysAndAllRequiredOnes) {
  expect_matches_schema_keys(to_json(full_record()));
}

TEST(RecordSchema, AMinimalRecordHasOnlySchemaKeysAndAllRequiredOnes) {
  expect_matches_schema_keys(minimal_json());
}

TEST(RecordSchema, TheStdinObjectHasExactlyTheSchemaKeys) {
  const auto schema = record_schema();
  const auto written_json = to_json(full_record());
  std::set<std::string> allowed, written;
  for (const auto& [key, value] : schema["properties"]["stdin"]["oneOf"][1]["properties"].items()) allowed.insert(key);
  for (const auto& [key, value] : written_json.at("stdin").items()) written.insert(key);
  EXPECT_EQ(written, allowed);
}

TEST(RecordSchema, TheSchemaEnumeratesExactlyTheEffectTaxonomy) {
  const auto schema = record_schema();
  std::vector<std::string> in_schema;
  for (const auto& e : schema.at("properties").at("effects").at("items").at("enum")) {
    in_schema.push_back(e.get<std::string>());
  }
  std::vector<std::string> taxonomy = effect_names();
  std::sort(in_schema.begin(), in_schema.end());
  std::sort(taxonomy.begin(), taxonomy.end());
  EXPECT_EQ(in_schema, taxonomy);
}

TEST(RecordSchema, TheReaderRejectsARecordMissingAnyRequiredNonNullableKey) {
  const auto schema = record_schema();
  for (const auto& key : schema.at("required")) {
    if (key == "stdin" || key == "parent") continue;  // nullable: the reader treats absence as null
    auto j = minimal_json();
    j.erase(key.get<std::string>());
    EXPECT_THROW(record_from_json(j, "x:1"), Error) << "reader accepts a record without " << key;
  }
}

}  // namespace
}  // namespace spotcheck
