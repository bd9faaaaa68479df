// The command line: `spot-launch MODULE [FLAGS]` or `spot-launch --module-file PATH [FLAGS]`;
// every error is printed once here.
#include <fmt/core.h>
#include <signal.h>

#include <cstdio>
#include <cstdlib>

#include "spot_launch/config.hpp"
#include "spot_launch/error.hpp"
#include "spot_launch/flags.hpp"
#include "spot_launch/launcher.hpp"
#include "spot_launch/log.hpp"
#include "spot_launch/module.hpp"
#include "spot_launch/plan.hpp"
#include "spot_launch/session.hpp"
#include "spot_launch/signals.hpp"
#include "spot_launch/strings.hpp"

namespace spot_launch {
namespace {

std::string general_usage() {
  const std::string names = join(builtin_module_names(), ", ");
  return "Usage: spot-launch MODULE [options]\n"
         "       spot-launch --module-file PATH [options]\n\n"
         "Runs MODULE (" +
         names +
         ") on a one-time EC2 spot instance that is always terminated on exit.\n"
         "--module-file runs a module description from disk instead of a built-in one.\n"
         "'spot-launch MODULE --help' lists the options.\n";
}

// Prints E once; never throws (a failing stderr must not skip the cleanup that follows).
void report(const Error& e) noexcept {
  try {
    switch (e.kind()) {
      case ErrorKind::Usage:
        write_stderr(fmt::format("{}: error: {}\nTry '{} --help'.\n", log_tag(), e.what(), log_tag()));
        break;
      case ErrorKind::Failure:
        write_stderr(fmt::format("spot-launch: error: {}\n", e.what()));
        break;
      case ErrorKind::Signal:
        break;
    }
  } catch (...) {
  }
}

void report_internal(const std::exception& e) noexcept {
  try {
    write_stderr(fmt::format("spot-launch: error: {}\n", e.what()));
  } catch (...) {
  }
}

// SIGPIPE does nothing (a write to a closed pipe fails with EPIPE instead of killing the launcher
// before its cleanup). A handler, not SIG_IGN: exec resets it, so the tools get the default back.
void on_sigpipe(int) {}

void install_sigpipe_handler() {
  struct sigaction sa {};
  sa.sa_handler = on_sigpipe;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  ::sigaction(SIGPIPE, &sa, nullptr);
}

Module select_module(std::vector<std::string>& args) {
  const std::string first = args.front();
  if (first == "--module-file" || first.starts_with("--module-file=")) {
    std::string path;
    if (first != "--module-file") {
      path = first.substr(first.find('=') + 1);
      args.erase(args.begin());
    } else {
      if (args.size() < 2 || args[1].starts_with("--")) usage_error("--module-file needs a value");
      path = args[1];
      args.erase(args.begin(), args.begin() + 2);
    }
    if (path.empty()) usage_error("--module-file needs a non-empty value");
    return load_module_file(path);
  }
  if (first.starts_with("-")) usage_error("the first argument must be a MODULE or --module-file, got '" + first + "'");
  args.erase(args.begin());
  return load_builtin_module(first);
}

int run(std::vector<std::string> args) {
  if (args.empty()) usage_error("missing MODULE");
  if (args.front() == "-h" || args.front() == "--help") {
    fmt::print("{}", general_usage());
    return 0;
  }
  const Module module = select_module(args);
  set_log_tag("spot-launch " + module.name);
  const Flags flags = parse_flags(args, module.full_stages);
  if (flags.help) {
    fmt::print("{}", usage_text(module));
    return 0;
  }
  Config config = load_config(module, flags, process_env());
  ::setenv("AWS_REGION", config.region.c_str(), 1);  // bash exports it
  Session session(module, std::move(config), flags);
  if (flags.dry_run) {
    fmt::print("{}", plan_text(session));
    std::fflush(stdout);
    return 0;
  }
  require_files(session);
  try {
    run_module(session);
  } catch (const Error& e) {
    report(e);
    return session.guard.cleanup(e.status());
  } catch (const std::exception& e) {  // not ours (bad_alloc, a library's): still cleaned up, after the line
    report_internal(e);
    return session.guard.cleanup(1);
  }
  // A signal that arrived after the last child still fails the run, as bash's trap would.
  if (const auto sig = take_pending_signal()) {
    log("received " + signal_name(*sig));
    return session.guard.cleanup(128 + *sig);
  }
  return session.guard.cleanup(0);
}

}  // namespace

int spot_launch_main(int argc, char** argv) {
  install_sigpipe_handler();
  try {
    return run(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const Error& e) {
    report(e);
    return e.status();
  } catch (const std::exception& e) {
    report_internal(e);
    return 1;
  }
}

}  // namespace spot_launch
