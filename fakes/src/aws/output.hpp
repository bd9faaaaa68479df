// Internal to the fake aws: renders a response as AWS CLI v2 prints it for --output json/text/table/yaml.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "ordered_json.hpp"

namespace spotcheck::fakes::aws {

enum class OutputFormat { Json, Text, Table, Yaml, YamlStream };

// "json", "text", "table", "yaml", "yaml-stream"; anything else is nullopt (the CLI rejects it with exit 252).
std::optional<OutputFormat> parse_output_format(std::string_view name);

// Formats a response (already reduced by --query) byte for byte as AWS CLI v2 writes it to a non-tty stdout.
// `title` is the operation name the table format uses as its title (e.g. "DescribeInstances").
// Throws std::runtime_error where the real CLI itself crashes (table rows of unequal length, mixed lists).
std::string format_output(const Json& value, OutputFormat format, std::string_view title);

// Python's str() of a JSON value as the CLI prints it in text/table cells: None, True, 1.5, 1e+16, {'k': 'v'}.
std::string python_str(const Json& value);

}  // namespace spotcheck::fakes::aws
