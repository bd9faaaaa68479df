// The launcher's log lines on stderr: "[HH:MM:SS] TAG: message" (UTC, the real clock; no `date`).
// Writing never throws: a failing stderr (EIO after a hangup, EPIPE) must not cut cleanup short.
#pragma once

#include <string>
#include <string_view>

namespace spot_launch {

void set_log_tag(const std::string& tag);
const std::string& log_tag();
void log(const std::string& message) noexcept;
// TEXT written to fd 2 as it is (partial writes continued, EINTR retried); errors are ignored.
void write_stderr(std::string_view text) noexcept;

}  // namespace spot_launch
