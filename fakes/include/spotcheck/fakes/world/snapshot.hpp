// What a run left in the World: a snapshot of everything a launcher can leave behind (S3 objects, SSM
// parameters, instances, metric datapoints, notifications), taken before and after the run, and their
// difference. Counting calls says a staging upload was a write; the difference says whether anything
// was left behind.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "spotcheck/fakes/context.hpp"
#include "spotcheck/world_changes.hpp"

namespace spotcheck::fakes::world {

struct WorldSnapshot {
  std::map<std::string, std::string> s3;         // "s3://bucket/key" -> ETag
  std::map<std::string, std::string> ssm;        // "ssm:REGION:/name" -> "vVERSION TYPE"
  std::map<std::string, std::string> instances;  // instance id -> state at the snapshot's virtual time
  std::vector<std::string> metrics;              // "metric:NAMESPACE/NAME" per datapoint, in order
  std::vector<std::string> notifications;        // "ses:TO,..." / "sns:TARGET" per message, in order
};

// Reads the run's state/ under the state lock (the harness's side: before the launcher starts, after it ended).
WorldSnapshot take_snapshot(const RunPaths& paths);

// What `after` has that `before` had not, in kWorldChangeKinds order, then by name. Instances launched
// and terminated (or shutting down) in between are no change; one still pending, running or stopped is
// ec2.left_running.
std::vector<WorldChange> diff_world(const WorldSnapshot& before, const WorldSnapshot& after);

}  // namespace spotcheck::fakes::world
