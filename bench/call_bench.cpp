// spotcheck-bench, one call: the fake (recording + World) vs a static no-op vs a bash stub, interleaved.
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <thread>

#include "bench.hpp"
#include "spotcheck/fakes/world/seed.hpp"

namespace spotcheck::bench {
namespace {

constexpr const char* kRegion = "us-east-1";

struct Variant {
  std::string label;
  std::unique_ptr<Spawner> spawner;
};

// A run root as the sandbox's /spotcheck would hold it: state/ seeded from the default world.
fs::path prepare_run_root(const fs::path& scratch, const Locations& where) {
  fs::path root = scratch / "root";
  fs::create_directories(root / "state");
  fs::copy_file(where.default_world(), root / "world.json");
  fakes::world::seed_world(fakes::RunPaths{root});
  return root;
}

std::vector<std::string> call_env(const fs::path& scratch, const fs::path& root, const Locations& where) {
  return {"PATH=" + (where.project_bin / "shims").string() + ":/usr/bin:/bin",
          "HOME=" + (scratch / "home").string(),
          "SPOTCHECK_ROOT=" + root.string(),
          "AWS_ACCESS_KEY_ID=AKIAFAKEBENCH0000000",
          "AWS_SECRET_ACCESS_KEY=fake/bench/secret/0000000000000000000000",
          "AWS_REGION=" + std::string(kRegion)};
}

// Runs one call through the fake and returns its stdout's first line; throws when it fails.
std::string answer(const Command& base, const std::string& tool, std::vector<std::string> args) {
  Command c = base;
  c.path = (fs::path(base.path) / tool).string();
  c.argv = {tool};
  c.argv.insert(c.argv.end(), args.begin(), args.end());
  c.stdout_path = base.cwd + "/answer.out";
  c.stderr_path = base.cwd + "/answer.err";
  const int status = Spawner(c).run(30.0);
  if (status != 0)
    throw std::runtime_error("the fake's `" + tool + " " + args.at(0) + " " + args.at(1) + "` exited " +
                             std::to_string(status) + ": " + tail_lines(read_text(c.stderr_path), 5));
  return first_line(read_text(c.stdout_path));
}

std::vector<std::string> describe_args(const std::string& instance_id) {
  return {"ec2",
          "describe-instances",
          "--region",
          kRegion,
          "--instance-ids",
          instance_id,
          "--query",
          "Reservations[0].Instances[0].PublicIpAddress",
          "--output",
          "text"};
}

// One running instance in the World, launched and waited for through the fake itself.
std::string seed_instance(const Command& shims) {
  std::string id = answer(shims, "aws",
                          {"ec2", "run-instances", "--region", kRegion, "--image-id", "ami-0abcdef1234567890",
                           "--instance-type", "c6i.4xlarge", "--query", "Instances[0].InstanceId", "--output", "text"});
  if (id.rfind("i-", 0) != 0) throw std::runtime_error("the fake's run-instances printed '" + id + "'");
  answer(shims, "aws", {"ec2", "wait", "instance-running", "--region", kRegion, "--instance-ids", id});
  return id;
}

// `spotcheck-fake --serve SOCKET` on the run root, as the dispatcher's supervisor serves a launcher's calls;
// stopped (SIGTERM) and reaped at destruction.
class CallServerProcess {
 public:
  CallServerProcess(const Locations& where, const std::vector<std::string>& env, const fs::path& socket) {
    const std::string fake = (where.project_bin / "spotcheck-fake").string();
    std::vector<std::string> argv = {fake, "--serve", socket.string()};
    std::vector<char*> cargv, cenv;
    for (auto& a : argv) cargv.push_back(a.data());
    for (const auto& e : env) cenv.push_back(const_cast<char*>(e.c_str()));
    cargv.push_back(nullptr);
    cenv.push_back(nullptr);
    if (posix_spawn(&pid_, fake.c_str(), nullptr, nullptr, cargv.data(), cenv.data()) != 0)
      throw std::runtime_error("can't start " + fake + " --serve");
    for (int i = 0; i < 500 && !fs::exists(socket); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (!fs::exists(socket)) throw std::runtime_error("the call server did not listen on " + socket.string());
  }
  ~CallServerProcess() {
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
  }
  CallServerProcess(const CallServerProcess&) = delete;
  CallServerProcess& operator=(const CallServerProcess&) = delete;

 private:
  pid_t pid_ = -1;
};

Variant variant(const std::string& label, const Command& base, const fs::path& exe, std::vector<std::string> argv) {
  Command c = base;
  c.path = exe.string();
  c.argv = std::move(argv);
  return {label, std::make_unique<Spawner>(std::move(c))};
}

// Per-call time (ms) of CALLS back-to-back calls; every call must exit 0, or the time means nothing.
double time_calls(const Variant& v, int calls) {
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < calls; ++i)
    if (const int status = v.spawner->run(); status != 0)
      throw std::runtime_error(v.label + ": call " + std::to_string(i) + " exited " + std::to_string(status));
  const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - start;
  return took.count() / calls;
}

}  // namespace

CallResult measure_calls(const Locations& where, int calls, int rounds) {
  ScratchDir scratch("spotcheck-bench-calls");
  const fs::path root = prepare_run_root(scratch.path(), where);
  fs::create_directories(scratch.path() / "home");
  fs::create_directories(scratch.path() / "work");
  Command base;
  base.env = call_env(scratch.path(), root, where);
  base.cwd = (scratch.path() / "work").string();

  Command shims = base;
  shims.path = (where.project_bin / "shims").string();
  const std::string id = seed_instance(shims);
  const std::string ip = answer(shims, "aws", describe_args(id));
  if (ip.empty() || ip == "None") throw std::runtime_error("the fake's describe-instances printed '" + ip + "'");

  const fs::path stub = scratch.path() / "stub" / "aws";
  write_text(stub, "#!/bin/bash\necho \"$@\" >> log\n");
  fs::permissions(stub, fs::perms::owner_all | fs::perms::group_read | fs::perms::others_read);

  // A launcher's call in the dispatcher: spotcheck-call under the tool's name, handing it to the run's server.
  const fs::path socket = root / "call.sock";
  const CallServerProcess server(where, base.env, socket);
  Command through_server = base;
  through_server.env.push_back("SPOTCHECK_CALL_SOCKET=" + socket.string());
  for (const char* tool : {"sleep", "aws"}) {
    fs::create_directories(scratch.path() / "calls");
    fs::create_symlink(where.project_bin / "spotcheck-call", scratch.path() / "calls" / tool);
  }

  std::vector<std::string> describe = describe_args(id);
  describe.insert(describe.begin(), "aws");
  std::vector<Variant> variants;
  variants.push_back(variant("static no-op", base, where.bench_bin / "bench-noop", describe));
  variants.push_back(variant("call: sleep 10", through_server, scratch.path() / "calls" / "sleep", {"sleep", "10"}));
  variants.push_back(variant("call: aws describe", through_server, scratch.path() / "calls" / "aws", describe));
  variants.push_back(variant("fake/call: sleep 10", base, where.project_bin / "shims" / "sleep", {"sleep", "10"}));
  variants.push_back(variant("fake/call: aws describe", base, where.project_bin / "shims" / "aws", describe));
  variants.push_back(variant("bash stub", base, stub, describe));

  CallResult result;
  result.world_note = "World: " + id + " at " + ip;
  for (const auto& v : variants) result.figures.push_back({v.label, {}});
  for (int r = 0; r < rounds; ++r)  // a rotated order each round, so no variant always goes first
    for (std::size_t k = 0; k < variants.size(); ++k) {
      const std::size_t i = (k + static_cast<std::size_t>(r)) % variants.size();
      result.figures[i].ms.push_back(time_calls(variants[i], calls));
    }
  return result;
}

}  // namespace spotcheck::bench
