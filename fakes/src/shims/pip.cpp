// pip: installs are checked against real files (requirements.txt, -e projects) and remembered per host.
#include "pip.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "spotcheck/fakes/shim.hpp"
#include "spotcheck/fakes/state.hpp"
#include "world/internet.hpp"

namespace spotcheck::fakes {
namespace {

namespace fs = std::filesystem;

// "pandas==2.2.1  # pinned" -> "pandas==2.2.1"; blanks, comments and options give "".
std::string requirement_of(std::string line) {
  if (auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
  const auto b = line.find_first_not_of(" \t\r");
  if (b == std::string::npos || line[b] == '-') return "";
  const auto e = line.find_last_not_of(" \t\r");
  return line.substr(b, e - b + 1);
}

bool read_requirements(Call& call, const std::string& file, std::vector<std::string>& out) {
  std::ifstream in(file);
  if (!in) {
    call.err("ERROR: Could not open requirements file: [Errno 2] No such file or directory: '" + file + "'\n");
    return false;
  }
  for (std::string line; std::getline(in, line);) {
    if (auto r = requirement_of(line); !r.empty()) out.push_back(r);
  }
  return true;
}

bool editable_project(Call& call, const std::string& dir, std::vector<std::string>& out) {
  if (!fs::exists(fs::path(dir) / "setup.py") && !fs::exists(fs::path(dir) / "pyproject.toml")) {
    call.err("ERROR: file://" + fs::weakly_canonical(fs::absolute(dir)).string() +
             " does not appear to be a Python project: neither 'setup.py' nor "
             "'pyproject.toml' found.\n");
    return false;
  }
  out.push_back(fs::path(dir).filename().string() + " (editable)");
  return true;
}

void remember(Call& call, const std::vector<std::string>& packages) {
  update_state(call.ctx().paths, "pip-" + call.ctx().host, [&](nlohmann::json& s) {
    for (const auto& p : packages) s["installed"].push_back(p);
  });
}

// A requirement's project name: "pandas==2.2.1" -> "pandas", "numpy>=1.26; python_version>'3'" -> "numpy".
std::string project_name(const std::string& requirement) {
  return requirement.substr(0, requirement.find_first_of(" =<>!~;[@"));
}

// pip's own words when the package index does not answer (no network on this host): five retries, then
// no version of the first requirement is found.
int index_unreachable(Call& call, const std::string& requirement) {
  const std::string name = project_name(requirement);
  for (int left = 4; left >= 0; --left) {
    call.err("WARNING: Retrying (Retry(total=" + std::to_string(left) +
             ", connect=None, read=None, redirect=None, status=None)) after connection broken by "
             "'NewConnectionError('<pip._vendor.urllib3.connection.HTTPSConnection object at 0x7f3c2a1b4d90>: "
             "Failed to establish a new connection: [Errno -3] Temporary failure in name resolution')': /simple/" +
             name + "/\n");
  }
  call.err("ERROR: Could not find a version that satisfies the requirement " + requirement +
           " (from versions: none)\nERROR: No matching distribution found for " + requirement + "\n");
  return 1;
}

int install(Call& call, const std::vector<std::string>& args) {
  std::vector<std::string> packages;
  bool quiet = false;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const auto& a = args[i];
    if (a == "-q" || a == "--quiet")
      quiet = true;
    else if ((a == "-r" || a == "--requirement") && i + 1 < args.size()) {
      if (!read_requirements(call, args[++i], packages)) return 1;
    } else if ((a == "-e" || a == "--editable") && i + 1 < args.size()) {
      if (!editable_project(call, args[++i], packages)) return 1;
    } else if (!a.empty() && a[0] != '-')
      packages.push_back(a);
  }
  // Requirements come from the package index (editable local projects do not): it must be reachable.
  const auto from_index = std::find_if(packages.begin(), packages.end(),
                                       [](const std::string& p) { return p.find(" (editable)") == std::string::npos; });
  if (from_index != packages.end() && !world::reachable(call.ctx().paths, call.ctx().on_spot(), "pypi.org"))
    return index_unreachable(call, *from_index);
  remember(call, packages);
  if (!quiet && !packages.empty()) {
    std::string names;
    for (const auto& p : packages) names += " " + p;
    call.out("Successfully installed" + names + "\n");
  }
  return 0;
}

int freeze(Call& call) {
  const auto s = read_state(call.ctx().paths, "pip-" + call.ctx().host);
  if (s.contains("installed")) {
    for (const auto& p : s["installed"]) call.out(p.get<std::string>() + "\n");
  }
  return 0;
}

}  // namespace

int pip_main(Call& call, const std::vector<std::string>& args, const std::string& python) {
  if (args.empty()) {
    call.err("\nUsage:   \n  " + python + " -m pip <command> [options]\n");
    return 1;
  }
  if (args[0] == "install") return install(call, args);
  if (args[0] == "freeze" || args[0] == "list") return freeze(call);
  if (args[0] == "--version" || args[0] == "-V") {
    call.out("pip 23.3.2 from /usr/lib/python3.12/site-packages/pip (python 3.12)\n");
    return 0;
  }
  call.mark_unscripted();
  return 0;
}

int run_pip(Call& call) {
  const auto& argv = call.argv();
  return pip_main(call, {argv.begin() + 1, argv.end()}, call.tool());
}

}  // namespace spotcheck::fakes
