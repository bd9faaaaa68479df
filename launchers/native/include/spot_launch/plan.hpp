// The module's --help text, the --dry-run plan and the local files a real run requires.
#pragma once

#include <string>
#include <vector>

namespace spot_launch {

struct Module;
struct Session;

std::string usage_text(const Module& module);  // the module's --help
std::string plan_text(const Session& s);       // the --dry-run plan
std::vector<std::string> required_files(const Session& s);
void require_files(const Session& s);  // exit 2 when one is missing or unreadable

}  // namespace spot_launch
