// Child processes of transport shims, through Boost.Process; the child inherits our stdio.
#include "spawn.hpp"

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
  auto env = boost::this_process::environment();
  bp::environment child_env = env;
  child_env["SPOTCHECK_PARENT"] = std::to_string(call.seq());
  for (const auto& [k, v] : extra_env) child_env[k] = v;
  std::vector<std::string> args(argv.begin() + 1, argv.end());
  std::error_code ec;
  bp::child child(exe, bp::args(args), child_env, ec);
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
