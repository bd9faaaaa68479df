// Internal to the fakes: the SSM agent on a spot host, running a Run Command step (aws ssm send-command with
// AWS-RunShellScript) in the host's sandbox, as the real agent runs it:
//   - the commands are written, one per line, to _script.sh in the command's orchestration directory, and run
//     as `sh -c <that file>`; /bin/sh on Amazon Linux is bash, so here it is bash in POSIX mode (a first
//     command `#!/bin/bash` makes it run under bash proper, as there);
//   - as root, with the agent's environment, not a login's: PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:
//     /usr/bin, LANG, AWS_SSM_INSTANCE_ID, AWS_SSM_REGION_NAME, AWS_SSM_PLATFORM_NAME/VERSION, SSM_COMMAND_ID;
//     no HOME, USER or LOGNAME (scripts that rely on `~` fail as they do in production);
//   - in the document's workingDirectory, else the agent's own working directory, /usr/bin;
//   - stdin is /dev/null; stdout and stderr are collected, not streamed to the dispatcher.
// Differences: the orchestration directory is /tmp/.ssm/<instance>/document/orchestration/<command>/... in
// the host's /tmp, because /var/lib/amazon cannot be created in the host's read-only view of the machine.
#pragma once
#include "aws/run_command.hpp"
#include "spotcheck/fakes/call.hpp"

namespace spotcheck::fakes {

// Runs `step` on its instance, with `call` (the send-command) as the parent of the script's calls.
aws::RemoteStepResult run_ssm_step(Call& call, const aws::RemoteStep& step);

}  // namespace spotcheck::fakes
