// Internal to the World model: small helpers the services share (timestamps, digests, globs, lists).
#pragma once
#include <string>
#include <string_view>

#include "ordered_json.hpp"
#include "spotcheck/fakes/context.hpp"

namespace spotcheck::fakes::world {

inline constexpr const char* kAccountId = "123456789012";  // the account every fake ARN names

// Virtual time (seconds since kEpoch) as the CLI prints it: 2027-01-01T00:00:20+00:00 (`micros` adds .000000).
std::string iso8601(double t, bool micros = false);
// "2027-01-01 00:00:20", the `aws s3 ls` column.
std::string ls_time(double t);

// A deterministic hex string derived from `seed` (ids, message ids).
std::string hex_id(const std::string& seed, std::size_t digits);
// PREFIX-xxxxxxxx or PREFIX-xxxxxxxxxxxxxxxxx (8 or 17 lower-case hex digits): i-, ami-, sg- ids.
// Hand-written, not std::regex: compiling a regex costs ~0.3 ms in every shim process.
bool is_resource_id(std::string_view id, std::string_view prefix);
// 8-4-4-4-12 id derived from `seed`.
std::string uuid_from(const std::string& seed);

// Shell-style wildcards (* and ?), as EC2 filter values use them.
bool glob_match(std::string_view pattern, std::string_view text);

// A shorthand scalar that the service model says is a list (`Values=a`) becomes ["a"].
Json as_list(const Json& value);
// A number given as text (`Value=12.5` in shorthand) as a double; throws std::invalid_argument.
double as_number(const Json& value);

// The string member `name` of a JSON object, or `fallback`.
std::string str_or(const Json& obj, const char* name, const std::string& fallback = "");

}  // namespace spotcheck::fakes::world
