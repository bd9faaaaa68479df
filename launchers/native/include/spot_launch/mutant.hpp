// Internal, the mutant build only (SPOT_LAUNCH_MUTANTS): the hand-made defect SPOT_LAUNCH_MUTANT selects.
#pragma once

#ifdef SPOT_LAUNCH_MUTANTS
#include <string_view>

namespace spot_launch {

// True when SPOT_LAUNCH_MUTANT (read once) is NAME.
bool mutant_is(std::string_view name);

}  // namespace spot_launch
#endif
