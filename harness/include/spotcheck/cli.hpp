// The `spotcheck` command line: subcommands forward to the library (STYLE.md 3).
#pragma once

namespace spotcheck::harness {

// Exit: the launcher's status for `run`; 0/1 for checks; 2 for bad usage, bad input or harness errors.
int spotcheck_main(int argc, char** argv);

}  // namespace spotcheck::harness
