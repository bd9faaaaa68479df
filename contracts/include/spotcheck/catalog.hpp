// The workload catalog (scenarios/workloads/*.json): what a python entrypoint invocation stands for.
#pragma once
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace spotcheck {

struct WorkloadInvocation {
  std::vector<std::string> args_contain;  // every token must appear (after splitting --k=v into --k v)
  std::vector<std::string> effects;       // effects this invocation stands for (s3.read, s3.write, ...)
  std::string stdout_text;                // what the default fake prints
  int exit = 0;
  std::string description;
  // Set by `spotcheck init` on each invocation it saw ("todo": what to fill in): the call is answered as
  // before (exit 0, nothing printed) and recorded as unscripted until the entry is filled in and this removed.
  std::optional<std::string> todo;
  // Files the real program writes that later steps read (e.g. a report the launcher uploads):
  // each is named literally (`path`) or by the value of an argument (`arg`, e.g. "--out").
  struct Output {
    std::string path;
    std::string arg;
    std::string text;
  };
  std::vector<Output> outputs;
};

struct WorkloadEntrypoint {
  std::string module;                           // backtester, data, predictor
  std::string script;                           // basename, e.g. backtest.py
  std::vector<WorkloadInvocation> invocations;  // first match wins
};

// What the module contract needs to know of a module: its launcher and its preflight entrypoint.
struct ModuleContract {
  std::string module;
  std::string file;                         // the catalog file that declares it
  std::string launcher;                     // basename under launchers/, e.g. spot_backtest.sh
  std::string preflight_script;             // e.g. backtest.py
  std::vector<std::string> preflight_args;  // e.g. --mode=smoke
  // The launcher's arguments that select its preflight mode (the full run is the launcher with none).
  std::vector<std::string> preflight_flags = {"--preflight-only"};
  // Environments the whole contract is checked under again, by name: {"ssm": {"SPOT_TRANSPORT": "ssm"}}.
  std::map<std::string, std::map<std::string, std::string>> variants;
};

struct WorkloadCatalog {
  std::vector<WorkloadEntrypoint> entrypoints;
  std::vector<ModuleContract> modules;  // catalogs that name their launcher
  // Finds the invocation for `python [opts] SCRIPT ARGS...`; nullopt when none is declared.
  std::optional<WorkloadInvocation> find(const std::vector<std::string>& python_argv) const;
};

// `python [opts] (SCRIPT | -m MODULE | -c CODE | -) ARGS...` as CPython reads its command line.
struct PythonCommand {
  enum class Kind { None, Script, Module, Code, Stdin };  // None: --version, --help, or no target
  Kind kind = Kind::None;
  std::string target;             // the script path, module name or code
  std::vector<std::string> args;  // what follows the target (sys.argv[1:])
};
PythonCommand parse_python_command(const std::vector<std::string>& python_argv);

// python, python3, python3.12 (the basename, not a path).
// `stem` optionally followed by a dotted version: python, python3, python3.12.
bool is_versioned_name(std::string_view tool, std::string_view stem, bool version_required);
bool is_python_tool(const std::string& tool);

// Loads every *.json under `dir`. Bad files throw spotcheck::Error naming FILE: /json/path.
WorkloadCatalog load_catalog(const std::filesystem::path& dir);
// Several catalog directories as one: a script declared twice, in any of them, is an error naming both places.
WorkloadCatalog load_catalog(const std::vector<std::filesystem::path>& dirs);

}  // namespace spotcheck
