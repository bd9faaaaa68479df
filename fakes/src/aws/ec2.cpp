// The EC2 service of the World: run/describe/terminate instances, tags, status and images.

#include <fmt/format.h>

#include "aws/cli_errors.hpp"
#include "aws/ec2_view.hpp"
#include "aws/service.hpp"
#include "spotcheck/fakes/state.hpp"
#include "world/common.hpp"
#include "world/ec2_store.hpp"
#include "world/world_config.hpp"

namespace spotcheck::fakes::aws {
namespace {

using world::str_or;
constexpr double kShutdownSeconds = 5;  // shutting-down -> terminated

// --count N or --count MIN:MAX (the CLI's replacement for MinCount/MaxCount).
std::pair<int, int> parse_count(const Params& p) {
  if (!p.contains("count")) return {1, 1};
  const std::string text = p["count"].get<std::string>();
  const auto colon = text.find(':');
  const std::string lo = text.substr(0, colon), hi = colon == std::string::npos ? lo : text.substr(colon + 1);
  const auto digits = [](const std::string& s) {
    return !s.empty() && s.size() < 9 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (!digits(lo) || !digits(hi)) {
    throw usage_error("argument --count: count parameter should be of form min[:max] (e.g. 1 or 1:10)");
  }
  const int min = std::stoi(lo);
  const int max = std::stoi(hi);
  if (min < 1 || max < min)
    throw service_error("InvalidParameterValue", "RunInstances", "Invalid value for MinCount/MaxCount");
  return {min, max};
}

void check_image(const Params& p, const world::WorldConfig& cfg) {
  if (!p.contains("image-id")) {
    throw service_error("MissingParameter", "RunInstances", "The request must contain the parameter ImageId");
  }
  const std::string ami = p["image-id"].get<std::string>();
  if (!world::is_resource_id(ami, "ami")) {
    throw service_error("InvalidAMIID.Malformed", "RunInstances",
                        "Invalid id: \"" + ami + "\" (expecting \"ami-...\")");
  }
  if (cfg.amis && std::find(cfg.amis->begin(), cfg.amis->end(), ami) == cfg.amis->end()) {
    throw service_error("InvalidAMIID.NotFound", "RunInstances", "The image id '[" + ami + "]' does not exist");
  }
}

std::string check_instance_type(const Params& p) {
  std::string type = p.contains("instance-type") ? p["instance-type"].get<std::string>() : "m1.small";
  // family.size: a lower-case letter, then [a-z0-9-]*, a dot, then [0-9a-z]+
  const auto dot = type.find('.');
  const auto lower_alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  const bool well_formed = dot != std::string::npos && dot > 0 && dot + 1 < type.size() && type[0] >= 'a' &&
                           type[0] <= 'z' &&
                           std::all_of(type.begin(), type.begin() + static_cast<long>(dot),
                                       [&](char c) { return lower_alnum(c) || c == '-'; }) &&
                           std::all_of(type.begin() + static_cast<long>(dot) + 1, type.end(), lower_alnum);
  if (!well_formed) {
    throw service_error("InvalidParameterValue", "RunInstances", "Invalid value '" + type + "' for InstanceType.");
  }
  return type;
}

std::string availability_zone(const Params& p, const std::string& region) {
  if (p.contains("placement")) {
    std::string az = str_or(p["placement"], "AvailabilityZone");
    if (!az.empty()) return az;
  }
  return region + "a";
}

// How many more instances of `type` fit, counting every instance not yet terminated.
int free_capacity(const nlohmann::json& ec2, const world::WorldConfig& cfg, const std::string& type, double now) {
  const auto it = cfg.capacity.find(type);
  if (it == cfg.capacity.end()) return 1 << 20;
  int used = 0;
  for (const auto& r : ec2["instances"]) {
    const std::string s = world::effective_state(r, now);
    if (r.value("type", "") == type && s != "terminated" && s != "stopped") ++used;
  }
  return std::max(0, it->second - used);
}

[[noreturn]] void insufficient_capacity(const std::string& type, const std::string& az) {
  throw service_error("InsufficientInstanceCapacity", "RunInstances",
                      fmt::format("We currently do not have sufficient {0} capacity in the Availability Zone you "
                                  "requested ({1}). Our system will be working on provisioning additional capacity. "
                                  "You can currently get {0} capacity by not specifying an Availability Zone in your "
                                  "request or choosing {2}b, {2}c, {2}d, {2}f.",
                                  type, az, az.substr(0, az.size() - 1)));
}

// Tags for the instance from --tag-specifications ResourceType=instance,Tags=[{Key=k,Value=v}].
nlohmann::json instance_tags(const Params& p) {
  nlohmann::json tags = nlohmann::json::object();
  if (!p.contains("tag-specifications")) return tags;
  for (const auto& spec : p["tag-specifications"]) {
    if (str_or(spec, "ResourceType", "instance") != "instance" || !spec.contains("Tags")) continue;
    for (const auto& tag : world::as_list(spec["Tags"])) tags[str_or(tag, "Key")] = str_or(tag, "Value");
  }
  return tags;
}

nlohmann::json security_groups(const Params& p) {
  nlohmann::json groups = nlohmann::json::array();
  for (const char* name : {"security-group-ids", "security-groups"}) {
    if (!p.contains(name)) continue;
    for (const auto& g : p[name]) groups.push_back(g.get<std::string>());
  }
  return groups;
}

bool is_spot(const Params& p) {
  return p.contains("instance-market-options") && str_or(p["instance-market-options"], "MarketType") == "spot";
}

void add_launch_options(nlohmann::json& r, const Params& p) {
  if (p.contains("key-name")) r["key_name"] = p["key-name"].get<std::string>();
  if (p.contains("client-token")) r["client_token"] = p["client-token"].get<std::string>();
  if (p.contains("iam-instance-profile")) {
    const auto& prof = p["iam-instance-profile"];
    const std::string arn = str_or(prof, "Arn");
    r["iam_profile"] = !arn.empty() ? arn
                                    : std::string("arn:aws:iam::") + world::kAccountId + ":instance-profile/" +
                                          str_or(prof, "Name", "default");
  }
  r["security_groups"] = security_groups(p);
  r["spot"] = is_spot(p);
  r["tags"] = instance_tags(p);
  r["subnet"] = p.contains("subnet-id") ? p["subnet-id"].get<std::string>() : "subnet-0" + world::hex_id("subnet", 16);
  if (p.contains("instance-initiated-shutdown-behavior"))
    r["shutdown_behavior"] = p["instance-initiated-shutdown-behavior"].get<std::string>();
}

nlohmann::json new_record(int n, const std::string& type, const Params& p, const Invocation& inv, double now,
                          const world::WorldConfig& cfg) {
  nlohmann::json r;
  r["id"] = "i-0" + world::hex_id("instance-" + std::to_string(n), 16);
  r["type"] = type;
  r["ami"] = p["image-id"].get<std::string>();
  r["region"] = inv.region;
  r["az"] = availability_zone(p, inv.region);
  r["public_ip"] = fmt::format("203.0.113.{}", 10 + n % 240);
  r["private_ip"] = fmt::format("10.0.{}.{}", n / 240, 10 + n % 240);
  r["launched_at"] = now;
  r["running_at"] = now + cfg.boot_seconds;
  r["ssh_ready_at"] = now + std::max(cfg.boot_seconds, cfg.ssh_ready_after);
  r["state"] = "pending";
  add_launch_options(r, p);
  return r;
}

Json run_instances(Invocation& inv, const Params& p) {
  const auto& cfg = world::world_config(inv.paths);
  check_image(p, cfg);
  const std::string type = check_instance_type(p);
  const auto count_range = parse_count(p);  // a lambda below uses both: no structured binding
  const int min = count_range.first;
  const int max = count_range.second;
  if (p.value("dry-run", false)) {
    throw service_error("DryRunOperation", "RunInstances", "Request would have succeeded, but DryRun flag is set.");
  }
  std::vector<nlohmann::json> launched;
  double now = 0;
  {
    StateLock lock(inv.paths);
    now = virtual_now(inv.paths);
    world::update_ec2(inv.paths, [&](nlohmann::json& ec2) {
      const int available = free_capacity(ec2, cfg, type, now);
      if (available < min) insufficient_capacity(type, availability_zone(p, inv.region));
      const int count = std::min(max, available);
      const int first = ec2.value("next", 0) + 1;
      const std::string reservation = "r-0" + world::hex_id("reservation-" + std::to_string(first), 16);
      for (int i = 0; i < count; ++i) {
        nlohmann::json r = new_record(first + i, type, p, inv, now, cfg);
        r["reservation"] = reservation;
        r["launch_index"] = i;
        ec2["instances"].push_back(r);
        launched.push_back(r);
      }
      ec2["next"] = first + count - 1;
    });
  }
  // After the lock: booting reads the World.
  if (inv.boot_host) {
    for (const auto& r : launched) inv.boot_host(r["id"].get<std::string>());
  }
  Json instances = Json::array();
  for (const auto& r : launched) instances.push_back(instance_json(r, now));
  return {{"Groups", Json::array()},
          {"Instances", instances},
          {"OwnerId", world::kAccountId},
          {"ReservationId", launched.front()["reservation"].get<std::string>()}};
}

Json describe_instances(Invocation& inv, const Params& p) {
  if (p.value("dry-run", false)) {
    throw service_error("DryRunOperation", inv.api_name(), "Request would have succeeded, but DryRun flag is set.");
  }
  const double now = virtual_now(inv.paths);
  return {{"Reservations", reservations_json(select_instances(inv.paths, inv.region, p, inv.api_name(), now), now)}};
}

Json terminate_instances(Invocation& inv, const Params& p) {
  StateLock lock(inv.paths);
  const double now = virtual_now(inv.paths);
  const auto selected = select_instances(inv.paths, inv.region, p, inv.api_name(), now);
  if (p.value("dry-run", false)) {
    throw service_error("DryRunOperation", inv.api_name(), "Request would have succeeded, but DryRun flag is set.");
  }
  Json out = Json::array();
  world::update_ec2(inv.paths, [&](nlohmann::json& ec2) {
    for (const auto& id : p["instance-ids"]) {
      for (auto& r : ec2["instances"]) {
        if (r.value("id", "") != id.get<std::string>()) continue;
        const std::string before = world::effective_state(r, now);
        if (before != "terminated" && before != "shutting-down") {
          r["state"] = "shutting-down";
          r["state_changed_at"] = now;
          r["terminated_at"] = now + kShutdownSeconds;
          r["state_reason"] = "Client.UserInitiatedShutdown";
        }
        const std::string after = before == "terminated" ? "terminated" : "shutting-down";
        out.push_back({{"CurrentState", state_json(after)}, {"InstanceId", id}, {"PreviousState", state_json(before)}});
      }
    }
  });
  return {{"TerminatingInstances", out}};
}

Json status_json(const nlohmann::json& r, double now) {
  const bool ready = now >= r.value("ssh_ready_at", 0.0);
  const std::string status = ready ? "ok" : "initializing";
  const Json check = {
      {"Details", Json::array({{{"Name", "reachability"}, {"Status", ready ? "passed" : "initializing"}}})},
      {"Status", status}};
  const std::string state = world::effective_state(r, now);
  Json j = {
      {"AvailabilityZone", r.value("az", "")}, {"InstanceId", r.value("id", "")}, {"InstanceState", state_json(state)}};
  if (state == "running") {
    j["InstanceStatus"] = check;
    j["SystemStatus"] = check;
  } else {
    j["InstanceStatus"] = {{"Status", "not-applicable"}};
    j["SystemStatus"] = {{"Status", "not-applicable"}};
  }
  return j;
}

Json describe_instance_status(Invocation& inv, const Params& p) {
  const double now = virtual_now(inv.paths);
  Params select = p;
  select.erase("filters");
  Json statuses = Json::array();
  for (const auto& r : select_instances(inv.paths, inv.region, select, inv.api_name(), now)) {
    if (!p.value("include-all-instances", false) && world::effective_state(r, now) != "running") continue;
    statuses.push_back(status_json(r, now));
  }
  return {{"InstanceStatuses", statuses}};
}

Json create_tags(Invocation& inv, const Params& p) {
  const Json ids = p["resources"];
  StateLock lock(inv.paths);
  world::update_ec2(inv.paths, [&](nlohmann::json& ec2) {
    for (auto& r : ec2["instances"]) {
      if (std::find(ids.begin(), ids.end(), Json(r.value("id", ""))) == ids.end()) continue;
      for (const auto& tag : p["tags"]) r["tags"][str_or(tag, "Key")] = str_or(tag, "Value");
    }
  });
  return Json::object();
}

Json image_json(const std::string& ami) {
  return {{"Architecture", "x86_64"},
          {"CreationDate", "2026-12-01T00:00:00.000Z"},
          {"ImageId", ami},
          {"ImageLocation", "amazon/al2023-ami-2023.6.20261201.0-kernel-6.1-x86_64"},
          {"ImageType", "machine"},
          {"Public", true},
          {"OwnerId", "137112412989"},
          {"PlatformDetails", "Linux/UNIX"},
          {"UsageOperation", "RunInstances"},
          {"State", "available"},
          {"Description", "Amazon Linux 2023 AMI"},
          {"EnaSupport", true},
          {"Hypervisor", "xen"},
          {"ImageOwnerAlias", "amazon"},
          {"Name", "al2023-ami-2023.6.20261201.0-kernel-6.1-x86_64"},
          {"RootDeviceName", "/dev/xvda"},
          {"RootDeviceType", "ebs"},
          {"VirtualizationType", "hvm"}};
}

Json describe_images(Invocation& inv, const Params& p) {
  const auto& cfg = world::world_config(inv.paths);
  const std::vector<std::string> known = cfg.amis.value_or(std::vector<std::string>{});
  Json images = Json::array();
  if (p.contains("image-ids")) {
    for (const auto& id : p["image-ids"]) {
      const std::string ami = id.get<std::string>();
      if (cfg.amis && std::find(known.begin(), known.end(), ami) == known.end()) {
        throw service_error("InvalidAMIID.NotFound", inv.api_name(), "The image id '[" + ami + "]' does not exist");
      }
      images.push_back(image_json(ami));
    }
    return {{"Images", images}};
  }
  for (const auto& ami : known) images.push_back(image_json(ami));
  return {{"Images", images}};
}

Json describe_availability_zones(Invocation& inv, const Params&) {
  Json zones = Json::array();
  for (const char* suffix : {"a", "b", "c", "d", "f"}) {
    zones.push_back({{"State", "available"},
                     {"OptInStatus", "opt-in-not-required"},
                     {"Messages", Json::array()},
                     {"RegionName", inv.region},
                     {"ZoneName", inv.region + suffix},
                     {"ZoneId", "use1-az" + std::to_string(zones.size() + 1)},
                     {"GroupName", inv.region},
                     {"NetworkBorderGroup", inv.region},
                     {"ZoneType", "availability-zone"}});
  }
  return {{"AvailabilityZones", zones}};
}

const std::vector<ParamSpec> kRunInstancesParams = {
    {"image-id", ParamKind::String},
    {"instance-type", ParamKind::String},
    {"count", ParamKind::String},
    {"key-name", ParamKind::String},
    {"security-group-ids", ParamKind::StringList},
    {"security-groups", ParamKind::StringList},
    {"subnet-id", ParamKind::String},
    {"iam-instance-profile", ParamKind::Structure},
    {"instance-market-options", ParamKind::Structure},
    {"tag-specifications", ParamKind::StructureList},
    {"user-data", ParamKind::Blob},
    {"block-device-mappings", ParamKind::StructureList},
    {"placement", ParamKind::Structure},
    {"dry-run", ParamKind::Boolean},
    {"client-token", ParamKind::String},
    {"associate-public-ip-address", ParamKind::Boolean},
    {"network-interfaces", ParamKind::StructureList},
    {"instance-initiated-shutdown-behavior", ParamKind::String},
    {"metadata-options", ParamKind::Structure},
    {"ebs-optimized", ParamKind::Boolean},
    {"monitoring", ParamKind::Structure},
    {"launch-template", ParamKind::Structure},
    {"private-ip-address", ParamKind::String},
    {"disable-api-termination", ParamKind::Boolean},
    {"cpu-options", ParamKind::Structure},
    {"credit-specification", ParamKind::Structure},
    {"hibernation-options", ParamKind::Structure},
    {"capacity-reservation-specification", ParamKind::Structure},
    {"maintenance-options", ParamKind::Structure},
    {"private-dns-name-options", ParamKind::Structure},
    {"ipv6-address-count", ParamKind::Integer},
    {"ipv6-addresses", ParamKind::StructureList},
    {"kernel-id", ParamKind::String},
    {"ramdisk-id", ParamKind::String},
    {"additional-info", ParamKind::String},
    {"secondary-private-ip-addresses", ParamKind::StringList},
    {"secondary-private-ip-address-count", ParamKind::Integer},
};

const std::vector<ParamSpec> kDescribeParams = {
    {"instance-ids", ParamKind::StringList}, {"filters", ParamKind::StructureList}, {"dry-run", ParamKind::Boolean},
    {"max-results", ParamKind::Integer},     {"next-token", ParamKind::String},     {"page-size", ParamKind::Integer},
    {"max-items", ParamKind::Integer},       {"starting-token", ParamKind::String},
};

std::vector<ParamSpec> with(std::vector<ParamSpec> base, std::initializer_list<ParamSpec> more) {
  base.insert(base.end(), more);
  return base;
}

}  // namespace

const std::vector<ParamSpec>& ec2_describe_instances_params() {
  return kDescribeParams;
}
const std::vector<ParamSpec>& ec2_describe_instance_status_params() {
  static const auto params = with(kDescribeParams, {{"include-all-instances", ParamKind::Boolean}});
  return params;
}

const ServiceDef& ec2_service() {
  static const ServiceDef def{
      "ec2",
      {
          {"run-instances", kRunInstancesParams, run_instances},
          {"describe-instances", kDescribeParams, describe_instances},
          {"terminate-instances",
           {{"instance-ids", ParamKind::StringList, true}, {"dry-run", ParamKind::Boolean}},
           terminate_instances},
          {"describe-instance-status", ec2_describe_instance_status_params(), describe_instance_status},
          {"create-tags",
           {{"resources", ParamKind::StringList, true},
            {"tags", ParamKind::StructureList, true},
            {"dry-run", ParamKind::Boolean}},
           create_tags},
          {"describe-images",
           with(kDescribeParams, {{"image-ids", ParamKind::StringList},
                                  {"owners", ParamKind::StringList},
                                  {"executable-users", ParamKind::StringList},
                                  {"include-deprecated", ParamKind::Boolean}}),
           describe_images},
          {"describe-availability-zones",
           {{"zone-names", ParamKind::StringList},
            {"filters", ParamKind::StructureList},
            {"all-availability-zones", ParamKind::Boolean}},
           describe_availability_zones},
      }};
  return def;
}

}  // namespace spotcheck::fakes::aws
