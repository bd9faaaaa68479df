// Templates in module descriptions: ${NAME}, ${NAME:-default}, and the list argument ${NAME[@]}.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace spot_launch {

struct Vars {
  std::map<std::string, std::string> scalars;
  std::map<std::string, std::vector<std::string>> lists;  // a list's scalar value is its items joined by ' '
};

std::string expand(const std::string& text, const Vars& vars);
// One ARGS entry: exactly "${NAME[@]}" becomes the list's items (possibly none), else one word.
std::vector<std::string> expand_args(const std::vector<std::string>& args, const Vars& vars);
// The names TEXT refers to (for validating a description before any run).
std::vector<std::string> referenced_names(const std::string& text);

}  // namespace spot_launch
