// The launcher: `spot-launch MODULE [FLAGS]`, one module description driving the whole run.
#pragma once

#include <string>
#include <vector>

namespace spot_launch {

// The whole program (main.cpp forwards here): returns the exit status.
int spot_launch_main(int argc, char** argv);

}  // namespace spot_launch

namespace spot_launch {

struct Session;
struct Module;
struct Flags;

std::string usage_text(const Module& module);  // the module's --help
std::string plan_text(const Session& s);                            // the --dry-run plan
std::vector<std::string> required_files(const Session& s);
void require_files(const Session& s);  // exit 2 when one is missing or unreadable
void arm_cleanup(Session& s);          // signal handlers, temp dir; the guard terminates from here on
void run_module(Session& s);           // boot, setup, then preflight | smoke-only | full run

}  // namespace spot_launch
