// Tests for contracts/src/catalog.cpp: the real backtester catalog, invocation matching, and bad-file diagnostics.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "spotcheck/catalog.hpp"
#include "spotcheck/error.hpp"
#include "test_support.hpp"

namespace spotcheck {
namespace {

using spotcheck::testing::TempDir;
using spotcheck::testing::write_file;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

std::filesystem::path workloads_dir() {
  return spotcheck::testing::source_dir() / "scenarios" / "workloads";
}

// ---------------------------------------------------------------- the real backtester catalog

class BacktesterCatalog : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { catalog_ = new WorkloadCatalog(load_catalog(workloads_dir())); }
  static void TearDownTestSuite() { delete catalog_; }

  static std::optional<WorkloadInvocation> find(const std::vector<std::string>& argv) { return catalog_->find(argv); }
  static WorkloadCatalog* catalog_;
};
WorkloadCatalog* BacktesterCatalog::catalog_ = nullptr;

TEST_F(BacktesterCatalog, DeclaresTheThreeEntrypointsTheLauncherRuns) {
  std::vector<std::string> scripts;
  for (const auto& entrypoint : catalog_->entrypoints) {
    if (entrypoint.module == "backtester") {
      scripts.push_back(entrypoint.script);
    }
  }
  EXPECT_THAT(scripts, ElementsAre("backtest.py", "pit_parity.py", "evaluate.py"));
}

TEST_F(BacktesterCatalog, ThePreflightIsReadOnlyAndPrintsThePreflightReport) {
  auto invocation = find({"/usr/bin/python3.12", "backtest.py", "--mode=smoke"});
  ASSERT_TRUE(invocation.has_value());
  EXPECT_THAT(invocation->effects, ElementsAre("s3.read"));
  EXPECT_THAT(invocation->stdout_text, AllOf(HasSubstr("BacktesterPreflight"), HasSubstr("runtime smoke")));
  EXPECT_EQ(invocation->exit, 0);
}

TEST_F(BacktesterCatalog, ModeSmokeDoesNotMatchTheSmokePhasesByPrefix) {
  auto invocation = find({"python3.12", "backtest.py", "--mode", "smoke-simulate"});
  ASSERT_TRUE(invocation.has_value());
  EXPECT_THAT(invocation->args_contain, ElementsAre("--mode", "smoke-simulate"));
  EXPECT_THAT(invocation->stdout_text, Not(HasSubstr("BacktesterPreflight")));
}

TEST_F(BacktesterCatalog, EverySmokePhaseIsDeclaredReadOnlyInBothSpellings) {
  for (std::string phase : {"smoke-simulate", "smoke-param-sweep", "smoke-predictor-backtest", "smoke-phase4",
                            "smoke-predictor-param-sweep"}) {
    for (const auto& argv : {std::vector<std::string>{"python3.12", "backtest.py", "--mode=" + phase},
                             std::vector<std::string>{"python3.12", "backtest.py", "--mode", phase}}) {
      auto invocation = find(argv);
      ASSERT_TRUE(invocation.has_value()) << phase;
      EXPECT_THAT(invocation->args_contain, ElementsAre("--mode", phase));
      EXPECT_THAT(invocation->effects, ElementsAre("s3.read")) << phase;
    }
  }
}

TEST_F(BacktesterCatalog, InterpreterOptionsBeforeTheScriptAreSkipped) {
  for (const auto& argv :
       {std::vector<std::string>{"python3", "-u", "backtest.py", "--mode=smoke"},
        std::vector<std::string>{"python3", "-uB", "-X", "dev", "-W", "ignore", "backtest.py", "--mode=smoke"},
        std::vector<std::string>{"python3", "-Wignore", "-Xfrozen_modules=off", "-E", "-s", "-I", "-O", "backtest.py",
                                 "--mode", "smoke"},
        std::vector<std::string>{"python3", "--check-hash-based-pycs", "never", "--", "backtest.py", "--mode=smoke"}}) {
    auto invocation = find(argv);
    ASSERT_TRUE(invocation.has_value()) << ::testing::PrintToString(argv);
    EXPECT_THAT(invocation->args_contain, ElementsAre("--mode", "smoke"));
  }
}

TEST_F(BacktesterCatalog, TheScriptIsMatchedByBasename) {
  auto invocation = find({"python3.12", "/home/ec2-user/backtester/evaluate.py", "--mode", "diagnostics", "--freeze"});
  ASSERT_TRUE(invocation.has_value());
  EXPECT_THAT(invocation->effects, ElementsAre("s3.read"));
}

TEST_F(BacktesterCatalog, TheFullBacktestUploadsButWritesNoConfig) {
  auto invocation = find({"python3.12", "backtest.py", "--mode", "all", "--upload"});
  ASSERT_TRUE(invocation.has_value());
  EXPECT_THAT(invocation->effects, ElementsAre("s3.read", "s3.write"));
}

TEST_F(BacktesterCatalog, TheEvaluatorAutoAppliesConfigWhateverTheTokenOrder) {
  auto invocation = find({"python3.12", "evaluate.py", "--upload", "--mode", "all"});
  ASSERT_TRUE(invocation.has_value());
  EXPECT_THAT(invocation->effects, ElementsAre("s3.read", "s3.write", "config.write"));
}

TEST_F(BacktesterCatalog, ParityIsLocalCompute) {
  auto invocation = find({"python3.12", "pit_parity.py", "--trades-db", "/tmp/trades.db", "--out", "/tmp/r.json"});
  ASSERT_TRUE(invocation.has_value());
  EXPECT_THAT(invocation->effects, IsEmpty());
}

TEST_F(BacktesterCatalog, UndeclaredRunsFindNothing) {
  EXPECT_FALSE(find({"python3.12", "backtest.py", "--mode", "all"}).has_value());  // no --upload declared
  EXPECT_FALSE(find({"python3.12", "backtest.py", "--mode", "smok"}).has_value());
  EXPECT_FALSE(find({"python3.12", "unknown.py", "--mode=smoke"}).has_value());
  EXPECT_FALSE(find({"python3.12", "-m", "backtest", "--mode=smoke"}).has_value());
  EXPECT_FALSE(find({"python3.12", "-c", "import backtest", "backtest.py"}).has_value());
  EXPECT_FALSE(find({"python3.12"}).has_value());
}

TEST_F(BacktesterCatalog, TheCatalogFileValidatesAgainstItsOwnRules) {
  // Every declared effect is a taxonomy name and config.write always comes with s3.write (load would throw).
  for (const auto& entrypoint : catalog_->entrypoints) {
    for (const auto& invocation : entrypoint.invocations) {
      EXPECT_FALSE(invocation.description.empty());
    }
  }
}

// ---------------------------------------------------------------- matching rules

TEST(WorkloadCatalogFind, TheFirstMatchingInvocationWinsAndAnEmptyListMatchesAnything) {
  WorkloadCatalog catalog;
  catalog.entrypoints.push_back(
      {"m", "run.py", {{{"--upload"}, {"s3.write"}, "up", 0, ""}, {{}, {"s3.read"}, "fallback", 0, ""}}});
  EXPECT_EQ(catalog.find({"python3", "run.py", "--upload", "--x"})->stdout_text, "up");
  EXPECT_EQ(catalog.find({"python3", "run.py", "--anything"})->stdout_text, "fallback");
  EXPECT_EQ(catalog.find({"python3", "run.py"})->stdout_text, "fallback");
}

TEST(WorkloadCatalogFind, ArgsContainWrittenWithEqualsMatchBothSpellings) {
  WorkloadCatalog catalog;
  catalog.entrypoints.push_back({"m", "run.py", {{{"--mode=smoke"}, {"s3.read"}, "smoke", 0, ""}}});
  EXPECT_TRUE(catalog.find({"python3", "run.py", "--mode", "smoke"}).has_value());
  EXPECT_TRUE(catalog.find({"python3", "run.py", "--mode=smoke"}).has_value());
  EXPECT_FALSE(catalog.find({"python3", "run.py", "--mode=smoke-x"}).has_value());
}

// ---------------------------------------------------------------- python command lines

TEST(ParsePythonCommand, TellsScriptsModulesCodeAndStdinApart) {
  auto script = parse_python_command({"python3", "-u", "x.py", "-m", "y"});
  EXPECT_EQ(script.kind, PythonCommand::Kind::Script);
  EXPECT_EQ(script.target, "x.py");
  EXPECT_THAT(script.args, ElementsAre("-m", "y"));

  auto module = parse_python_command({"python3", "-Im", "pip", "install", "x"});
  EXPECT_EQ(module.kind, PythonCommand::Kind::Module);
  EXPECT_EQ(module.target, "pip");
  EXPECT_THAT(module.args, ElementsAre("install", "x"));

  auto code = parse_python_command({"python3", "-c", "print(1)", "a"});
  EXPECT_EQ(code.kind, PythonCommand::Kind::Code);
  EXPECT_EQ(code.target, "print(1)");
  EXPECT_THAT(code.args, ElementsAre("a"));

  EXPECT_EQ(parse_python_command({"python3", "-", "a"}).kind, PythonCommand::Kind::Stdin);
  EXPECT_EQ(parse_python_command({"python3", "--version"}).kind, PythonCommand::Kind::None);
  EXPECT_EQ(parse_python_command({"python3", "-V"}).kind, PythonCommand::Kind::None);
  EXPECT_EQ(parse_python_command({"python3"}).kind, PythonCommand::Kind::None);
}

TEST(IsPythonTool, AcceptsVersionedInterpretersOnly) {
  for (std::string tool : {"python", "python3", "python3.12", "python3.9"}) {
    EXPECT_TRUE(is_python_tool(tool)) << tool;
  }
  for (std::string tool : {"python3-config", "pythonista", "pip", "ipython", "/usr/bin/python3"}) {
    EXPECT_FALSE(is_python_tool(tool)) << tool;
  }
}

// ---------------------------------------------------------------- loading: directory handling

constexpr const char* kMinimalCatalog = R"({"module": "m", "entrypoints": [
  {"script": "SCRIPT", "invocations": [{"args_contain": [], "effects": []}]}]})";

std::string minimal_catalog(const std::string& script) {
  std::string text = kMinimalCatalog;
  return text.replace(text.find("SCRIPT"), 6, script);
}

TEST(LoadCatalog, ReadsEveryJsonFileInNameOrderAndIgnoresOthers) {
  TempDir dir;
  write_file(dir.path() / "b.json", minimal_catalog("second.py"));
  write_file(dir.path() / "a.json", minimal_catalog("first.py"));
  write_file(dir.path() / "notes.txt", "not json at all");
  WorkloadCatalog catalog = load_catalog(dir.path());
  ASSERT_EQ(catalog.entrypoints.size(), 2u);
  EXPECT_EQ(catalog.entrypoints[0].script, "first.py");
  EXPECT_EQ(catalog.entrypoints[1].script, "second.py");
}

TEST(LoadCatalog, OptionalFieldsTakeTheirDefaults) {
  TempDir dir;
  write_file(dir.path() / "m.json", minimal_catalog("run.py"));
  const WorkloadInvocation invocation = load_catalog(dir.path()).entrypoints.at(0).invocations.at(0);
  EXPECT_EQ(invocation.exit, 0);
  EXPECT_EQ(invocation.stdout_text, "");
  EXPECT_EQ(invocation.description, "");
}

TEST(LoadCatalog, AnEmptyDirectoryIsAnEmptyCatalog) {
  TempDir dir;
  EXPECT_TRUE(load_catalog(dir.path()).entrypoints.empty());
}

// ---------------------------------------------------------------- loading: bad input

// Loads `text` as the only catalog file and returns the error, which must be a BadInput naming the file.
Error load_error(const std::string& text) {
  TempDir dir;
  const auto file = dir.path() / "bad.json";
  write_file(file, text);
  try {
    load_catalog(dir.path());
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::BadInput);
    EXPECT_EQ(e.where(), file.string());
    EXPECT_THAT(e.what(), StartsWith(file.string() + ": "));
    return e;
  }
  ADD_FAILURE() << "no error for: " << text;
  return bad_input("", "");
}

std::string invocation_catalog(const std::string& second_invocation) {
  return R"({"module": "m", "entrypoints": [{"script": "run.py", "invocations": [
    {"args_contain": ["--a"], "effects": ["s3.read"]}, )" +
         second_invocation + "]}]}";
}

TEST(LoadCatalogErrors, AnUnknownKeyNamesItsPointerAndTheNearestKnownKey) {
  Error e = load_error(invocation_catalog(R"({"args_contain": [], "efects": []})"));
  EXPECT_EQ(e.reason(),
            "/entrypoints/0/invocations/1/efects: unknown key; expected one of args_contain, description, effects, "
            "exit, outputs, stdout, todo (did you mean \"effects\"?)");
}

TEST(LoadCatalogErrors, AnUnknownTopLevelKeyIsAnError) {
  Error e = load_error(R"({"module": "m", "entrypoints": [], "version": 2})");
  EXPECT_EQ(e.reason(),
            "/version: unknown key; expected one of $schema, contract_variants, description, entrypoints, launcher, "
            "module, preflight");
}

TEST(LoadCatalogErrors, AWrongTypeNamesWhatWasExpectedAndWhatCame) {
  Error e = load_error(invocation_catalog(R"({"args_contain": [], "effects": [], "exit": "0"})"));
  EXPECT_EQ(e.reason(), "/entrypoints/0/invocations/1/exit: expected an integer in 0..255, got the string \"0\"");
}

TEST(LoadCatalogErrors, AStringWhereAnArrayBelongsIsAnError) {
  Error e = load_error(invocation_catalog(R"({"args_contain": "--mode smoke", "effects": []})"));
  EXPECT_THAT(e.reason(), StartsWith("/entrypoints/0/invocations/1/args_contain: expected an array of strings"));
}

TEST(LoadCatalogErrors, ANonStringArrayElementNamesItsIndex) {
  Error e = load_error(invocation_catalog(R"({"args_contain": ["--mode", 3], "effects": []})"));
  EXPECT_EQ(e.reason(), "/entrypoints/0/invocations/1/args_contain/1: expected a string, got the number 3");
}

TEST(LoadCatalogErrors, AnUnknownEffectNameListsTheTaxonomy) {
  Error e = load_error(invocation_catalog(R"({"args_contain": [], "effects": ["s3.wirte"]})"));
  EXPECT_THAT(e.reason(), StartsWith("/entrypoints/0/invocations/1/effects/0: expected one of ec2.launch, "));
  EXPECT_THAT(e.reason(), HasSubstr(", sleep, got the string \"s3.wirte\" (did you mean \"s3.write\"?)"));
}

TEST(LoadCatalogErrors, ConfigWriteWithoutS3WriteIsAnError) {
  Error e = load_error(invocation_catalog(R"({"args_contain": [], "effects": ["config.write"]})"));
  EXPECT_THAT(e.reason(), StartsWith("/entrypoints/0/invocations/1/effects: config.write is an s3.write"));
}

TEST(LoadCatalogErrors, AMissingRequiredKeyNamesTheObject) {
  Error e = load_error(R"({"module": "m", "entrypoints": [{"invocations": []}]})");
  EXPECT_EQ(e.reason(), "/entrypoints/0/script: required key is missing");
}

TEST(LoadCatalogErrors, AScriptWithDirectoriesIsAnError) {
  Error e = load_error(minimal_catalog("src/run.py"));
  EXPECT_THAT(e.reason(), StartsWith("/entrypoints/0/script: expected a script file name without directories"));
}

TEST(LoadCatalogErrors, ADocumentThatIsNotAnObjectIsAnError) {
  Error e = load_error("[1, 2]");
  EXPECT_EQ(e.reason(), "(root): expected an object, got an array");
}

TEST(LoadCatalogErrors, InvalidJsonNamesTheBytePosition) {
  Error e = load_error("{\"module\": \"m\",\n \"entrypoints\": [}\n");
  EXPECT_THAT(e.reason(), StartsWith("invalid JSON at byte 34: "));
  EXPECT_THAT(e.reason(), HasSubstr("line 2, column 18"));
}

TEST(LoadCatalogErrors, AScriptDeclaredInTwoFilesIsAmbiguous) {
  TempDir dir;
  write_file(dir.path() / "a.json", minimal_catalog("run.py"));
  write_file(dir.path() / "b.json", minimal_catalog("run.py"));
  try {
    load_catalog(dir.path());
    FAIL() << "duplicate script accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.where(), (dir.path() / "b.json").string());
    EXPECT_THAT(e.reason(), StartsWith("/entrypoints/0/script: script \"run.py\" is already declared in "));
    EXPECT_THAT(e.reason(), HasSubstr("a.json /entrypoints/0"));
  }
}

TEST(LoadCatalogErrors, AMissingDirectoryIsBadInput) {
  TempDir dir;
  try {
    load_catalog(dir.path() / "absent");
    FAIL() << "missing directory accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::BadInput);
    EXPECT_THAT(e.what(), HasSubstr("absent: can't load catalog: not a directory"));
  }
}

}  // namespace
}  // namespace spotcheck
