// The aws calls: launch with capacity fallback, wait, describe, terminate, and the dispatcher-side
// CloudWatch heartbeat and SES report.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "spot_launch/process.hpp"
#include "spot_launch/session.hpp"

namespace spot_launch {

// `aws ARGS...` with the given stdout/stderr handling; interruptible unless in cleanup.
Outcome aws(Session& s, std::vector<std::string> args, Stream out, Stream err = Stream::Inherit);
void launch_instance(Session& s);  // first type with capacity; sets s.instance_id
void wait_running(Session& s);
void resolve_ip(Session& s);
// describe-instances' State.Name of s.instance_id; nullopt when the call failed.
std::optional<std::string> instance_state(Session& s);
// shutting-down, terminated, stopping or stopped: the instance will not answer again.
bool going_or_gone(const std::string& state);
// After an ssh/scp exit 255: the state when the instance is going or gone, else nullopt (logged).
std::optional<std::string> reclaim_state(Session& s);
// Terminate IDS (time-limited, retried once); false after a warning when it could not.
bool terminate_instances(Session& s, const std::vector<std::string>& ids);
void put_heartbeat(Session& s);
void send_email(Session& s, const EmailStep& email);

}  // namespace spot_launch
