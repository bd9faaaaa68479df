// The semantic differ (DESIGN.md "Equivalence"): two recordings are equivalent when every host has
// the same sequence of normalised leaf calls. Polling repeats are matched strictly in order: one
// more `ssh ... true` is a divergence, not noise.
#pragma once
#include <string>
#include <vector>

#include "spotcheck/normalise.hpp"

namespace spotcheck::harness {

struct DiffLabels {
  std::string a = "A";  // how the report names each side: a file name, "golden (bash)", "native"
  std::string b = "B";
};

struct HostDiff {
  std::string host;
  std::size_t a_calls = 0, b_calls = 0;
  std::size_t removed = 0, added = 0;  // calls only in A / only in B
};

struct DiffResult {
  bool equivalent = true;
  std::vector<HostDiff> hosts;  // only the hosts that differ, first divergence first
  std::string report;           // the first divergence with context (diff -u style), then a summary
};

// `max_hunks` bounds the unified hunks printed per host (the first one is always shown).
DiffResult diff_leaf_calls(const std::vector<LeafCall>& a, const std::vector<LeafCall>& b,
                           const DiffLabels& labels = {}, std::size_t max_hunks = 3);

// What differs between two calls that occupy the same place: "argv[5]: `--region` vs `us-east-1`",
// "argv[3..4] `--region us-east-1` is missing in native".
std::string explain_difference(const LeafCall& a, const LeafCall& b, const DiffLabels& labels = {});

}  // namespace spotcheck::harness
