// The World changes of a run: what it left behind (S3 objects, SSM parameters, metric datapoints,
// notifications, instances still up), as the fakes' snapshots find them (fakes/world/snapshot.hpp),
// the JSON report and the `recording.world.json` file carry them and scenarios assert on them.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace spotcheck {

// One change between the World before a run and after it. `kind` is one of kWorldChangeKinds.
struct WorldChange {
  std::string kind;
  std::string name;    // the resource: s3://bucket/key, ssm:us-east-1:/name, metric:NS/NAME, ses:to, i-...
  std::string detail;  // "\"etagA\" -> \"etagB\"", "running", ...
};

inline const std::vector<std::string> kWorldChangeKinds = {"s3.created",  "s3.changed",  "s3.deleted",
                                                           "ssm.created", "ssm.changed", "ssm.deleted",
                                                           "metric.put",  "notify.sent", "ec2.left_running"};

// [{"kind", "name", "detail"}, ...]
nlohmann::json world_changes_json(const std::vector<WorldChange>& changes);
// The inverse; `source` names the file in errors (JsonError: FILE: /N/kind: expected one of ...).
std::vector<WorldChange> world_changes_from_json(const nlohmann::json& j, const std::string& source);

}  // namespace spotcheck
