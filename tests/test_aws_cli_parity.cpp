// Parity of the fake aws with the real AWS CLI v2 over a corpus of command lines (tests/fixtures/aws_cli_corpus.txt):
// every aws line the bundled launchers make, and deliberately malformed ones. Each line's verdict class (usage 252,
// region or credentials 253, or "ok": the request was built) from the fake is checked against the class recorded
// in the corpus, and, where /usr/bin/aws is AWS CLI v2 and bubblewrap works, against the real CLI run offline.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <future>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "test_support.hpp"

namespace spotcheck {
namespace {

namespace fs = std::filesystem;
using spotcheck::testing::CommandResult;
using spotcheck::testing::run_command;

// ---------------------------------------------------------------- the corpus

struct CorpusLine {
  std::string text;               // as written, without the annotation
  std::vector<std::string> argv;  // argv[0] left out; @TMP@ not yet replaced
  std::string expected;           // "252", "253" or "ok"
  bool launcher = false;          // [launchers] or [malformed]
};

// POSIX shell words: single quotes, double quotes (\ before " \ $ `), backslash outside quotes.
std::vector<std::string> shell_words(const std::string& line) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == ' ' || c == '\t') {
      if (in_word) words.push_back(std::exchange(word, {}));
      in_word = false;
      continue;
    }
    in_word = true;
    if (c == '\'') {
      const auto end = line.find('\'', i + 1);
      word += line.substr(i + 1, end - i - 1);
      i = end;
    } else if (c == '"') {
      for (++i; i < line.size() && line[i] != '"'; ++i) {
        if (line[i] == '\\' && i + 1 < line.size() && std::string_view("\"\\$`").find(line[i + 1]) != line.npos) ++i;
        word += line[i];
      }
    } else if (c == '\\' && i + 1 < line.size()) {
      word += line[++i];
    } else {
      word += c;
    }
  }
  if (in_word) words.push_back(word);
  return words;
}

std::vector<CorpusLine> load_corpus() {
  const std::string text =
      spotcheck::testing::read_file(spotcheck::testing::source_dir() / "tests" / "fixtures" / "aws_cli_corpus.txt");
  std::vector<CorpusLine> lines;
  bool launcher = false;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = std::min(text.find('\n', start), text.size());
    const std::string line = text.substr(start, end - start);
    start = end + 1;
    if (line.empty() || line.front() == '#') continue;
    if (line == "[launchers]" || line == "[malformed]") {
      launcher = line == "[launchers]";
      continue;
    }
    const auto mark = line.rfind(" # ");
    if (mark == std::string::npos) {
      ADD_FAILURE() << "corpus line without its ' # CLASS': " << line;
      continue;
    }
    lines.push_back({line.substr(0, mark), shell_words(line.substr(0, mark)), line.substr(mark + 3), launcher});
  }
  return lines;
}

std::string verdict_class(int exit) {
  return exit == 252 ? "252" : exit == 253 ? "253" : "ok";
}

// ---------------------------------------------------------------- running the fake and the real CLI

// A run root for the fake (state/, world.json) and the @TMP@ directory both sides read.
class ParityRoot {
 public:
  ParityRoot() {
    fs::create_directories(dir_.path() / "state");
    spotcheck::testing::write_file(dir_.path() / "world.json", R"({"region": "us-east-1"})");
    fs::create_directories(tmp());
    spotcheck::testing::write_file(tmp() / "ssm-parameters.json", R"({"commands": ["echo hi"]})");
  }
  fs::path root() const { return dir_.path(); }
  fs::path tmp() const { return dir_.path() / "tmp"; }
  std::vector<std::string> argv_of(const CorpusLine& line) const {
    std::vector<std::string> argv = line.argv;
    for (auto& a : argv) {
      for (auto at = a.find("@TMP@"); at != std::string::npos; at = a.find("@TMP@")) a.replace(at, 5, tmp().string());
    }
    return argv;
  }

 private:
  spotcheck::testing::TempDir dir_;
};

// The environment both sides see: fake static credentials, no region, no config files.
const std::map<std::string, std::string> kFakeEnv = {
    {"AWS_ACCESS_KEY_ID", "AKIAFAKEFAKEFAKEFAKE"},
    {"AWS_SECRET_ACCESS_KEY", "fake"},
    {"AWS_SESSION_TOKEN", ""},
    {"AWS_REGION", ""},
    {"AWS_DEFAULT_REGION", ""},
    {"AWS_PROFILE", ""},
    {"AWS_DEFAULT_OUTPUT", ""},
    {"AWS_CONFIG_FILE", "/dev/null"},
    {"AWS_SHARED_CREDENTIALS_FILE", "/dev/null"},
    {"AWS_EC2_METADATA_DISABLED", "true"},
    {"AWS_MAX_ATTEMPTS", "1"},
    {"SPOTCHECK_SUDO", ""},
    {"SPOTCHECK_PARENT", ""},
    {"SPOTCHECK_HOST", ""},
    {"SPOTCHECK_STRICT", ""},
};

CommandResult run_fake(const ParityRoot& root, const CorpusLine& line) {
  std::vector<std::string> argv = {(spotcheck::testing::bin_dir() / "shims" / "aws").string()};
  for (auto& a : root.argv_of(line)) argv.push_back(std::move(a));
  auto env = kFakeEnv;
  env["SPOTCHECK_ROOT"] = root.root().string();
  env["HOME"] = root.root().string();
  return run_command(argv, env);
}

// The real CLI with nothing of this machine's: a cleared environment, every namespace unshared (no network: a
// request fails at once, 255), / read-only, an empty /tmp and /root, and only the @TMP@ directory bound in.
CommandResult run_real(const ParityRoot& root, const CorpusLine& line) {
  std::vector<std::string> argv = {"env", "-i", "PATH=/usr/bin:/bin", "HOME=/tmp"};
  for (const auto& [k, v] : kFakeEnv) {
    if (!v.empty() && !k.starts_with("SPOTCHECK_")) argv.push_back(k + "=" + v);
  }
  const std::string tmp = root.tmp().string();
  for (const char* a : {"bwrap", "--unshare-all", "--die-with-parent", "--ro-bind", "/", "/", "--dev", "/dev", "--proc",
                        "/proc", "--tmpfs", "/tmp", "--tmpfs", "/root"}) {
    argv.emplace_back(a);
  }
  argv.insert(argv.end(), {"--ro-bind", tmp, tmp, "--setenv", "HOME", "/tmp", "/usr/bin/aws"});
  for (auto& a : root.argv_of(line)) argv.push_back(std::move(a));
  return run_command(argv);
}

// Why the real CLI cannot be compared here, or "" when it can.
std::string real_cli_unavailable() {
  if (!fs::exists("/usr/bin/aws")) return "no /usr/bin/aws (apt-get install awscli: AWS CLI v2)";
  if (!spotcheck::testing::sandbox_available()) return "bubblewrap cannot create namespaces here";
  const CommandResult version =
      run_command({"env", "-i", "PATH=/usr/bin:/bin", "HOME=/tmp", "/usr/bin/aws", "--version"});
  if (version.out.rfind("aws-cli/2", 0) != 0) return "/usr/bin/aws is not AWS CLI v2: " + version.out + version.err;
  return "";
}

bool fake_built() {
  return fs::exists(spotcheck::testing::bin_dir() / "shims" / "aws");
}

// ---------------------------------------------------------------- the tests

TEST(AwsCliCorpus, HasEveryLauncherLineAndFortyMalformedOnes) {
  const auto corpus = load_corpus();
  const auto launchers = std::count_if(corpus.begin(), corpus.end(), [](const CorpusLine& l) { return l.launcher; });
  EXPECT_GE(corpus.size(), 100u);
  EXPECT_GE(launchers, 70);
  EXPECT_GE(static_cast<long>(corpus.size()) - launchers, 40);
  for (const auto& line : corpus) {
    EXPECT_TRUE(line.expected == "252" || line.expected == "253" || line.expected == "ok") << line.text;
    EXPECT_FALSE(line.argv.empty()) << line.text;
    if (line.launcher)
      EXPECT_EQ(line.expected, "ok") << "a bundled launcher's line fails in the real CLI: " << line.text;
  }
}

TEST(AwsCliCorpus, ShellWordsReadQuotesAsTheShellDoes) {
  EXPECT_EQ(shell_words(R"(a 'b c' "d \"e\"" f\ g '')"), (std::vector<std::string>{"a", "b c", "d \"e\"", "f g", ""}));
  EXPECT_EQ(shell_words(R"(--message '{"S":"it'"'"'s"}')"), (std::vector<std::string>{"--message", R"({"S":"it's"})"}));
}

// The check CI always runs: the fake's class for each line against the class the real CLI gave it (recorded).
TEST(AwsCliParity, TheFakeGivesEachCorpusLineItsRecordedClass) {
  if (!fake_built()) GTEST_SKIP() << "no built fake under " << spotcheck::testing::bin_dir();
  const ParityRoot root;
  for (const auto& line : load_corpus()) {
    const CommandResult fake = run_fake(root, line);
    EXPECT_EQ(verdict_class(fake.exit), line.expected)
        << "aws " << line.text << "\n  fake exit " << fake.exit << ": " << fake.err;
  }
}

struct Tally {
  int same = 0, total = 0;
  double rate() const { return total == 0 ? 100.0 : 100.0 * same / total; }
};

TEST(AwsCliParity, TheFakeAndTheRealCliAgreeOnEveryLauncherLineAndNearlyEveryMalformedOne) {
  if (!fake_built()) GTEST_SKIP() << "no built fake under " << spotcheck::testing::bin_dir();
  if (const auto why = real_cli_unavailable(); !why.empty()) GTEST_SKIP() << why;
  const ParityRoot root;
  const auto corpus = load_corpus();
  // The real CLI starts in about a second: four at a time.
  std::vector<CommandResult> real(corpus.size());
  std::vector<std::future<void>> workers;
  for (std::size_t w = 0; w < 4; ++w) {
    workers.push_back(std::async(std::launch::async, [&, w] {
      for (std::size_t i = w; i < corpus.size(); i += 4) real[i] = run_real(root, corpus[i]);
    }));
  }
  for (auto& w : workers) w.get();

  Tally launchers, malformed;
  std::string differences;
  for (std::size_t i = 0; i < corpus.size(); ++i) {
    const CommandResult fake = run_fake(root, corpus[i]);
    Tally& tally = corpus[i].launcher ? launchers : malformed;
    ++tally.total;
    if (verdict_class(fake.exit) == verdict_class(real[i].exit)) {
      ++tally.same;
      continue;
    }
    differences += "  aws " + corpus[i].text + "\n    real exit " + std::to_string(real[i].exit) + ", fake exit " +
                   std::to_string(fake.exit) + "\n    real: " + real[i].err.substr(0, 300) +
                   "\n    fake: " + fake.err.substr(0, 300) + "\n";
  }
  std::printf("parity with awscli v2: launchers' lines %d/%d (%.1f%%), malformed lines %d/%d (%.1f%%)\n",
              launchers.same, launchers.total, launchers.rate(), malformed.same, malformed.total, malformed.rate());
  if (!differences.empty()) std::printf("differences:\n%s", differences.c_str());
  EXPECT_EQ(launchers.same, launchers.total) << differences;
  EXPECT_GE(malformed.rate(), 95.0) << differences;
}

}  // namespace
}  // namespace spotcheck
