// Paths relative to the running binary (see install_layout.hpp for the layout).
#include "spotcheck/install_layout.hpp"

#include "spotcheck/error.hpp"

namespace spotcheck::harness {

namespace fs = std::filesystem;

fs::path self_dir() {
  std::error_code ec;
  const auto exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : exe.parent_path();
}

fs::path share_dir() {
  fs::path share = (self_dir() / ".." / "share" / "spotcheck").lexically_normal();
  std::error_code ec;
  if (!fs::is_directory(share, ec))
    throw harness_error(
        share.string(),
        "can't find spotcheck's data: expected this directory beside the binary (BIN/../share/spotcheck)"
        "; reinstall spotcheck or rebuild it");
  return share;
}

fs::path builtin_world_path() {
  return share_dir() / "worlds" / "default.json";
}

fs::path bundled_catalog_dir() {
  return share_dir() / "workloads";
}

fs::path fake_binary_path() {
  fs::path beside = self_dir() / "spotcheck-fake";
  std::error_code ec;
  if (fs::exists(beside, ec)) return beside;
  fs::path installed = (self_dir() / ".." / "libexec" / "spotcheck" / "spotcheck-fake").lexically_normal();
  if (fs::exists(installed, ec)) return installed;
  throw harness_error(installed.string(), "can't find the fake (spotcheck-fake): expected it here or beside " +
                                              (self_dir() / "spotcheck").string());
}

fs::path call_client_path() {
  fs::path client = fake_binary_path().parent_path() / "spotcheck-call";
  std::error_code ec;
  if (fs::exists(client, ec)) return client;
  throw harness_error(client.string(), "can't find the call client (spotcheck-call): expected it beside the fake");
}

fs::path default_native_launcher() {
  return self_dir() / "spot-launch";
}

}  // namespace spotcheck::harness
