// The spot transport over AWS Systems Manager Run Command (SPOT_TRANSPORT=ssm), call for call as
// launchers/_spot_transport_ssm.sh makes it: agent wait, base64-wrapped send-command steps polled with
// get-command-invocation, copies staged through S3 and the staging prefix removed at cleanup.
#pragma once

#include <string>

#include "spot_launch/session.hpp"

namespace spot_launch {

// The agent of s.instance_id reports Online (describe-instance-information), else the run fails.
void ssm_connect(Session& s);
// One raw call as a Run Command step; OUT (SshOut) receives the step's stdout. 255: the transport failed
// (TimedOut, Cancelled, undeliverable, an invocation that never showed up, the instance gone).
int ssm_run_raw(Session& s, const RawCall& call, std::string* out);
// At exit, before the terminate: `aws s3 rm --recursive` of the staging prefix, when a copy made one (retried
// once); false when the staged copies are left.
bool ssm_cleanup(Session& s) noexcept;

}  // namespace spot_launch
