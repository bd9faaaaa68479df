// Internal to the World model: EC2 instance records as the EC2 API returns them, and describe filters.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "aws/cli_args.hpp"
#include "ordered_json.hpp"
#include "spotcheck/fakes/context.hpp"

namespace spotcheck::fakes::aws {

// One element of Reservations[].Instances[] (and RunInstances' Instances[]), in the API's member order.
Json instance_json(const nlohmann::json& record, double now);
// {"Code": 16, "Name": "running"}
Json state_json(const std::string& state);
// Reservations[] grouping the records by reservation, in launch order.
Json reservations_json(const std::vector<nlohmann::json>& records, double now);

// The records of `region` selected by --instance-ids and --filters, as describe-instances selects them.
// Throws CliFailure: InvalidInstanceID.NotFound / .Malformed, InvalidParameterValue for an unknown filter.
std::vector<nlohmann::json> select_instances(const RunPaths& paths, const std::string& region, const Params& params,
                                             const std::string& api_name, double now);

// Validates instance ids (i- followed by 8 or 17 hex digits); throws InvalidInstanceID.Malformed.
void check_instance_ids(const Json& ids, const std::string& api_name);

}  // namespace spotcheck::fakes::aws
