// Unit tests for the one JSON validator (contracts/src/json_cursor.cpp): the wording every loader shares.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "spotcheck/json_cursor.hpp"

namespace spotcheck {
namespace {

using nlohmann::json;

// Runs `read` over `doc` (as f.json) and returns the error text; fails the test when nothing is thrown.
template <class Read>
std::string error_of(const json& doc, Read read) {
  try {
    read(JsonCursor(doc, "f.json"));
  } catch (const JsonError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::BadInput);
    EXPECT_EQ(e.where(), "f.json");
    return e.what();
  }
  ADD_FAILURE() << "no error for " << doc.dump();
  return "";
}

TEST(JsonCursor, AnUnknownKeyListsTheKnownKeysAndTheNearestOne) {
  EXPECT_EQ(error_of(json::parse(R"({"regoin": "x"})"),
                     [](const JsonCursor& c) {
                       c.require_object({"region", "credentials", "amis"});
                     }),
            "f.json: /regoin: unknown key; expected one of amis, credentials, region (did you mean \"region\"?)");
}

TEST(JsonCursor, AnUnknownKeyWithNoCloseMatchSuggestsNothing) {
  EXPECT_EQ(error_of(json::parse(R"({"colour": "red"})"),
                     [](const JsonCursor& c) {
                       c.require_object({"region", "credentials"});
                     }),
            "f.json: /colour: unknown key; expected one of credentials, region");
}

TEST(JsonCursor, KeysWithSlashAndTildeAreEscapedInThePointer) {
  EXPECT_EQ(
      error_of(json::parse(R"({"a/b": {"c~d": 1}})"), [](const JsonCursor& c) { c.at("a/b").require_object({"c~e"}); }),
      "f.json: /a~1b/c~0d: unknown key; expected one of c~e (did you mean \"c~e\"?)");
  EXPECT_EQ(error_of(json::parse(R"({"m": {"x/y": 2}})"), [](const JsonCursor& c) { c.at("m").string_map(); }),
            "f.json: /m/x~1y: expected a string, got the number 2");
}

TEST(JsonCursor, AWrongTypeSaysWhatWasExpectedAndWhatCame) {
  const json doc = json::parse(R"({"n": 3, "s": "three", "b": true, "a": [1], "o": {}, "z": null})");
  EXPECT_EQ(error_of(doc, [](const JsonCursor& c) { c.at("n").string(); }),
            "f.json: /n: expected a string, got the number 3");
  EXPECT_EQ(error_of(doc, [](const JsonCursor& c) { c.at("s").integer(); }),
            "f.json: /s: expected an integer, got the string \"three\"");
  EXPECT_EQ(error_of(doc, [](const JsonCursor& c) { c.at("b").strings(); }),
            "f.json: /b: expected an array of strings, got true");
  EXPECT_EQ(error_of(doc, [](const JsonCursor& c) { c.at("a").at(0).boolean(); }),
            "f.json: /a/0: expected true or false, got the number 1");
  EXPECT_EQ(error_of(doc, [](const JsonCursor& c) { c.at("o").elements(); }),
            "f.json: /o: expected an array, got an object");
  EXPECT_EQ(error_of(doc, [](const JsonCursor& c) { c.at("z").members(); }),
            "f.json: /z: expected an object, got null");
}

TEST(JsonCursor, TheDocumentItselfIsWrittenRoot) {
  EXPECT_EQ(error_of(json::array(), [](const JsonCursor& c) { c.require_object({}); }),
            "f.json: (root): expected an object, got an array");
}

TEST(JsonCursor, AMissingKeyIsNamedByItsPointer) {
  EXPECT_EQ(error_of(json::object(), [](const JsonCursor& c) { c.at("name"); }),
            "f.json: /name: required key is missing");
}

TEST(JsonCursor, OneOfListsTheNamesAndTheNearestOne) {
  EXPECT_EQ(error_of(json("TREM"),
                     [](const JsonCursor& c) {
                       c.one_of({"TERM", "INT", "HUP"});
                     }),
            "f.json: (root): expected one of TERM, INT, HUP, got the string \"TREM\" (did you mean \"TERM\"?)");
  EXPECT_EQ(JsonCursor(json("INT"), "f.json").one_of({"TERM", "INT"}), "INT");
}

TEST(JsonCursor, RangesAreStated) {
  EXPECT_EQ(error_of(json(256), [](const JsonCursor& c) { c.integer(0, 255); }),
            "f.json: (root): expected an integer in 0..255, got the number 256");
  EXPECT_EQ(error_of(json(0), [](const JsonCursor& c) { c.integer(1); }),
            "f.json: (root): expected an integer >= 1, got the number 0");
  EXPECT_EQ(error_of(json(0.25), [](const JsonCursor& c) { c.number(0.5); }),
            "f.json: (root): expected a number >= 0.5, got the number 0.25");
  EXPECT_EQ(error_of(json(-1), [](const JsonCursor& c) { c.integer64(0); }),
            "f.json: (root): expected an integer >= 0, got the number -1");
  EXPECT_EQ(error_of(json(""), [](const JsonCursor& c) { c.non_empty_string(); }),
            "f.json: (root): expected a non-empty string, got the string \"\"");
}

TEST(JsonCursor, ARegexMustCompileInItsDialect) {
  EXPECT_THAT(error_of(json("(a"), [](const JsonCursor& c) { c.regex(); }),
              ::testing::StartsWith("f.json: (root): expected a valid ECMAScript regular expression, got the string "
                                    "\"(a\" ("));
  EXPECT_THAT(error_of(json("a{"), [](const JsonCursor& c) { c.regex(std::regex::extended); }),
              ::testing::StartsWith("f.json: (root): expected a valid POSIX extended regular expression"));
  EXPECT_EQ(JsonCursor(json("^a+$"), "f.json").regex(), "^a+$");
}

TEST(JsonCursor, ALongStringIsClippedInTheMessage) {
  EXPECT_EQ(error_of(json(std::string(100, 'x')), [](const JsonCursor& c) { c.integer(); }),
            "f.json: (root): expected an integer, got the string \"" + std::string(36, 'x') + "...");
}

TEST(JsonCursor, TheErrorKeepsThePointerAndTheMessageApart) {
  try {
    JsonCursor(json::parse(R"({"a": {"b": 1}})"), "f.json").at("a").at("b").string();
    FAIL() << "no error";
  } catch (const JsonError& e) {
    EXPECT_EQ(e.pointer(), "/a/b");
    EXPECT_EQ(e.message(), "expected a string, got the number 1");
    EXPECT_EQ(e.reason(), "/a/b: expected a string, got the number 1");
  }
}

TEST(JsonPointerToken, EscapesTildeThenSlash) {
  EXPECT_EQ(json_pointer_token("a/b~c"), "a~1b~0c");
  EXPECT_EQ(json_pointer_token("~1"), "~01");
  EXPECT_EQ(json_pointer_token("plain"), "plain");
}

TEST(ClosestMatch, SuggestsOnlyLikelyTypos) {
  EXPECT_EQ(closest_match("efects", {"effects", "exit"}), "effects");  // a deletion
  EXPECT_EQ(closest_match("regoin", {"region"}), "region");            // a transposition is one edit
  EXPECT_EQ(closest_match("tol", {"tool", "host"}), "tool");
  EXPECT_EQ(closest_match("x", {"v"}), std::nullopt) << "one edit of a one-letter word is not a typo";
  EXPECT_EQ(closest_match("bogus", {"host", "tool"}), std::nullopt);
  EXPECT_EQ(closest_match("abcdef", {"abcxyz"}), std::nullopt) << "three edits";
}

TEST(ParseJson, ASyntaxErrorNamesTheFileAndTheByte) {
  try {
    parse_json(R"({"name": "x",,})", "f.json");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.where(), "f.json");
    EXPECT_THAT(e.reason(), ::testing::StartsWith("invalid JSON at byte 14: parse error at line 1, column 14: "));
  }
}

TEST(ReadJsonFile, AMissingFileIsBadInputNamingIt) {
  try {
    read_json_file("/nonexistent/spotcheck/f.json");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "/nonexistent/spotcheck/f.json: can't read the file: No such file or directory");
  }
}

}  // namespace
}  // namespace spotcheck
