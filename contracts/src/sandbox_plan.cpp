// The sandbox plan's translation into bubblewrap arguments and into text.
#include "spotcheck/sandbox_plan.hpp"

#include <algorithm>
#include <sstream>

namespace spotcheck {
namespace {

using Kind = SandboxOp::Kind;

struct NamespaceName {
  Namespace ns;
  const char* name;  // as in bwrap's --unshare-NAME
};
constexpr NamespaceName kNamespaces[] = {{Namespace::User, "user"}, {Namespace::Pid, "pid"},
                                         {Namespace::Net, "net"},   {Namespace::Ipc, "ipc"},
                                         {Namespace::Uts, "uts"},   {Namespace::Cgroup, "cgroup"}};

bool unshares(const SandboxPlan& plan, Namespace ns) {
  return std::find(plan.unshare.begin(), plan.unshare.end(), ns) != plan.unshare.end();
}

bool unshares_all(const SandboxPlan& plan) {
  return std::all_of(std::begin(kNamespaces), std::end(kNamespaces),
                     [&](const NamespaceName& n) { return unshares(plan, n.ns); });
}

struct OpSpelling {
  const char* flag;  // bwrap's option
  const char* verb;  // describe()'s column, padded to one width
  int operands;      // 1: a only, 2: a and b
};

OpSpelling spelling(Kind kind) {
  switch (kind) {
    case Kind::RoBind:
      return {"--ro-bind", "ro-bind ", 2};
    case Kind::Bind:
      return {"--bind", "bind    ", 2};
    case Kind::DevBind:
      return {"--dev-bind", "dev-bind", 2};
    case Kind::Tmpfs:
      return {"--tmpfs", "tmpfs   ", 1};
    case Kind::Dir:
      return {"--dir", "dir     ", 1};
    case Kind::Proc:
      return {"--proc", "proc    ", 1};
    case Kind::Dev:
      return {"--dev", "dev     ", 1};
    case Kind::SetEnv:
      return {"--setenv", "setenv  ", 2};
    case Kind::Chdir:
      return {"--chdir", "chdir   ", 1};
    case Kind::Hostname:
      return {"--hostname", "hostname", 1};
  }
  return {"", "", 0};
}

}  // namespace

std::vector<std::string> SandboxPlan::bwrap_argv(const std::string& bwrap) const {
  std::vector<std::string> argv = {bwrap};
  if (unshares_all(*this)) {
    argv.push_back("--unshare-all");
  } else {
    for (const auto& n : kNamespaces) {
      if (unshares(*this, n.ns)) argv.push_back(std::string("--unshare-") + n.name);
    }
  }
  if (die_with_parent) argv.push_back("--die-with-parent");
  if (new_session) argv.push_back("--new-session");
  argv.push_back("--clearenv");  // bwrap applies options in order: before any --setenv
  for (const auto& op : ops) {
    const auto s = spelling(op.kind);
    argv.push_back(s.flag);
    argv.push_back(op.a);
    if (s.operands == 2) argv.push_back(op.b);
  }
  argv.push_back("--");
  argv.insert(argv.end(), command.begin(), command.end());
  return argv;
}

std::string SandboxPlan::describe() const {
  std::ostringstream s;
  s << "unshare ";
  if (unshare.empty()) s << " nothing";
  for (const auto& n : kNamespaces) {
    if (unshares(*this, n.ns)) s << " " << n.name;
  }
  if (die_with_parent) s << "; die-with-parent";
  if (new_session) s << "; new-session";
  s << "; clearenv\n";
  for (const auto& op : ops) {
    const auto sp = spelling(op.kind);
    s << sp.verb << " " << op.a;
    if (op.kind == Kind::SetEnv) {
      s << "=" << op.b;
    } else if (sp.operands == 2) {
      s << " -> " << op.b;
    }
    s << "\n";
  }
  s << "exec    ";
  for (const auto& c : command) s << " " << c;
  s << "\n";
  return s.str();
}

std::vector<std::string> SandboxPlan::environment() const {
  std::vector<std::string> env;
  for (const auto& op : ops) {
    if (op.kind != Kind::SetEnv) continue;
    const std::string prefix = op.a + "=";
    auto same = std::find_if(env.begin(), env.end(), [&](const std::string& e) { return e.rfind(prefix, 0) == 0; });
    if (same != env.end()) {
      *same = prefix + op.b;  // as with bwrap, the later --setenv wins
    } else {
      env.push_back(prefix + op.b);
    }
  }
  return env;
}

std::string SandboxPlan::working_directory() const {
  std::string dir = "/";
  for (const auto& op : ops) {
    if (op.kind == Kind::Chdir) dir = op.a;
  }
  return dir;
}

}  // namespace spotcheck
