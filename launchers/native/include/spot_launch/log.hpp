// The launcher's log lines on stderr: "[HH:MM:SS] TAG: message" (UTC, the real clock; no `date`).
#pragma once

#include <string>

namespace spot_launch {

void set_log_tag(const std::string& tag);
const std::string& log_tag();
void log(const std::string& message);

}  // namespace spot_launch
