// Internal to the fake aws: responses keep the member order AWS returns, as the real CLI prints them.
#pragma once
#include <nlohmann/json.hpp>

namespace spotcheck::fakes {
using Json = nlohmann::ordered_json;
}
