// Internal to the fakes: pip's behaviour, shared by `pip ...` and `python -m pip ...`.
#pragma once
#include <string>
#include <vector>

#include "spotcheck/fakes/call.hpp"

namespace spotcheck::fakes {

// `args` are pip's own arguments (after "pip" or "-m pip"); `python` names the interpreter for messages.
int pip_main(Call& call, const std::vector<std::string>& args, const std::string& python);

}  // namespace spotcheck::fakes
