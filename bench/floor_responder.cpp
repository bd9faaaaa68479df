// floor-responder: the bench floor's minimal static multi-call tool; answers only what spot_backtest.sh needs.
//
// The floor is "the same launcher work without the harness": no sandbox, no recording, no World.
// basename(argv[0]) picks the tool; remote scripts really run (ssh execs `bash -c`, stdin inherited).
// Nothing here touches the network or a real cloud tool: sudo/timeout only exec bare names, which the
// floor's PATH resolves to links of this same binary.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <string_view>
#include <vector>

namespace {

using Args = std::vector<std::string>;

constexpr const char* kInstanceId = "i-0f100r000000000b1";
constexpr const char* kPublicIp = "203.0.113.10";
constexpr const char* kToken = "ghp_floor0000000000000000000000000000000";
constexpr std::time_t kFixedTime = 1798761600;  // 2027-01-01T00:00:00Z, as the fake's virtual epoch

void print_line(const char* text) {
  std::printf("%s\n", text);
}

bool has(const Args& args, std::string_view word) {
  for (const auto& a : args)
    if (a == word) return true;
  return false;
}

int run_aws(const Args& args) {
  if (has(args, "run-instances"))
    print_line(kInstanceId);
  else if (has(args, "describe-instances"))
    print_line(kPublicIp);
  else if (has(args, "get-parameter"))
    print_line(kToken);
  return 0;
}

// Options of OpenSSH's ssh (and scp, with -P) that take a value in the next word.
bool takes_value(const std::string& opt, std::string_view valued) {
  return opt.size() == 2 && opt[0] == '-' && valued.find(opt[1]) != std::string_view::npos;
}

// Drops leading options (valued ones with their value) and returns the remaining words.
Args positionals(const Args& args, std::string_view valued) {
  std::size_t i = 0;
  while (i < args.size() && args[i].size() > 1 && args[i][0] == '-') {
    if (args[i] == "--") {
      ++i;
      break;
    }
    i += takes_value(args[i], valued) ? 2 : 1;
  }
  return Args(args.begin() + static_cast<std::ptrdiff_t>(std::min(i, args.size())), args.end());
}

std::string join(const Args& words, std::size_t from) {
  std::string out;
  for (std::size_t i = from; i < words.size(); ++i) out += (out.empty() ? "" : " ") + words[i];
  return out;
}

// As sshd does: the command starts in the (spot's) home directory.
int exec_bash(const std::string& command) {
  if (const char* home = std::getenv("HOME"); home && chdir(home) != 0) std::perror("floor ssh: chdir $HOME");
  execl("/bin/bash", "bash", "-c", command.c_str(), static_cast<char*>(nullptr));
  std::perror("floor ssh: exec /bin/bash");
  return 127;
}

int run_ssh(const Args& args) {
  const Args words = positionals(args, "bcDEeFIiJLlmOopQRSWw");
  if (words.empty()) {
    std::fputs("floor ssh: no destination\n", stderr);
    return 255;
  }
  const std::string command = join(words, 1);
  return exec_bash(command.empty() ? "bash -s" : command);
}

bool make_dirs(const std::string& dir) {
  for (std::size_t pos = 1; pos <= dir.size(); ++pos) {
    if (pos != dir.size() && dir[pos] != '/') continue;
    const std::string prefix = dir.substr(0, pos);
    if (mkdir(prefix.c_str(), 0755) != 0 && errno != EEXIST) return false;
  }
  return true;
}

bool is_dir(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::string base_name(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool copy_file(const std::string& from, const std::string& to) {
  std::FILE* in = std::fopen(from.c_str(), "rb");
  if (!in) return false;
  std::FILE* out = std::fopen(to.c_str(), "wb");
  if (!out) {
    std::fclose(in);
    return false;
  }
  char buf[8192];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, in)) > 0) std::fwrite(buf, 1, n, out);
  std::fclose(in);
  return std::fclose(out) == 0;
}

// "user@host:~/a/b" -> "$HOME/a/b" (the remote path, relative to the spot's home = this HOME).
std::string remote_to_local(const std::string& dest) {
  std::string path = dest.substr(dest.find(':') + 1);
  if (path.rfind("~/", 0) == 0) path = path.substr(2);
  const char* home = std::getenv("HOME");
  return path.rfind('/', 0) == 0 ? path : std::string(home ? home : ".") + "/" + path;
}

int run_scp(const Args& args) {
  const Args words = positionals(args, "cFiJlPoS");
  if (words.size() < 2) {
    std::fputs("floor scp: need SOURCE... DEST\n", stderr);
    return 1;
  }
  const std::string dest = remote_to_local(words.back());
  const bool into_dir = dest.back() == '/' || is_dir(dest);
  for (std::size_t i = 0; i + 1 < words.size(); ++i) {
    const std::string target = into_dir ? dest + (dest.back() == '/' ? "" : "/") + base_name(words[i]) : dest;
    if (!make_dirs(target.substr(0, target.find_last_of('/'))) || !copy_file(words[i], target)) {
      std::fprintf(stderr, "floor scp: cannot copy %s to %s\n", words[i].c_str(), target.c_str());
      return 1;
    }
  }
  return 0;
}

int run_git(const Args& args) {
  if (args.empty() || args[0] != "clone") return 0;
  Args repo_and_dest;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const bool valued = args[i] == "--depth" || args[i] == "--branch" || args[i] == "-b";
    if (valued)
      ++i;
    else if (args[i][0] != '-')
      repo_and_dest.push_back(args[i]);
  }
  if (repo_and_dest.empty()) return 128;
  std::string dest = repo_and_dest.back();
  if (repo_and_dest.size() == 1) {
    dest = base_name(dest);
    if (dest.size() > 4 && dest.ends_with(".git")) dest.resize(dest.size() - 4);
  }
  if (!make_dirs(dest)) return 128;
  for (const char* file : {"requirements.txt", "setup.py", "backtest.py", "evaluate.py", "pit_parity.py"})
    if (std::FILE* f = std::fopen((dest + "/" + file).c_str(), "w")) std::fclose(f);
  return 0;
}

// Execs ARGS through PATH (the floor's links come first); absolute paths are refused, never run.
int exec_bare(const Args& args, const char* who) {
  if (args.empty()) return 0;
  if (args[0].find('/') != std::string::npos) {
    std::fprintf(stderr, "floor %s: refusing to run %s (only floor tools by bare name)\n", who, args[0].c_str());
    return 126;
  }
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  execvp(argv[0], argv.data());
  std::fprintf(stderr, "floor %s: cannot exec %s: %s\n", who, argv[0], std::strerror(errno));
  return 127;
}

int run_sudo(const Args& args) {
  return exec_bare(positionals(args, "ughpCDrt"), "sudo");
}

// timeout [-k D] [-s SIG] [--flags] DURATION CMD...: runs CMD (no time limit: nothing here hangs).
int run_timeout(const Args& args) {
  const Args words = positionals(args, "ks");
  if (words.empty()) return 125;
  return exec_bare(Args(words.begin() + 1, words.end()), "timeout");
}

int run_date(const Args& args) {
  std::string format = "%a %b %e %H:%M:%S UTC %Y";
  for (const auto& a : args)
    if (a.size() > 1 && a[0] == '+') format = a.substr(1);
  char out[256];
  std::tm tm{};
  gmtime_r(&kFixedTime, &tm);
  std::strftime(out, sizeof out, format.c_str(), &tm);
  print_line(out);
  return 0;
}

int run_silent(const Args&) {
  return 0;
}

struct Tool {
  std::string_view name;
  int (*run)(const Args&);
};

constexpr Tool kTools[] = {
    {"aws", run_aws},           {"ssh", run_ssh},       {"scp", run_scp},
    {"git", run_git},           {"sudo", run_sudo},     {"timeout", run_timeout},
    {"date", run_date},         {"python", run_silent}, {"python3", run_silent},
    {"python3.12", run_silent}, {"pip", run_silent},    {"pip3", run_silent},
    {"dnf", run_silent},        {"yum", run_silent},    {"systemd-run", run_silent},
    {"shutdown", run_silent},   {"sleep", run_silent},  {"ssh-keyscan", run_silent},
    {"curl", run_silent},       {"wget", run_silent},
};

}  // namespace

int main(int argc, char** argv) {
  const std::string name = base_name(argc > 0 ? argv[0] : "");
  const Args args(argv + (argc > 0 ? 1 : 0), argv + argc);
  for (const auto& tool : kTools)
    if (tool.name == name) return tool.run(args);
  std::fprintf(stderr, "floor-responder: unknown tool name '%s' (link me as aws, ssh, scp, ...)\n", name.c_str());
  return 127;
}
