// Tests of launchers/native/src/module.cpp: the embedded descriptions load, and a bad description
// is an error naming the file, the JSON pointer and what was expected.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "spot_launch/error.hpp"
#include "spot_launch/module.hpp"
#include "spot_launch/resources.hpp"
#include "spotcheck/text.hpp"
#include "test_support.hpp"

using namespace spot_launch;

namespace {

std::string error_of(const std::string& text) {
  try {
    parse_module(text, "x.json");
  } catch (const Error& e) {
    EXPECT_EQ(e.status(), 2);
    return e.what();
  }
  return "";
}

}  // namespace

TEST(NativeModule, EveryBuiltinModuleLoads) {
  for (const auto& name : {"backtester", "data", "predictor"}) {
    const Module m = load_builtin_module(name);
    EXPECT_EQ(m.name, name);
    EXPECT_FALSE(m.repos.empty());
    EXPECT_FALSE(m.full_stages.empty());
    EXPECT_FALSE(m.preflight.script.empty());
  }
}

TEST(NativeModule, BuiltinNamesAreTheThreeModules) {
  EXPECT_EQ(builtin_module_names(), (std::vector<std::string>{"backtester", "data", "predictor"}));
}

TEST(NativeModule, TheBacktesterHasTheBashLaunchersSetup) {
  const Module m = load_builtin_module("backtester");
  EXPECT_EQ(m.tag_spec, "ResourceType=instance,Tags=[{Key=Name,Value=spot-backtest},{Key=module,Value=backtester}]");
  EXPECT_EQ(m.repos, (std::vector<std::string>{"backtester", "predictor"}));
  EXPECT_EQ(m.full_stages, (std::vector<std::string>{"backtest", "parity", "evaluate"}));
  EXPECT_EQ(m.copies.size(), 3u);
  EXPECT_EQ(m.secret_param, "/quant/github-token");
  EXPECT_TRUE(m.cache.has_value());
  ASSERT_EQ(m.smoke.size(), 2u);
  EXPECT_EQ(m.smoke[0].foreach.size(), 5u);
  EXPECT_NE(m.preflight.script.find("backtest.py --mode=smoke\n"), std::string::npos);
}

TEST(NativeModule, ThePredictorHasAnEmailReportAndItsAddressKnobs) {
  const Module m = load_builtin_module("predictor");
  ASSERT_EQ(m.full.size(), 3u);
  ASSERT_TRUE(m.full[2].email.has_value());
  EXPECT_EQ(m.full[2].email->stage, "report");
  ASSERT_EQ(m.env.size(), 2u);
  EXPECT_EQ(m.env[0].name, "REPORT_FROM");
}

TEST(NativeModule, AnUnknownModuleIsAUsageError) {
  try {
    load_builtin_module("nope");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Usage);
    EXPECT_NE(std::string(e.what()).find("unknown module 'nope' (known: backtester, data, predictor)"),
              std::string::npos);
  }
}

TEST(NativeModule, TextThatIsNotJsonNamesTheFile) {
  EXPECT_THAT(error_of("{"),
              ::testing::StartsWith("x.json: invalid JSON at byte 2: parse error at line 1, column 2: "));
}

TEST(NativeModule, AMissingMemberNamesItsPointer) {
  EXPECT_EQ(error_of("{}"), "x.json: /module: required key is missing");
}

TEST(NativeModule, AWrongTypeNamesThePointerAndTheExpectedType) {
  auto j = nlohmann::json::parse(R"({"module": 3})");
  EXPECT_EQ(error_of(j.dump()), "x.json: /module: expected a non-empty string, got the number 3");
}

TEST(NativeModule, ABadNestedFieldNamesTheFullPointer) {
  auto text = error_of(R"({"module":"m","summary":"s","usage":"u","tag_spec":"t","repos":["r"],"full_stages":["a"],
    "required_files":[],"bootstrap":{"step":"b","script":"x"},"env_source":"","config":{"step":"c","mkdir":"m",
    "mkdir_error":"e","copies":[{"local":"l","remote":7}]}})");
  EXPECT_EQ(text, "x.json: /config/copies/0/remote: expected a non-empty string, got the number 7");
}

TEST(NativeModule, AnUnknownKeyIsRejected) {
  EXPECT_EQ(error_of(R"({"module":"m","modul":"x"})"),
            "x.json: /modul: unknown key; expected one of bootstrap, cache, config, deps, env, env_source, full, "
            "full_stages, heartbeat, module, plan, preflight, python, repos, required_files, smoke, summary, "
            "tag_spec, usage (did you mean \"module\"?)");
}

TEST(NativeModule, AStageOutsideFullStagesNamesTheNearestStage) {
  auto j = nlohmann::json::parse(std::string(embedded("data.json")));
  const std::string stage = j["full_stages"][0].get<std::string>();
  std::size_t i = 0;
  while (!j["full"][i].contains("stage")) ++i;
  j["full"][i]["stage"] = stage + "x";
  EXPECT_THAT(error_of(j.dump()),
              ::testing::EndsWith("/full/" + std::to_string(i) + "/stage: expected one of " +
                                  spotcheck::join(j["full_stages"].get<std::vector<std::string>>(), ", ") +
                                  ", got the string \"" + stage + "x\" (did you mean \"" + stage + "\"?)"));
}

TEST(NativeModule, AModuleFileFromDiskLoadsAndAnUnknownTemplateVariableIsNamed) {
  // Take the embedded data description, break one template, and load it from disk.
  const std::string path = ::testing::TempDir() + "/bad-module.json";
  {
    auto j = nlohmann::json::parse(std::string(embedded("data.json")));
    j["plan"]["full"] = "full (${NOPE})";
    std::ofstream(path) << j.dump();
  }
  try {
    load_module_file(path);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), path + ": /plan/full: expected known template variables only; ${NOPE} is not one");
  }
}

TEST(NativeModule, AGoodModuleFileFromDiskLoads) {
  const std::string path = ::testing::TempDir() + "/good-module.json";
  std::ofstream(path) << embedded("predictor.json");
  EXPECT_EQ(load_module_file(path).name, "predictor");
}

TEST(NativeModule, AMissingModuleFileIsAnError) {
  EXPECT_THROW(load_module_file("/nonexistent/module.json"), Error);
}

TEST(NativeModule, TheEmbeddedSecretPreludeIsBashsByteForByte) {
  // SPOT_SECRET_PRELUDE='...' in _spot_common.sh (single-quoted, so the text up to the next quote);
  // both launchers add the one newline after it (printf '%s\n' there, "\n" in install_deps).
  const std::string common =
      spotcheck::testing::read_file(spotcheck::testing::source_dir() / "launchers/_spot_common.sh");
  const std::string start = "readonly SPOT_SECRET_PRELUDE='";
  const auto begin = common.find(start);
  ASSERT_NE(begin, std::string::npos);
  const auto end = common.find('\'', begin + start.size());
  ASSERT_NE(end, std::string::npos);
  const std::string prelude = common.substr(begin + start.size(), end - begin - start.size());
  EXPECT_EQ(std::string(embedded("secret_prelude.txt")), prelude);
  EXPECT_FALSE(prelude.ends_with("\n"));
}
