// spotcheck(1): the man page, generated from the CLI11 definitions `--help` prints, so the two cannot differ.
#pragma once
#include <CLI/CLI.hpp>
#include <string>

namespace spotcheck::harness {

// roff (man(7)) text: NAME, SYNOPSIS, DESCRIPTION, one section per subcommand with each option and its
// description, FILES (the project file, the data beside the binary), EXIT STATUS.
std::string man_page(const CLI::App& app, const std::string& version);

}  // namespace spotcheck::harness
