// Internal: the files embedded at build time (modules/*.json, the secret prelude).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace spot_launch {

struct Resource {
  std::string_view name;
  std::string_view text;
};

const std::vector<Resource>& embedded_resources();
// The text of the embedded file NAME; throws Error when there is none.
std::string_view embedded(std::string_view name);

}  // namespace spot_launch
