// Tests of launchers/native/src/quote.cpp and template.cpp: bash's printf %q byte for byte, and
// module-description templates.
#include <gtest/gtest.h>

#include "spot_launch/error.hpp"
#include "spot_launch/quote.hpp"
#include "spot_launch/template.hpp"

using namespace spot_launch;

TEST(NativeQuote, PlainWordsAreLeftAlone) {
  EXPECT_EQ(shell_quote("us-east-1"), "us-east-1");
  EXPECT_EQ(shell_quote("/quant/github-token"), "/quant/github-token");
  EXPECT_EQ(shell_quote("%+@-_./:=a"), "%+@-_./:=a");
}

TEST(NativeQuote, TheEmptyWordIsTwoQuotes) {
  EXPECT_EQ(shell_quote(""), "''");
}

TEST(NativeQuote, ShellSpecialCharactersAreBackslashed) {
  EXPECT_EQ(shell_quote("set -a; . ~/backtester/.env; set +a"), "set\\ -a\\;\\ .\\ ~/backtester/.env\\;\\ set\\ +a");
  EXPECT_EQ(shell_quote("a'b"), "a\\'b");
  EXPECT_EQ(shell_quote("a,b^c"), "a\\,b\\^c");
}

TEST(NativeQuote, TildeAndHashAreEscapedOnlyWhereTheShellWouldExpandThem) {
  EXPECT_EQ(shell_quote("~a"), "\\~a");
  EXPECT_EQ(shell_quote("a=~b"), "a=\\~b");
  EXPECT_EQ(shell_quote("a:~b"), "a:\\~b");
  EXPECT_EQ(shell_quote("#a"), "\\#a");
  EXPECT_EQ(shell_quote("a#b"), "a#b");
}

TEST(NativeQuote, ControlCharactersUseAnsiCQuoting) {
  EXPECT_EQ(shell_quote("a\tb"), "$'a\\tb'");
}

TEST(NativeTemplate, ScalarsListsAndDefaultsExpand) {
  Vars v;
  v.scalars["B"] = "bucket";
  v.lists["RUN_STAGES"] = {"a", "b"};
  v.lists["NONE"] = {};
  EXPECT_EQ(expand("s3://${B}/x", v), "s3://bucket/x");
  EXPECT_EQ(expand("stages: ${RUN_STAGES}", v), "stages: a b");
  EXPECT_EQ(expand("${NONE:-none}", v), "none");
  EXPECT_EQ(expand_args({"${B}", "${RUN_STAGES[@]}", "${NONE[@]}"}, v), (std::vector<std::string>{"bucket", "a", "b"}));
}

TEST(NativeTemplate, AnUnknownVariableIsAnError) {
  EXPECT_THROW(expand("${X}", Vars{}), Error);
}

TEST(NativeTemplate, ReferencedNamesAreListed) {
  EXPECT_EQ(referenced_names("${A} ${B:-x} ${C[@]}"), (std::vector<std::string>{"A", "B", "C"}));
}
