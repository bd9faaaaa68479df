// Internal to the World model: the EC2 instance records in state/ec2.json and their timeline.
#pragma once
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "spotcheck/fakes/world/instances.hpp"

namespace spotcheck::fakes::world {

// state/ec2.json: {"next": N, "instances": [ {id, type, ami, state, launched_at, running_at, ...} ]}
nlohmann::json read_ec2(const RunPaths& paths);
void update_ec2(const RunPaths& paths, const std::function<void(nlohmann::json&)>& mutate);

// The state an instance record is in at `now`: pending->running, shutting-down->terminated, stopping->stopped.
std::string effective_state(const nlohmann::json& record, double now);
Instance to_instance(const nlohmann::json& record, double now);

// ec2-203-0-113-5.compute-1.amazonaws.com / ip-10-0-0-5.ec2.internal, as EC2 names them per region.
std::string public_dns_name(const std::string& ip, const std::string& region);
std::string private_dns_name(const std::string& ip, const std::string& region);

// EC2 state codes: pending 0, running 16, shutting-down 32, terminated 48, stopping 64, stopped 80.
int state_code(const std::string& state);

}  // namespace spotcheck::fakes::world
