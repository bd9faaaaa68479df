// sudo and timeout: transports that record themselves and run their command as a nested call.
#include <string>

#include "spawn.hpp"
#include "spotcheck/fakes/shim.hpp"

namespace spotcheck::fakes {
namespace {

// GNU timeout's DURATION: a number with an optional s/m/h/d suffix.
bool parse_duration(const std::string& text, double& seconds) {
  try {
    std::size_t used = 0;
    seconds = std::stod(text, &used);
    const std::string suffix = text.substr(used);
    if (suffix.empty() || suffix == "s") return seconds >= 0;
    if (suffix == "m")
      seconds *= 60;
    else if (suffix == "h")
      seconds *= 3600;
    else if (suffix == "d")
      seconds *= 86400;
    else
      return false;
    return seconds >= 0;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace

int run_sudo(Call& call) {
  const auto& argv = call.argv();
  std::size_t i = 1;
  for (; i < argv.size() && argv[i].size() > 1 && argv[i][0] == '-'; ++i) {
    if ((argv[i] == "-u" || argv[i] == "-g") && ++i >= argv.size()) break;  // -u USER: allowed, as with NOPASSWD
    if (argv[i] == "--") {
      ++i;
      break;
    }
  }
  if (i >= argv.size()) {
    call.err("usage: sudo -h | -K | -k | -V\nusage: sudo [-AbEHknPS] [-u user] command [arg ...]\n");
    return 1;
  }
  return run_child(call, {argv.begin() + static_cast<long>(i), argv.end()}, {{"SPOTCHECK_SUDO", "1"}});
}

int run_timeout(Call& call) {
  const auto& argv = call.argv();
  std::size_t i = 1;
  for (; i < argv.size() && argv[i].size() > 1 && argv[i][0] == '-'; ++i) {
    if (argv[i] == "-s" || argv[i] == "-k" || argv[i] == "--signal" || argv[i] == "--kill-after") ++i;
  }
  double seconds = 0;
  if (i + 1 >= argv.size() || !parse_duration(argv[i], seconds)) {
    call.err("timeout: invalid time interval or missing command\nTry 'timeout --help' for more information.\n");
    return 125;
  }
  // The child sees its budget; a child that hangs by rule then "times out" in virtual time (exit 124).
  return run_child(call, {argv.begin() + static_cast<long>(i) + 1, argv.end()},
                   {{kEnvTimeout, std::to_string(seconds)}});
}

}  // namespace spotcheck::fakes
