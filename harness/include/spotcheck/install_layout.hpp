// Where spotcheck finds its own files: relative to the running binary, the same in a build tree and in an
// installed prefix (no source path is compiled in, so a copied or installed spotcheck works anywhere).
//
//   PREFIX/bin/spotcheck, PREFIX/bin/spot-launch
//   PREFIX/libexec/spotcheck/spotcheck-fake      (a build tree keeps it in bin/, beside spotcheck)
//   PREFIX/share/spotcheck/worlds/default.json   the built-in generic world
//   PREFIX/share/spotcheck/workloads/            the bundled launchers' workload catalog (used when named)
//   PREFIX/share/spotcheck/schema/               JSON Schemas of records, scenarios, catalogs, project files
#pragma once
#include <filesystem>

namespace spotcheck::harness {

// The directory of the running executable (/proc/self/exe).
std::filesystem::path self_dir();
// BIN/../share/spotcheck; a harness error names the path when it is missing.
std::filesystem::path share_dir();
// The built-in default world every run starts from (generic: one region, credentials, any AMI, any capacity).
std::filesystem::path builtin_world_path();
// The bundled launchers' workload catalog (an example for other repositories; used only when named).
std::filesystem::path bundled_catalog_dir();
// spotcheck-fake beside the binary, else BIN/../libexec/spotcheck/spotcheck-fake.
std::filesystem::path fake_binary_path();
// spotcheck-call, beside the fake (fakes/client/): the launcher's side of a call to the run's call server.
std::filesystem::path call_client_path();
// spot-launch beside the binary: the native launcher `check --impl native` runs by default.
std::filesystem::path default_native_launcher();

}  // namespace spotcheck::harness
