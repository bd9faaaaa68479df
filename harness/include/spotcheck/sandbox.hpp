// The dispatcher's sandbox: the hermeticity rules (DESIGN.md) as a SandboxPlan (spotcheck/sandbox_plan.hpp).
#pragma once
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "spotcheck/sandbox_plan.hpp"

namespace spotcheck::harness {

struct SandboxSpec {
  std::filesystem::path run_dir;                  // host side of /spotcheck
  std::filesystem::path fake_binary;              // build/bin/spotcheck-fake
  std::filesystem::path launcher;                 // the script to run, unmodified
  std::vector<std::string> args;                  // its arguments
  std::vector<std::filesystem::path> real_tools;  // host paths of real aws/ssh/python... to hide behind the fake
  std::map<std::string, std::string> env;         // the launcher's whole environment
  // build/bin/spotcheck-call, which the launcher's shims run: a call handed to the run's call server (the
  // supervisor) instead of a fake started per call. Empty: the shims are not bound to it.
  std::filesystem::path call_client;
  // The descriptor the supervisor waits on before it starts anything (kReadyFdFlag); -1: it starts at once.
  int ready_fd = -1;
};

inline constexpr const char* kSandboxRoot = "/run/spotcheck";  // under a hidden tmpfs, so bwrap can create it
inline constexpr const char* kDispatcherHome = "/home/runner";
inline constexpr const char* kDispatcherWorkdir = "/home/runner/work";

SandboxPlan plan_sandbox(const SandboxSpec& spec);

// Host paths of every executable the fakes stand for (found in the standard bin dirs), so that an
// absolute path such as /usr/bin/aws reaches the fake too.
std::vector<std::filesystem::path> find_real_tools(const std::vector<std::string>& tool_names);

}  // namespace spotcheck::harness
