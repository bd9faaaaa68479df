// Child processes of transport shims, through Boost.Process; the child inherits our stdio.
#include "spawn.hpp"

#include <stdlib.h>

#include <boost/process.hpp>

namespace spotcheck::fakes {

namespace bp = boost::process;

int run_child(Call& call, const std::vector<std::string>& argv, const std::map<std::string, std::string>& extra_env) {
  if (argv.empty()) return 0;
  auto exe = argv[0].find('/') != std::string::npos ? boost::filesystem::path(argv[0]) : bp::search_path(argv[0]);
  if (exe.empty()) {
    call.err(call.tool() + ": " + argv[0] + ": command not found\n");
    return 127;
  }
  // The child inherits our environment plus these. Set here rather than through bp::environment,
  // whose find() (Boost 1.74) reads past entries shorter than the key (AddressSanitizer caught it);
  // the fake is one single-threaded process per call, so its own environment is its to change.
  ::setenv("SPOTCHECK_PARENT", std::to_string(call.seq()).c_str(), 1);
  for (const auto& [k, v] : extra_env) ::setenv(k.c_str(), v.c_str(), 1);
  std::vector<std::string> args(argv.begin() + 1, argv.end());
  std::error_code ec;
  bp::child child(exe, bp::args(args), ec);
  if (ec) {
    call.err(call.tool() + ": unable to execute " + argv[0] + ": " + ec.message() + "\n");
    return 126;
  }
  child.wait(ec);
  const int native = child.native_exit_code();
  if (WIFSIGNALED(native)) return 128 + WTERMSIG(native);
  return child.exit_code();
}

}  // namespace spotcheck::fakes
