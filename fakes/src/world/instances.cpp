// The EC2 instances of the World as other shims see them (ssh, scp, shutdown), over state/ec2.json.
#include "spotcheck/fakes/world/instances.hpp"

#include "spotcheck/fakes/state.hpp"
#include "world/ec2_store.hpp"

namespace spotcheck::fakes::world {

nlohmann::json read_ec2(const RunPaths& paths) {
  return read_state(paths, "ec2", {{"next", 0}, {"instances", nlohmann::json::array()}});
}

void update_ec2(const RunPaths& paths, const std::function<void(nlohmann::json&)>& mutate) {
  update_state(paths, "ec2", mutate, {{"next", 0}, {"instances", nlohmann::json::array()}});
}

namespace {
double number_or(const nlohmann::json& record, const char* name, double fallback) {
  const auto it = record.find(name);
  return it != record.end() && it->is_number() ? it->get<double>() : fallback;
}
}  // namespace

std::string effective_state(const nlohmann::json& record, double now) {
  std::string stored = record.value("state", "pending");
  if (stored == "pending" && now >= number_or(record, "running_at", 0)) return "running";
  if (stored == "shutting-down" && now >= number_or(record, "terminated_at", 0)) return "terminated";
  if (stored == "stopping" && now >= number_or(record, "stopped_at", 0)) return "stopped";
  return stored;
}

Instance to_instance(const nlohmann::json& record, double now) {
  Instance inst;
  inst.id = record.value("id", "");
  inst.type = record.value("type", "");
  inst.ami = record.value("ami", "");
  inst.private_ip = record.value("private_ip", "");
  inst.launched_at = number_or(record, "launched_at", 0);
  inst.running_at = number_or(record, "running_at", 0);
  inst.ssh_ready_at = number_or(record, "ssh_ready_at", 0);
  inst.state = effective_state(record, now);
  inst.region = record.value("region", "");
  // EC2 assigns the public address when the instance starts running and releases it on stop/terminate.
  if (inst.state == "running" || inst.state == "shutting-down") inst.public_ip = record.value("public_ip", "");
  return inst;
}

std::string public_dns_name(const std::string& ip, const std::string& region) {
  if (ip.empty()) return "";
  std::string dashed = ip;
  for (char& c : dashed) c = c == '.' ? '-' : c;
  const std::string domain = region == "us-east-1" ? "compute-1.amazonaws.com" : region + ".compute.amazonaws.com";
  return "ec2-" + dashed + "." + domain;
}

std::string private_dns_name(const std::string& ip, const std::string& region) {
  if (ip.empty()) return "";
  std::string dashed = ip;
  for (char& c : dashed) c = c == '.' ? '-' : c;
  return "ip-" + dashed + (region == "us-east-1" ? ".ec2.internal" : "." + region + ".compute.internal");
}

int state_code(const std::string& state) {
  if (state == "running") return 16;
  if (state == "shutting-down") return 32;
  if (state == "terminated") return 48;
  if (state == "stopping") return 64;
  if (state == "stopped") return 80;
  return 0;
}

std::string state_at(const Instance& instance, double now) {
  if (instance.state == "pending" && now >= instance.running_at) return "running";
  return instance.state;
}

std::vector<Instance> list_instances(const RunPaths& paths) {
  StateLock lock(paths);
  const double now = virtual_now(paths);
  std::vector<Instance> out;
  const auto ec2 = world::read_ec2(paths);  // named: a range-for over a member of a temporary would dangle
  for (const auto& record : ec2["instances"]) out.push_back(world::to_instance(record, now));
  return out;
}

std::optional<Instance> find_instance(const RunPaths& paths, const std::string& address_or_id) {
  StateLock lock(paths);
  const double now = virtual_now(paths);
  const auto ec2 = world::read_ec2(paths);
  for (const auto& record : ec2["instances"]) {
    const std::string ip = record.value("public_ip", "");
    const std::string region = record.value("region", "");
    if (address_or_id == record.value("id", "") || address_or_id == ip ||
        address_or_id == record.value("private_ip", "") || address_or_id == world::public_dns_name(ip, region) ||
        address_or_id == world::private_dns_name(record.value("private_ip", ""), region)) {
      return world::to_instance(record, now);
    }
  }
  return std::nullopt;
}

void set_instance_state(const RunPaths& paths, const std::string& id, const std::string& state) {
  StateLock lock(paths);
  const double now = virtual_now(paths);
  world::update_ec2(paths, [&](nlohmann::json& ec2) {
    for (auto& record : ec2["instances"]) {
      if (record.value("id", "") != id) continue;
      record["state"] = state;
      record["state_changed_at"] = now;
      if (state == "terminated" || state == "shutting-down") record["terminated_at"] = now;
      if (state == "stopped" || state == "stopping") record["stopped_at"] = now;
    }
  });
}

}  // namespace spotcheck::fakes::world
