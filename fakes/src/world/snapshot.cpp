// World snapshots and their difference (see spotcheck/fakes/world/snapshot.hpp).
#include "spotcheck/fakes/world/snapshot.hpp"

#include <algorithm>

#include "spotcheck/fakes/state.hpp"
#include "spotcheck/fakes/world/instances.hpp"
#include "spotcheck/text.hpp"
#include "world/s3_store.hpp"

namespace spotcheck::fakes::world {
namespace {

std::string notification_name(const nlohmann::json& m) {
  std::vector<std::string> to;
  for (const auto& t : m.value("to", nlohmann::json::array())) to.push_back(t.is_string() ? t.get<std::string>() : "");
  return m.value("service", "notify") + ":" + join(to, ",");
}

bool gone(const std::string& state) {
  return state == "terminated" || state == "shutting-down";
}

// The entries appended since `before` (metrics and notifications only grow during a run).
void appended(const std::vector<std::string>& before, const std::vector<std::string>& after, const char* kind,
              std::vector<WorldChange>& out) {
  for (std::size_t i = before.size(); i < after.size(); ++i) out.push_back({kind, after[i], ""});
}

void keyed(const std::map<std::string, std::string>& before, const std::map<std::string, std::string>& after,
           const std::string& service, std::vector<WorldChange>& out) {
  for (const auto& [name, version] : after) {
    const auto it = before.find(name);
    if (it == before.end())
      out.push_back({service + ".created", name, version});
    else if (it->second != version)
      out.push_back({service + ".changed", name, it->second + " -> " + version});
  }
  for (const auto& [name, version] : before) {
    if (!after.count(name)) out.push_back({service + ".deleted", name, version});
  }
}

}  // namespace

WorldSnapshot take_snapshot(const RunPaths& paths) {
  StateLock lock(paths);  // one consistent view (the lock is recursive within a process)
  WorldSnapshot s;
  const S3Store store(paths);
  for (const auto& bucket : store.buckets()) {
    for (const auto& object : store.list(bucket.name, "")) s.s3["s3://" + bucket.name + "/" + object.key] = object.etag;
  }
  const auto ssm = read_state(paths, "ssm", {{"parameters", nlohmann::json::object()}});
  // value() returns a copy: bind it, since a range-for keeps only items()'s proxy alive, not the copy
  const auto regions = ssm.value("parameters", nlohmann::json::object());
  for (const auto& [region, parameters] : regions.items()) {
    for (const auto& [name, p] : parameters.items())
      s.ssm["ssm:" + region + ":" + name] =
          "v" + std::to_string(p.value("version", 1)) + " " + p.value("type", "String");
  }
  const double now = virtual_now(paths);
  for (const auto& instance : list_instances(paths)) s.instances[instance.id] = state_at(instance, now);
  const auto cw = read_state(paths, "cloudwatch", {{"datapoints", nlohmann::json::array()}});
  for (const auto& d : cw.value("datapoints", nlohmann::json::array()))
    s.metrics.push_back("metric:" + d.value("namespace", "") + "/" + d.value("metric_name", ""));
  const auto notify = read_state(paths, "notify", {{"messages", nlohmann::json::array()}});
  for (const auto& m : notify.value("messages", nlohmann::json::array()))
    s.notifications.push_back(notification_name(m));
  return s;
}

std::vector<WorldChange> diff_world(const WorldSnapshot& before, const WorldSnapshot& after) {
  std::vector<WorldChange> changes;
  keyed(before.s3, after.s3, "s3", changes);
  keyed(before.ssm, after.ssm, "ssm", changes);
  appended(before.metrics, after.metrics, "metric.put", changes);
  appended(before.notifications, after.notifications, "notify.sent", changes);
  for (const auto& [id, state] : after.instances) {
    if (!gone(state)) changes.push_back({"ec2.left_running", id, state});
  }
  const auto rank = [](const std::string& kind) {
    return std::find(kWorldChangeKinds.begin(), kWorldChangeKinds.end(), kind) - kWorldChangeKinds.begin();
  };
  std::stable_sort(changes.begin(), changes.end(), [&](const WorldChange& a, const WorldChange& b) {
    if (rank(a.kind) != rank(b.kind)) return rank(a.kind) < rank(b.kind);
    if (a.kind == "metric.put" || a.kind == "notify.sent") return false;  // keep the run's order
    return a.name < b.name;
  });
  return changes;
}

}  // namespace spotcheck::fakes::world
