// Lookups in the table embed.cmake generates (embedded_resources.cpp, in the same library).
#include "spot_launch/resources.hpp"

#include <string>

#include "spot_launch/error.hpp"

namespace spot_launch {

std::string_view embedded(std::string_view name) {
  for (const auto& r : embedded_resources())
    if (r.name == name) return r.text;
  throw Error(1, "no embedded resource " + std::string(name));  // Error is header-only: no link to the core
}

}  // namespace spot_launch
