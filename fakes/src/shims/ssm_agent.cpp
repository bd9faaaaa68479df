// The SSM agent's side of a Run Command step (see shims/ssm_agent.hpp).
#include "shims/ssm_agent.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>

#include "shims/host_session.hpp"
#include "shims/ssh.hpp"
#include "spotcheck/error.hpp"
#include "spotcheck/fakes/host_plan.hpp"
#include "spotcheck/file_io.hpp"

namespace spotcheck::fakes {
namespace {

namespace fs = std::filesystem;
using Kind = SandboxOp::Kind;

constexpr const char* kAgentPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin";
constexpr const char* kAgentWorkingDirectory = "/usr/bin";

// The agent's environment and working directory in place of a login's; the mounts stay the host's, so the
// step joins the same keeper ssh sessions do.
void as_agent(SandboxPlan& plan, const RunPaths& paths, const aws::RemoteStep& step, const std::string& cwd) {
  auto& ops = plan.ops;
  ops.erase(std::remove_if(ops.begin(), ops.end(),
                           [](const SandboxOp& op) {
                             const bool login_env =
                                 op.kind == Kind::SetEnv &&
                                 (op.a == "HOME" || op.a == "USER" || op.a == "LOGNAME" || op.a == "SHELL" ||
                                  op.a == "PATH" || op.a == "LANG" || op.a == kEnvTimeout);
                             return login_env || op.kind == Kind::Chdir;
                           }),
            ops.end());
  const std::vector<std::pair<std::string, std::string>> env = {
      {"PATH", paths.shims().string() + ":" + kAgentPath},
      {"LANG", "C.UTF-8"},
      {"AWS_SSM_INSTANCE_ID", step.instance_id},
      {"AWS_SSM_REGION_NAME", step.region},
      {"AWS_SSM_PLATFORM_NAME", "Amazon Linux"},
      {"AWS_SSM_PLATFORM_VERSION", "2023"},
      {"SSM_COMMAND_ID", step.command_id},
      // The step's budget: a call hung by a rule inside it ends at executionTimeout (virtual time).
      {kEnvTimeout, std::to_string(step.execution_timeout)}};
  for (const auto& [name, value] : env) ops.push_back({Kind::SetEnv, name, value});
  ops.push_back({Kind::Chdir, cwd, ""});
}

// Where a path on the host lives for us: the host's own home and /tmp, else the shared read-only view.
fs::path on_disk(const RunPaths& paths, const std::string& instance_id, const std::string& path) {
  return host_own_path(paths, instance_id, path).value_or(path);
}

}  // namespace

aws::RemoteStepResult run_ssm_step(Call& call, const aws::RemoteStep& step) {
  const RunPaths& paths = call.ctx().paths;
  const auto instance = world::find_instance(paths, step.instance_id);
  if (!instance) return {1, "", "failed to run commands: the instance " + step.instance_id + " is gone\n"};
  ensure_host_dirs(paths, instance->id);
  const std::string orchestration = "/tmp/.ssm/" + instance->id + "/document/orchestration/" + step.command_id +
                                    "/awsrunShellScript/0.awsrunShellScript";
  const fs::path dir = on_disk(paths, instance->id, orchestration);
  std::error_code ec;
  fs::create_directories(dir, ec);
  const std::string script = orchestration + "/_script.sh";
  if (ec || !write_file_bytes(dir / "_script.sh", step.script) || ::chmod((dir / "_script.sh").c_str(), 0755) != 0)
    return {1, "", "failed to run commands: can't write " + script + ": " + errno_message() + "\n"};
  const std::string cwd = step.working_directory.value_or(kAgentWorkingDirectory);
  if (!fs::is_directory(on_disk(paths, instance->id, cwd), ec))
    return {1, "", "failed to run commands: chdir " + cwd + ": no such file or directory\n"};

  auto plan = plan_host_sandbox(paths, *instance, call.seq(), {"/bin/bash", "--posix", "-c", script},
                                host_plumbing_from_environment());
  as_agent(plan, paths, step, cwd);
  aws::RemoteStepResult result;
  const SessionOutput collect = [&result](int stream, const std::string& chunk) {
    (stream == 1 ? result.stdout_text : result.stderr_text) += chunk;
  };
  result.exit = run_host_session(call, paths, instance->id, plan, nullptr, collect);
  return result;
}

}  // namespace spotcheck::fakes
