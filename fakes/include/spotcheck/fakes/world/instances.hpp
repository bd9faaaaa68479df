// The EC2 instances of the simulated world, as other shims (ssh, scp, python) see them.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "spotcheck/fakes/context.hpp"

namespace spotcheck::fakes::world {

struct Instance {
  std::string id;    // i-0123456789abcdef0 style, deterministic per run
  std::string type;  // c6i.4xlarge
  std::string ami;
  std::string public_ip;    // 203.0.113.N (TEST-NET-3); empty until running
  std::string private_ip;   // 10.0.0.N
  double launched_at = 0;   // virtual time
  double running_at = 0;    // virtual time it reaches "running"
  double ssh_ready_at = 0;  // virtual time sshd accepts connections
  std::string state;        // stored state: pending|running|shutting-down|terminated|stopped
  std::string region;
};

// The instance's state at virtual time `now` (pending becomes running once now >= running_at).
std::string state_at(const Instance& instance, double now);

// All instances, in launch order (reads state/ec2.json under the lock).
std::vector<Instance> list_instances(const RunPaths& paths);
// Finds an instance by id, public IP, private IP or public DNS name (ec2-203-0-113-5.compute-1.amazonaws.com).
std::optional<Instance> find_instance(const RunPaths& paths, const std::string& address_or_id);
// Marks an instance terminated/stopped from inside the spot (shutdown -h, spot reclaim).
void set_instance_state(const RunPaths& paths, const std::string& id, const std::string& state);

}  // namespace spotcheck::fakes::world
