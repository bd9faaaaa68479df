// What a run asked the World for that the world does not hold yet, added as placeholders so that the next
// run gets further (`spotcheck init`): S3 buckets it named and objects it read, SSM parameters it read,
// AMIs and repositories when the world lists them, and the dispatcher files ssh/scp were given.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "spotcheck/record.hpp"

namespace spotcheck::harness {

// Adds to `world` (a world description, as written in its file) what `records` asked for and `merged` (the
// world the run saw) lacks, and the dispatcher files the launcher's stderr says are missing. Returns one line
// per addition ("s3://bucket/key: placeholder contents"), for the user to fill in; empty when nothing was.
std::vector<std::string> extend_world(nlohmann::json& world, const nlohmann::json& merged,
                                      const std::vector<Record>& records, const std::string& launcher_stderr = "");

// The paths a text's "missing" lines name ("required file not found: X", "X: No such file or directory",
// "can't open file 'X'"), as written; with `files_only`, only file-system errors (not "key does not exist").
std::vector<std::string> paths_said_missing(const std::string& text, bool files_only = false);

}  // namespace spotcheck::harness
