// EC2 instance records rendered as the EC2 API returns them, and the describe-instances filters.
#include "aws/ec2_view.hpp"

#include <algorithm>
#include <map>

#include "aws/cli_errors.hpp"
#include "world/common.hpp"
#include "world/ec2_store.hpp"

namespace spotcheck::fakes::aws {
namespace {

Json tags_json(const nlohmann::json& record) {
  Json tags = Json::array();
  if (record.contains("tags")) {
    for (const auto& [key, value] : record["tags"].items()) tags.push_back({{"Key", key}, {"Value", value}});
  }
  return tags;
}

Json security_groups_json(const nlohmann::json& record) {
  Json groups = Json::array();
  for (const auto& id : record.value("security_groups", nlohmann::json::array())) {
    const std::string gid = id.get<std::string>();
    groups.push_back({{"GroupName", gid.rfind("sg-", 0) == 0 ? "spotcheck-" + gid.substr(3) : gid},
                      {"GroupId", gid.rfind("sg-", 0) == 0 ? gid : "sg-0" + world::hex_id(gid, 16)}});
  }
  return groups;
}

void add_addresses(Json& j, const nlohmann::json& record, const std::string& state) {
  const std::string region = record.value("region", "");
  const bool gone = state == "terminated";
  const bool has_public = state == "running" || state == "shutting-down";
  const std::string private_ip = gone ? "" : record.value("private_ip", "");
  const std::string public_ip = has_public ? record.value("public_ip", "") : "";
  j["PrivateDnsName"] = world::private_dns_name(private_ip, region);
  if (!private_ip.empty()) j["PrivateIpAddress"] = private_ip;
  j["ProductCodes"] = Json::array();
  j["PublicDnsName"] = world::public_dns_name(public_ip, region);
  if (!public_ip.empty()) j["PublicIpAddress"] = public_ip;
}

std::string transition_reason(const nlohmann::json& record, const std::string& state) {
  if (state != "terminated" && state != "shutting-down" && state != "stopped" && state != "stopping") return "";
  const double at = record.value("state_changed_at", 0.0);
  return "User initiated (" + world::ls_time(at) + " GMT)";
}

void add_tail(Json& j, const nlohmann::json& record, const std::string& state) {
  j["Architecture"] = "x86_64";
  j["BlockDeviceMappings"] = Json::array();
  j["ClientToken"] = record.value("client_token", "");
  j["EbsOptimized"] = false;
  j["EnaSupport"] = true;
  j["Hypervisor"] = "xen";
  if (record.contains("iam_profile")) {
    j["IamInstanceProfile"] = {{"Arn", record["iam_profile"].get<std::string>()},
                               {"Id", "AIPA" + world::hex_id(record.value("id", ""), 17)}};
  }
  if (record.value("spot", false)) j["InstanceLifecycle"] = "spot";
  j["NetworkInterfaces"] = Json::array();
  j["RootDeviceName"] = "/dev/xvda";
  j["RootDeviceType"] = "ebs";
  j["SecurityGroups"] = security_groups_json(record);
  j["SourceDestCheck"] = true;
  if (record.value("spot", false)) j["SpotInstanceRequestId"] = "sir-" + world::hex_id(record.value("id", ""), 8);
  if (record.contains("state_reason") && (state == "terminated" || state == "shutting-down" || state == "stopped")) {
    const std::string code = record["state_reason"].get<std::string>();
    j["StateReason"] = {
        {"Code", code},
        {"Message", code + ": " +
                        (code == "Server.SpotInstanceTermination"     ? std::string("Spot instance termination")
                         : code == "Client.InstanceInitiatedShutdown" ? "Instance initiated shutdown"
                                                                      : "User initiated shutdown")}};
  }
  if (record.contains("tags") && !record["tags"].empty()) j["Tags"] = tags_json(record);
  j["VirtualizationType"] = "hvm";
  j["CpuOptions"] = {{"CoreCount", 1}, {"ThreadsPerCore", 2}};
  j["MetadataOptions"] = {
      {"State", "applied"}, {"HttpTokens", "required"}, {"HttpPutResponseHopLimit", 2}, {"HttpEndpoint", "enabled"}};
}

}  // namespace

Json state_json(const std::string& state) {
  return {{"Code", world::state_code(state)}, {"Name", state}};
}

Json instance_json(const nlohmann::json& record, double now) {
  const std::string state = world::effective_state(record, now);
  Json j = Json::object();
  j["AmiLaunchIndex"] = record.value("launch_index", 0);
  j["ImageId"] = record.value("ami", "");
  j["InstanceId"] = record.value("id", "");
  j["InstanceType"] = record.value("type", "");
  if (record.contains("key_name")) j["KeyName"] = record["key_name"].get<std::string>();
  j["LaunchTime"] = world::iso8601(record.value("launched_at", 0.0));
  j["Monitoring"] = {{"State", "disabled"}};
  j["Placement"] = {{"AvailabilityZone", record.value("az", "")}, {"GroupName", ""}, {"Tenancy", "default"}};
  add_addresses(j, record, state);
  j["State"] = state_json(state);
  j["StateTransitionReason"] = transition_reason(record, state);
  if (state != "terminated") {
    j["SubnetId"] = record.value("subnet", "");
    j["VpcId"] = "vpc-0" + world::hex_id("vpc", 16);
  }
  add_tail(j, record, state);
  return j;
}

Json reservations_json(const std::vector<nlohmann::json>& records, double now) {
  Json reservations = Json::array();
  std::map<std::string, std::size_t> index;
  for (const auto& record : records) {
    const std::string rid = record.value("reservation", "");
    auto it = index.find(rid);
    if (it == index.end()) {
      it = index.emplace(rid, reservations.size()).first;
      reservations.push_back({{"Groups", Json::array()},
                              {"Instances", Json::array()},
                              {"OwnerId", world::kAccountId},
                              {"ReservationId", rid}});
    }
    reservations[it->second]["Instances"].push_back(instance_json(record, now));
  }
  return reservations;
}

void check_instance_ids(const Json& ids, const std::string& api_name) {
  for (const auto& id : ids) {
    const std::string s = id.is_string() ? id.get<std::string>() : id.dump();
    if (!world::is_resource_id(s, "i")) {
      throw aws::service_error("InvalidInstanceID.Malformed", api_name, "Invalid id: \"" + s + "\"");
    }
  }
}

namespace {

// The values a filter name reads from a record; nullopt for a filter EC2 would reject.
std::optional<std::vector<std::string>> filter_values(const nlohmann::json& record, const std::string& name,
                                                      double now) {
  const std::string state = world::effective_state(record, now);
  if (name == "instance-state-name") return std::vector<std::string>{state};
  if (name == "instance-state-code") return std::vector<std::string>{std::to_string(world::state_code(state))};
  if (name == "instance-id") return std::vector<std::string>{record.value("id", "")};
  if (name == "instance-type") return std::vector<std::string>{record.value("type", "")};
  if (name == "image-id") return std::vector<std::string>{record.value("ami", "")};
  if (name == "availability-zone") return std::vector<std::string>{record.value("az", "")};
  if (name == "key-name") return std::vector<std::string>{record.value("key_name", "")};
  if (name == "subnet-id") return std::vector<std::string>{record.value("subnet", "")};
  if (name == "private-ip-address") return std::vector<std::string>{record.value("private_ip", "")};
  if (name == "instance-lifecycle") return std::vector<std::string>{record.value("spot", false) ? "spot" : ""};
  if (name == "ip-address") {
    const bool has = state == "running" || state == "shutting-down";
    return std::vector<std::string>{has ? record.value("public_ip", "") : ""};
  }
  const auto tags = record.value("tags", nlohmann::json::object());
  if (name.rfind("tag:", 0) == 0) {
    const auto it = tags.find(name.substr(4));
    if (it == tags.end()) return std::vector<std::string>{};
    return std::vector<std::string>{it->get<std::string>()};
  }
  if (name == "tag-key" || name == "tag-value") {
    std::vector<std::string> out;
    for (const auto& [k, v] : tags.items()) out.push_back(name == "tag-key" ? k : v.get<std::string>());
    return out;
  }
  return std::nullopt;
}

bool matches_filter(const nlohmann::json& record, const Json& filter, double now, const std::string& api_name) {
  const std::string name = world::str_or(filter, "Name");
  const auto have = filter_values(record, name, now);
  if (!have) throw aws::service_error("InvalidParameterValue", api_name, "The filter '" + name + "' is invalid");
  for (const auto& want : world::as_list(filter.contains("Values") ? filter["Values"] : Json())) {
    const std::string pattern = want.is_string() ? want.get<std::string>() : want.dump();
    for (const auto& value : *have) {
      if (world::glob_match(pattern, value)) return true;
    }
  }
  return false;
}

[[noreturn]] void not_found(const std::vector<std::string>& missing, const std::string& api_name) {
  std::string list;
  for (const auto& id : missing) list += (list.empty() ? "" : ", ") + id;
  throw aws::service_error("InvalidInstanceID.NotFound", api_name,
                           missing.size() == 1 ? "The instance ID '" + list + "' does not exist"
                                               : "The instance IDs '" + list + "' do not exist");
}

}  // namespace

std::vector<nlohmann::json> select_instances(const RunPaths& paths, const std::string& region, const Params& params,
                                             const std::string& api_name, double now) {
  const Json ids = params.contains("instance-ids") ? params["instance-ids"] : Json::array();
  check_instance_ids(ids, api_name);
  std::vector<nlohmann::json> in_region;
  const auto ec2 = world::read_ec2(paths);  // named: a range-for over a member of a temporary would dangle
  for (const auto& record : ec2["instances"]) {
    if (record.value("region", "") == region) in_region.push_back(record);
  }
  std::vector<nlohmann::json> selected;
  std::vector<std::string> missing;
  for (const auto& id : ids) {
    const auto it = std::find_if(in_region.begin(), in_region.end(),
                                 [&](const nlohmann::json& r) { return r.value("id", "") == id.get<std::string>(); });
    if (it == in_region.end()) missing.push_back(id.get<std::string>());
  }
  if (!missing.empty()) not_found(missing, api_name);
  const Json filters = params.contains("filters") ? params["filters"] : Json::array();
  for (const auto& record : in_region) {
    const bool listed = ids.empty() || std::any_of(ids.begin(), ids.end(), [&](const Json& id) {
                          return id.get<std::string>() == record.value("id", "");
                        });
    if (!listed) continue;
    bool all = true;
    for (const auto& f : filters) all = all && matches_filter(record, f, now, api_name);
    if (all) selected.push_back(record);
  }
  return selected;
}

}  // namespace spotcheck::fakes::aws
