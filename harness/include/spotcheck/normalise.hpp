// Normalisation for equivalence and goldens (DESIGN.md "Equivalence"): a recording becomes the
// sequence of its leaf calls, with volatile values (instance ids, addresses, temp paths, times)
// replaced by stable references such as `<instance-id:1>` — the same value, the same reference.
#pragma once
#include <cstdint>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "spotcheck/record.hpp"

namespace spotcheck::harness {

// One call that reached the world. Transport (an ssh that carried a heredoc with recorded calls
// under it) and local log utilities (`date`) are not leaves.
struct LeafCall {
  std::string host;  // "dispatcher" or a reference such as "<instance-id:1>"
  std::string tool;
  std::vector<std::string> args;  // argv[1..]: how argv[0] was spelled (a path or a bare name) is not behaviour
  std::vector<std::string> via;   // wrappers on the same host, outermost first: "sudo", "timeout 60"
  int exit = 0;
  std::vector<Payload> payloads;  // copied files: normalised path + digest
  std::string where;              // its origin, for messages: "seq 38" or "line 12"
};

// Maps volatile values to references, numbered by first appearance. One instance per recording,
// fed in seq order, so two equivalent runs get the same numbering.
class Normaliser {
 public:
  std::string apply(std::string_view text);

 private:
  std::string reference(const char* kind, std::string_view value);
  std::map<std::string, std::map<std::string, int, std::less<>>, std::less<>> refs_;
};

// The leaf calls of a recording, normalised, in seq order.
std::vector<LeafCall> leaf_calls(const std::vector<Record>& records);

// One line per call, shell-like: `timeout 60 > aws ssm get-parameter ... -> exit 124 [copies ...]`.
std::string render(const LeafCall& call);

// Golden files (`*.expected.jsonl`): one normalised leaf call per line.
nlohmann::json to_json(const LeafCall& call);
void write_golden(const std::filesystem::path& file, const std::vector<LeafCall>& calls);
// Reads either a golden or a raw recording (schema v1); bad input names FILE:LINE and the field.
std::vector<LeafCall> read_leaf_calls(const std::filesystem::path& file);

}  // namespace spotcheck::harness
