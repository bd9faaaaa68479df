// The World changes file format (see spotcheck/world_changes.hpp).
#include "spotcheck/world_changes.hpp"

#include <algorithm>

#include "spotcheck/json_cursor.hpp"
#include "spotcheck/text.hpp"

namespace spotcheck {

nlohmann::json world_changes_json(const std::vector<WorldChange>& changes) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& c : changes) out.push_back({{"kind", c.kind}, {"name", c.name}, {"detail", c.detail}});
  return out;
}

std::vector<WorldChange> world_changes_from_json(const nlohmann::json& j, const std::string& source) {
  const JsonCursor root(j, source);
  std::vector<WorldChange> out;
  for (std::size_t i = 0; i < root.array_size(); ++i) {
    const auto c = root.at(i);
    c.require_object({"kind", "name", "detail"});
    const auto kind = c.at("kind");
    if (std::find(kWorldChangeKinds.begin(), kWorldChangeKinds.end(), kind.string()) == kWorldChangeKinds.end())
      kind.fail("expected one of " + join(kWorldChangeKinds, ", "));
    out.push_back({kind.string(), c.at("name").string(), c.has("detail") ? c.at("detail").string() : ""});
  }
  return out;
}

}  // namespace spotcheck
