// git: `clone` materialises the World's repo fixture as real files; a few read-only commands answer.
#include <filesystem>
#include <fstream>

#include "spotcheck/fakes/shim.hpp"
#include "spotcheck/fakes/state.hpp"
#include "spotcheck/record.hpp"
#include "world/internet.hpp"
#include "world/world_config.hpp"

namespace spotcheck::fakes {
namespace {

namespace fs = std::filesystem;

struct CloneArgs {
  std::string url;
  std::string dir;
  std::string branch;
};

std::string repo_name(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  auto slash = url.find_last_of("/:");
  std::string name = slash == std::string::npos ? url : url.substr(slash + 1);
  if (name.size() > 4 && name.compare(name.size() - 4, 4, ".git") == 0) name.resize(name.size() - 4);
  return name;
}

CloneArgs parse_clone(const std::vector<std::string>& argv, std::size_t from) {
  CloneArgs c;
  std::vector<std::string> positional;
  for (std::size_t i = from; i < argv.size(); ++i) {
    const auto& a = argv[i];
    if ((a == "--branch" || a == "-b") && i + 1 < argv.size())
      c.branch = argv[++i];
    else if (a.rfind("--branch=", 0) == 0)
      c.branch = a.substr(9);
    else if ((a == "--depth" || a == "--origin" || a == "-o" || a == "--reference") && i + 1 < argv.size())
      ++i;
    else if (!a.empty() && a[0] == '-')
      continue;
    else
      positional.push_back(a);
  }
  if (!positional.empty()) c.url = positional[0];
  c.dir = positional.size() > 1 ? positional[1] : repo_name(c.url);
  return c;
}

void write_text(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

int not_found(Call& call) {
  call.err(
      "ERROR: Repository not found.\nfatal: Could not read from remote repository.\n\n"
      "Please make sure you have the correct access rights\nand the repository exists.\n");
  return 128;
}

// The host of a remote URL (https://host/..., ssh://user@host/..., user@host:path); "" for a local path.
std::string remote_host(const std::string& url) {
  std::string rest;
  if (const auto scheme = url.find("://"); scheme != std::string::npos) {
    if (url.rfind("file://", 0) == 0) return "";
    rest = url.substr(scheme + 3);
    rest = rest.substr(0, rest.find('/'));
  } else {
    const auto colon = url.find(':');
    if (colon == std::string::npos || url.find('/') < colon) return "";  // a path
    rest = url.substr(0, colon);
  }
  rest = rest.substr(rest.rfind('@') == std::string::npos ? 0 : rest.rfind('@') + 1);
  return rest.substr(0, rest.find(':'));
}

// git's own words when the remote's host does not resolve (no network on this host).
int unreachable(Call& call, const std::string& url, const std::string& host) {
  if (url.find("://") != std::string::npos && url.rfind("ssh://", 0) != 0) {
    std::string shown = url;
    if (shown.back() != '/') shown += '/';
    call.err("fatal: unable to access '" + shown + "': Could not resolve host: " + host + "\n");
  } else {
    call.err("ssh: Could not resolve hostname " + host +
             ": Temporary failure in name resolution\r\nfatal: Could not read from remote repository.\n\n"
             "Please make sure you have the correct access rights\nand the repository exists.\n");
  }
  return 128;
}

int clone(Call& call, std::size_t from) {
  const auto c = parse_clone(call.argv(), from);
  if (c.url.empty()) {
    call.err("fatal: You must specify a repository to clone.\n");
    return 129;
  }
  if (const auto host = remote_host(c.url);
      !host.empty() && !world::reachable(call.ctx().paths, call.ctx().on_spot(), host)) {
    call.err("Cloning into '" + c.dir + "'...\n");
    return unreachable(call, c.url, host);
  }
  const auto& repos = world::world_config(call.ctx().paths).repos;
  const std::string name = repo_name(c.url);
  WorldConfig::Repo repo{{{"README.md", "# " + name + "\n"}, {"requirements.txt", ""}}, std::nullopt};
  if (repos) {
    const auto it = repos->find(name);
    if (it == repos->end()) return not_found(call);
    repo = it->second;
  }
  if (!c.branch.empty() && repo.branches &&
      std::find(repo.branches->begin(), repo.branches->end(), c.branch) == repo.branches->end()) {
    call.err("fatal: Remote branch " + c.branch + " not found in upstream origin\n");
    return 128;
  }
  const fs::path dest = c.dir;
  if (fs::exists(dest) && !fs::is_empty(dest)) {
    call.err("fatal: destination path '" + c.dir + "' already exists and is not an empty directory.\n");
    return 128;
  }
  call.err("Cloning into '" + c.dir + "'...\n");
  for (const auto& [path, text] : repo.files) write_text(dest / path, text);
  write_text(dest / ".git" / "HEAD", "ref: refs/heads/" + (c.branch.empty() ? std::string("main") : c.branch) + "\n");
  return 0;
}

}  // namespace

int run_git(Call& call) {
  const auto& argv = call.argv();
  std::size_t i = 1;
  while (i + 1 < argv.size() && (argv[i] == "-C" || argv[i] == "-c")) i += 2;
  if (i >= argv.size()) {
    call.err("usage: git [--version] [--help] [-C <path>] [-c <name>=<value>] <command> [<args>]\n");
    return 1;
  }
  const auto& sub = argv[i];
  if (sub == "clone") return clone(call, i + 1);
  if (sub == "rev-parse") {
    call.out(sha256_hex(call.ctx().host + call.record().cwd).substr(0, 40) + "\n");
    return 0;
  }
  if (sub == "--version" || sub == "version") {
    call.out("git version 2.40.1\n");
    return 0;
  }
  if (sub == "pull" || sub == "fetch" || sub == "checkout" || sub == "status" || sub == "config") return 0;
  call.mark_unscripted();
  return 0;
}

}  // namespace spotcheck::fakes
