// Unit tests for the timeline view: columns, nesting under transports, argv shortening, effect counts.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "spotcheck/effects.hpp"
#include "spotcheck/timeline.hpp"

namespace spotcheck::harness {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

Record make(std::int64_t seq, std::string host, std::string tool, std::vector<std::string> argv,
            std::optional<std::int64_t> parent = std::nullopt, std::vector<std::string> effects = {}) {
  Record r;
  r.seq = seq;
  r.host = std::move(host);
  r.tool = std::move(tool);
  r.argv = std::move(argv);
  r.parent = parent;
  r.effects = std::move(effects);
  r.t = static_cast<double>(seq) * 10;
  return r;
}

// dispatcher aws (1) -> ssh (2) -> on the spot: sudo (3) -> systemd-run (4); then aws terminate (5).
std::vector<Record> nested_recording() {
  return {make(1, "dispatcher", "aws", {"aws", "ec2", "run-instances"}, std::nullopt, {"ec2.launch"}),
          make(2, "dispatcher", "ssh", {"ssh", "ec2-user@203.0.113.5", "bash", "-s"}, std::nullopt, {"remote.exec"}),
          make(3, "i-0123", "sudo", {"sudo", "systemd-run", "--on-active=240m", "/sbin/shutdown", "-h", "now"}, 2),
          make(4, "i-0123", "systemd-run", {"systemd-run", "--on-active=240m", "/sbin/shutdown", "-h", "now"}, 3,
               {"watchdog.install"}),
          make(5, "dispatcher", "aws", {"aws", "ec2", "terminate-instances"}, std::nullopt, {"ec2.terminate"})};
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Display columns of UTF-8 text (every code point here is one column wide).
std::size_t columns(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::size_t column_of(const std::string& line, const std::string& needle) {
  const auto pos = line.find(needle);
  return pos == std::string::npos ? std::string::npos : columns(line.substr(0, pos));
}

bool valid_utf8(const std::string& s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (std::size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += len;
  }
  return true;
}

// ---------------------------------------------------------------- render_timeline

TEST(RenderTimeline, PrintsAHeaderThenOneLinePerRecord) {
  const auto lines = lines_of(render_timeline(nested_recording()));
  ASSERT_EQ(lines.size(), 6u);
  for (const char* column : {"seq", "t", "host", "tool", "argv", "exit", "effects"}) {
    EXPECT_THAT(lines[0], HasSubstr(column));
  }
}

TEST(RenderTimeline, ColumnsLineUpWithTheHeader) {
  const auto lines = lines_of(render_timeline(nested_recording()));
  const auto host_col = column_of(lines[0], "host");
  const auto tool_col = column_of(lines[0], "tool");
  const auto argv_col = column_of(lines[0], "argv");
  EXPECT_EQ(column_of(lines[1], "dispatcher"), host_col);
  EXPECT_EQ(column_of(lines[1], "aws "), tool_col);
  EXPECT_EQ(column_of(lines[1], "ec2 run-instances"), argv_col);
  EXPECT_EQ(column_of(lines[5], "ec2 terminate-instances"), argv_col);
}

TEST(RenderTimeline, TheExitAndEffectsColumnsLineUpEvenWhenArgvIsElided) {
  auto records = nested_recording();
  records[0].argv.push_back(std::string(200, 'x') + "\nline2");  // forces … and ⏎
  records[0].exit = 7;
  const auto lines = lines_of(render_timeline(records));
  const auto effects_col = column_of(lines[0], "effects");
  EXPECT_EQ(column_of(lines[1], "ec2.launch"), effects_col);
  EXPECT_EQ(column_of(lines[5], "ec2.terminate"), effects_col);
}

TEST(RenderTimeline, ShowsSeqVirtualTimeExitAndEffects) {
  auto records = nested_recording();
  records[4].exit = 254;
  const auto lines = lines_of(render_timeline(records));
  EXPECT_THAT(lines[5], StartsWith("   5"));
  EXPECT_THAT(lines[5], HasSubstr("50s"));
  EXPECT_THAT(lines[5], HasSubstr(" 254  ec2.terminate"));
}

TEST(RenderTimeline, RemoteCallsAreIndentedUnderTheirSshRecord) {
  const auto lines = lines_of(render_timeline(nested_recording()));
  const auto host_col = column_of(lines[0], "host");
  EXPECT_EQ(column_of(lines[2], "dispatcher"), host_col);  // the ssh call itself
  EXPECT_EQ(column_of(lines[3], "i-0123"), host_col + 2);  // sudo, child of ssh
  EXPECT_EQ(column_of(lines[4], "i-0123"), host_col + 4);  // systemd-run, child of sudo
  EXPECT_EQ(column_of(lines[5], "dispatcher"), host_col);  // back on the dispatcher
}

TEST(RenderTimeline, NestingFollowsSeqNotLinePosition) {
  auto records = nested_recording();
  std::swap(records[0], records[3]);  // the parent chain is looked up by seq
  const auto lines = lines_of(render_timeline(records));
  const auto host_col = column_of(lines[0], "host");
  EXPECT_EQ(column_of(lines[1], "i-0123"), host_col + 4);  // systemd-run printed first, still depth 2
}

TEST(RenderTimeline, AParentMissingFromTheRecordingDoesNotIndent) {
  std::vector<Record> records = {make(9, "i-0123", "pip", {"pip", "install", "x"}, 4)};
  const auto lines = lines_of(render_timeline(records));
  EXPECT_EQ(column_of(lines[1], "i-0123"), column_of(lines[0], "host"));
}

TEST(RenderTimeline, AParentCycleDoesNotLoopForever) {
  std::vector<Record> records = {make(1, "a", "ssh", {"ssh"}, 2), make(2, "b", "ssh", {"ssh"}, 1)};
  EXPECT_EQ(lines_of(render_timeline(records)).size(), 3u);
}

TEST(RenderTimeline, MarksUnscriptedCallsAndTheRuleThatAnswered) {
  auto records = nested_recording();
  records[0].unscripted = true;
  records[4].rule = "terminate-fails";
  const auto lines = lines_of(render_timeline(records));
  EXPECT_THAT(lines[1], HasSubstr("ec2.launch (unscripted)"));
  EXPECT_THAT(lines[5], HasSubstr("[rule terminate-fails]"));
}

TEST(RenderTimeline, ArgvIsShortenedToTheConfiguredWidth) {
  auto records = nested_recording();
  records[0].argv = {"aws", std::string(30, 'a'), std::string(30, 'b'), std::string(30, 'c')};
  const auto lines = lines_of(render_timeline(records, TimelineOptions{40}));
  EXPECT_THAT(lines[1], HasSubstr(shorten_argv(records[0].argv, 40)));
  EXPECT_THAT(lines[1], ::testing::Not(HasSubstr(std::string(30, 'c'))));
}

TEST(RenderTimeline, AnEmptyRecordingIsJustTheHeader) {
  EXPECT_EQ(lines_of(render_timeline({})).size(), 1u);
}

// ---------------------------------------------------------------- shorten_argv

TEST(ShortenArgv, JoinsArgumentsAfterArgvZeroWithSpaces) {
  EXPECT_EQ(shorten_argv({"aws", "s3", "cp", "a", "s3://b/k"}, 72), "s3 cp a s3://b/k");
}

TEST(ShortenArgv, NewlinesBecomeReturnSymbols) {
  EXPECT_EQ(shorten_argv({"bash", "-c", "set -e\necho hi\n"}, 72), "-c set -e⏎echo hi⏎");
}

TEST(ShortenArgv, TabsBecomeSpaces) {
  EXPECT_EQ(shorten_argv({"x", "a\tb"}, 72), "a b");
}

TEST(ShortenArgv, ALongTokenIsElidedWithAnEllipsis) {
  const std::string out = shorten_argv({"python3", "-c", std::string(100, 'p'), "--tail"}, 500);
  EXPECT_THAT(out, HasSubstr("…"));
  EXPECT_THAT(out, HasSubstr("--tail"));  // only the long token is cut, the rest survives
  EXPECT_THAT(out, ::testing::Not(HasSubstr(std::string(100, 'p'))));
  EXPECT_THAT(out, HasSubstr(std::string(40, 'p')));
}

TEST(ShortenArgv, TheWholeLineRespectsTheWidth) {
  std::vector<std::string> argv = {"aws"};
  for (int i = 0; i < 30; ++i) argv.push_back("--flag" + std::to_string(i));
  for (std::size_t width : {10u, 20u, 72u}) {
    const std::string out = shorten_argv(argv, width);
    EXPECT_LE(out.size(), width) << out;
    EXPECT_THAT(out, ::testing::EndsWith("…"));
  }
}

TEST(ShortenArgv, ALineThatFitsIsNotElided) {
  const std::string out = shorten_argv({"aws", "s3", "ls"}, 5);
  EXPECT_EQ(out, "s3 ls");
}

TEST(ShortenArgv, CuttingNeverSplitsAMultiByteCharacter) {
  std::string token;
  for (int i = 0; i < 60; ++i) token += "é⏎";  // 2- and 3-byte sequences
  for (std::size_t width = 4; width < 60; ++width) {
    const std::string out = shorten_argv({"echo", token, token}, width);
    EXPECT_TRUE(valid_utf8(out)) << "width " << width;
    EXPECT_LE(out.size(), width);
  }
}

TEST(ShortenArgv, NoArgumentsGivesAnEmptyLine) {
  EXPECT_EQ(shorten_argv({"true"}, 72), "");
}

// ---------------------------------------------------------------- effect counts

TEST(EffectCounts, ListsEveryTaxonomyNameWithZerosWhenAbsent) {
  const auto counts = effect_counts({});
  ASSERT_EQ(counts.size(), effect_names().size());
  for (const auto& name : effect_names()) {
    ASSERT_TRUE(counts.count(name)) << name;
    EXPECT_EQ(counts.at(name), 0) << name;
  }
}

TEST(EffectCounts, CountsCallsPerEffect) {
  auto records = nested_recording();
  records.push_back(make(6, "dispatcher", "aws", {"aws", "ec2", "run-instances"}, std::nullopt, {"ec2.launch"}));
  const auto counts = effect_counts(records);
  EXPECT_EQ(counts.at("ec2.launch"), 2);
  EXPECT_EQ(counts.at("ec2.terminate"), 1);
  EXPECT_EQ(counts.at("watchdog.install"), 1);
  EXPECT_EQ(counts.at("s3.write"), 0);
}

TEST(EffectCounts, ACallCountsOncePerEffectEvenIfListedTwice) {
  std::vector<Record> records = {make(1, "dispatcher", "aws", {"aws"}, std::nullopt, {"s3.write", "s3.write"})};
  EXPECT_EQ(effect_counts(records).at("s3.write"), 1);
}

TEST(RenderEffectCounts, PrintsEveryTaxonomyNameWithItsCount) {
  const std::string text = render_effect_counts(nested_recording());
  const auto lines = lines_of(text);
  ASSERT_EQ(lines.size(), effect_names().size() + 1);
  EXPECT_THAT(lines[0], HasSubstr("5 calls"));
  for (std::size_t i = 0; i < effect_names().size(); ++i) {
    EXPECT_THAT(lines[i + 1], HasSubstr(effect_names()[i])) << i;
  }
  EXPECT_THAT(text, ::testing::ContainsRegex("ec2\\.launch +1\n"));
  EXPECT_THAT(text, ::testing::ContainsRegex("s3\\.write +0\n"));
  EXPECT_THAT(text, ::testing::ContainsRegex("sleep +0\n"));
}

}  // namespace
}  // namespace spotcheck::harness
