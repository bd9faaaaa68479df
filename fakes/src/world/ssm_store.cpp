// The World's SSM parameters in state/ssm.json: seeding (the aws ssm handlers read and write them too).
#include "world/ssm_store.hpp"

#include <nlohmann/json.hpp>

#include "spotcheck/fakes/state.hpp"

namespace spotcheck::fakes::world {

void seed_parameter(const RunPaths& paths, const std::string& region, const std::string& name, const std::string& value,
                    const std::string& type) {
  update_state(paths, "ssm", [&](nlohmann::json& ssm) {
    ssm["parameters"][region][name] = {{"value", value}, {"type", type}, {"version", 1}, {"last_modified", 0.0}};
  });
}

}  // namespace spotcheck::fakes::world
