// The aws calls: launch with capacity fallback, wait, describe, terminate, and the dispatcher-side
// CloudWatch heartbeat and SES report.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "spot_launch/session.hpp"

namespace spot_launch {

void launch_instance(Session& s);  // first type with capacity; sets s.instance_id
void wait_running(Session& s);
void resolve_ip(Session& s);
// After an ssh/scp exit 255: the state when the instance is going or gone, else nullopt (logged).
std::optional<std::string> reclaim_state(Session& s);
// Terminate IDS (time-limited, retried once); false after a warning when it could not.
bool terminate_instances(Session& s, const std::vector<std::string>& ids);
void put_heartbeat(Session& s);
void send_email(Session& s, const EmailStep& email);

}  // namespace spot_launch
