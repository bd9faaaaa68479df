// The launcher family's flags, parsed exactly as _spot_common.sh's spot_parse_flags does.
#pragma once

#include <string>
#include <vector>

namespace spot_launch {

struct Flags {
  bool preflight_only = false;
  std::string run_mode = "full";  // full | smoke-only
  std::string branch = "main";
  std::string instance_type;  // empty: the SPOT_INSTANCE_TYPES fallback list
  bool dry_run = false;
  bool help = false;  // -h/--help seen: print usage, exit 0 (parsing stops there)
  std::vector<std::string> skip_stages;
};

// Throws a usage Error (exit 2) with bash's message text; FULL_STAGES checks --skip-stages.
Flags parse_flags(const std::vector<std::string>& args, const std::vector<std::string>& full_stages);

}  // namespace spot_launch
