// The mutant build's defect selector; empty in the normal build.
#include "spot_launch/mutant.hpp"

#ifdef SPOT_LAUNCH_MUTANTS
#include <cstdlib>
#include <string>

namespace spot_launch {

bool mutant_is(std::string_view name) {
  static const std::string selected = [] {
    const char* m = std::getenv("SPOT_LAUNCH_MUTANT");
    return std::string(m ? m : "");
  }();
  return !selected.empty() && selected == name;
}

}  // namespace spot_launch
#endif
