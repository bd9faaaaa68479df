// python: answers the workload catalog's entrypoints, delegates `-m pip`, and checks the script exists.
#include <filesystem>
#include <fstream>

#include "pip.hpp"
#include "spotcheck/catalog.hpp"
#include "spotcheck/fakes/shim.hpp"

namespace spotcheck::fakes {
namespace {

std::string version_of(const std::string& tool) {
  return tool == "python3.12" ? "Python 3.12.4" : tool == "python3.11" ? "Python 3.11.9" : "Python 3.9.16";
}

// Interpreter options that take a value (python -X dev, -W error).
bool option_takes_value(const std::string& a) {
  return a == "-X" || a == "-W" || a == "-Q";
}

// The value after `--flag` (or of `--flag=value`) in argv.
std::string argument_value(const std::vector<std::string>& argv, const std::string& flag) {
  for (std::size_t i = 0; i < argv.size(); ++i) {
    if (argv[i] == flag && i + 1 < argv.size()) return argv[i + 1];
    if (argv[i].rfind(flag + "=", 0) == 0) return argv[i].substr(flag.size() + 1);
  }
  return "";
}

void write_outputs(Call& call, const WorkloadInvocation& invocation) {
  for (const auto& o : invocation.outputs) {
    const std::string path = o.path.empty() ? argument_value(call.argv(), o.arg) : o.path;
    if (path.empty()) continue;  // the argument naming the file is absent: the program would not write it
    const std::filesystem::path p(path);
    if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary | std::ios::trunc) << o.text;
  }
}

int run_script(Call& call, const std::string& script) {
  if (script != "-" && !std::filesystem::exists(script)) {
    const auto absolute = (std::filesystem::current_path() / script).lexically_normal().string();
    call.err(call.tool() + ": can't open file '" + (script[0] == '/' ? script : absolute) +
             "': [Errno 2] No such file or directory\n");
    return 2;
  }
  if (script == "-") call.read_stdin();
  const auto& paths = call.ctx().paths;
  if (!std::filesystem::is_directory(paths.catalog())) {
    call.mark_unscripted();
    return 0;
  }
  const auto invocation = load_catalog(paths.catalog()).find(call.argv());
  if (!invocation) {
    call.mark_unscripted();
    return 0;
  }
  if (invocation->todo) call.mark_unscripted();  // listed by `spotcheck init`, not described yet
  write_outputs(call, *invocation);
  call.out(invocation->stdout_text);
  return invocation->exit;
}

}  // namespace

int run_python(Call& call) {
  const auto& argv = call.argv();
  for (std::size_t i = 1; i < argv.size(); ++i) {
    const auto& a = argv[i];
    if (a == "--version" || a == "-V") {
      call.out(version_of(call.tool()) + "\n");
      return 0;
    }
    if (a == "-m" && i + 1 < argv.size()) {
      if (argv[i + 1] == "pip")
        return pip_main(call, {argv.begin() + static_cast<long>(i) + 2, argv.end()}, call.tool());
      call.mark_unscripted();  // other modules (venv, pytest, ...) have no default behaviour
      return 0;
    }
    if (a == "-c") return 0;  // inline snippets (import checks) succeed; rules model failures
    if (option_takes_value(a)) {
      ++i;
      continue;
    }
    if (!a.empty() && a[0] == '-' && a != "-") continue;
    return run_script(call, a);
  }
  call.read_stdin();  // `python3 <<EOF`: the program comes on stdin
  call.mark_unscripted();
  return 0;
}

}  // namespace spotcheck::fakes
