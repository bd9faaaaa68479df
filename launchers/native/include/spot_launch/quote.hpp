// bash's printf %q, byte for byte (the remote command line of `bash -s -- ARGS`).
#pragma once

#include <string>

namespace spot_launch {

std::string shell_quote(const std::string& word);

}  // namespace spot_launch
