// The banner every AWS CLI v2 argparse failure starts with, as awscli 2.9.19 printed it (captured, not the fake's
// own constant, so the tests compare the fake with the real text).
#pragma once
#include <string>

namespace spotcheck::testing {

inline const std::string kAwsUsageBanner =
    "\n"
    "usage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]\n"
    "To see help text, you can run:\n"
    "\n"
    "  aws help\n"
    "  aws <command> help\n"
    "  aws <command> <subcommand> help\n"
    "\n";

}  // namespace spotcheck::testing
