// Matching a call against a scenario's call pattern (expectations and behaviour rules alike).
#include "spotcheck/call_pattern.hpp"

#include <algorithm>
#include <regex>

#include "spotcheck/text.hpp"

namespace spotcheck {

bool matches(const CallPattern& p, const std::string& host, const std::string& tool,
             const std::vector<std::string>& argv) {
  if (p.host && !host_matches(*p.host, host)) return false;
  if (p.tool && !tool_matches(*p.tool, tool)) return false;
  if (!p.argv_prefix.empty() && p.argv_prefix.size() + 1 > argv.size()) return false;
  for (std::size_t i = 0; i < p.argv_prefix.size(); ++i) {
    if (argv[i + 1] != p.argv_prefix[i]) return false;
  }
  const auto args_begin = argv.empty() ? argv.end() : argv.begin() + 1;
  for (const auto& needle : p.argv_contains) {
    if (std::find(args_begin, argv.end(), needle) == argv.end()) return false;
  }
  if (p.argv_regex) {
    const std::string line = join(std::vector<std::string>(args_begin, argv.end()), " ");
    if (!std::regex_search(line, std::regex(*p.argv_regex))) return false;
  }
  return true;
}

}  // namespace spotcheck
