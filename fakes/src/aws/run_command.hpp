// Internal to the fake aws: how Run Command (ssm send-command) has a script run on an instance. The aws layer
// owns the API (what was sent, its status in virtual time); running the script on the instance's host is the
// shims' (host sessions), which hand the aws layer a runner through the Invocation.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace spotcheck::fakes::aws {

struct RemoteStep {
  std::string instance_id;
  std::string command_id;
  std::string region;
  std::string script;                            // the document's commands, one per line
  std::optional<std::string> working_directory;  // the document's workingDirectory
  double execution_timeout = 3600;               // seconds (executionTimeout)
};

struct RemoteStepResult {
  int exit = 0;
  std::string stdout_text;
  std::string stderr_text;
};

using RemoteStepRunner = std::function<RemoteStepResult(const RemoteStep&)>;

// The text a behaviour rule's "stdin_contains" is matched against for `aws ssm send-command ...` (argv
// without argv[0]): the commands, one per line, each base64 blob in them followed by its decoded text
// (launchers ship steps as `echo <b64> | base64 -d | bash`). nullopt when argv is no send-command.
std::optional<std::string> send_command_step_text(const std::vector<std::string>& args);

}  // namespace spotcheck::fakes::aws
