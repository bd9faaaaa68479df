// ssh-keyscan shim and the deterministic host keys every simulated host presents.
#include <fnmatch.h>

#include <algorithm>

#include "shims/ssh.hpp"
#include "shims/ssh_options.hpp"
#include "spotcheck/digest.hpp"
#include "spotcheck/fakes/shim.hpp"
#include "spotcheck/fakes/world/instances.hpp"
#include "spotcheck/text.hpp"
#include "world/internet.hpp"

namespace spotcheck::fakes {
namespace {

constexpr const char* kServerBanner = "SSH-2.0-OpenSSH_8.7";  // Amazon Linux 2023's sshd

// `size` pseudo-random bytes derived from `seed` (SHA-256 in counter mode): stable across runs.
std::string derived_bytes(const std::string& seed, std::size_t size) {
  std::string out;
  for (int block = 0; out.size() < size; ++block) out += sha256_bytes(seed + "#" + std::to_string(block));
  out.resize(size);
  return out;
}

// SSH wire "string": 4-byte big-endian length, then the bytes (RFC 4251).
std::string ssh_string(const std::string& bytes) {
  std::string out;
  const auto n = static_cast<std::uint32_t>(bytes.size());
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((n >> shift) & 0xff);
  return out + bytes;
}

// The public-key blob of each key type, with key material derived from the instance id.
std::string key_blob(const std::string& key_type, const std::string& instance_id) {
  const std::string seed = "spotcheck-host-key:" + key_type + ":" + instance_id;
  if (key_type == "ecdsa") {
    return ssh_string("ecdsa-sha2-nistp256") + ssh_string("nistp256") + ssh_string("\x04" + derived_bytes(seed, 64));
  }
  if (key_type == "rsa") {
    std::string modulus = derived_bytes(seed, 256);
    modulus[0] = static_cast<char>(modulus[0] | 0x80);
    modulus[255] = static_cast<char>(modulus[255] | 0x01);
    return ssh_string("ssh-rsa") + ssh_string(std::string("\x01\x00\x01", 3)) +
           ssh_string(std::string(1, '\0') + modulus);
  }
  return ssh_string(host_key_algorithm(key_type)) + ssh_string(derived_bytes(seed, 32));
}

// known_hosts name: `host`, or `[host]:port` off port 22; -H hashes it as |1|salt|HMAC-SHA1(salt, name).
std::string host_field(const std::string& host, int port, bool hashed) {
  std::string name = port == 22 ? host : "[" + host + "]:" + std::to_string(port);
  if (!hashed) return name;
  const std::string salt = derived_bytes("spotcheck-known-hosts-salt:" + name, 20);
  return "|1|" + base64_encode(salt) + "|" + base64_encode(hmac_sha1(salt, name));
}

}  // namespace

std::string host_key_algorithm(const std::string& key_type) {
  if (key_type == "rsa") return "ssh-rsa";
  if (key_type == "ecdsa") return "ecdsa-sha2-nistp256";
  if (key_type == "ed25519-sk") return "sk-ssh-ed25519@openssh.com";
  if (key_type == "ecdsa-sk") return "sk-ecdsa-sha2-nistp256@openssh.com";
  return "ssh-ed25519";
}

bool known_hosts_pattern_matches(const std::string& pattern, const std::string& name) {
  if (pattern.rfind("|1|", 0) == 0) {
    const auto bar = pattern.find('|', 3);
    if (bar == std::string::npos) return false;
    const auto salt = base64_decode(pattern.substr(3, bar - 3));
    const auto mac = base64_decode(pattern.substr(bar + 1));
    return salt && mac && hmac_sha1(*salt, name) == *mac;
  }
  return ::fnmatch(pattern.c_str(), name.c_str(), 0) == 0;
}

std::string host_key_base64(const std::string& key_type, const std::string& instance_id) {
  return base64_encode(key_blob(key_type, instance_id));
}

int run_ssh_keyscan(Call& call) {
  KeyscanCommandLine cli;
  try {
    cli = parse_keyscan_command_line({call.argv().begin() + 1, call.argv().end()});
  } catch (const CommandLineError& e) {
    std::string text = e.what();
    if (!text.empty() && text.back() != '\n') text += '\n';
    call.err(text + (e.show_usage() ? kKeyscanUsage : ""));
    return 1;
  }
  bool found_one = false;
  const auto print_keys = [&](const std::string& host, const std::string& key_seed) {
    for (const auto& type : cli.key_types) {
      if (type == "ecdsa-sk" || type == "ed25519-sk") continue;  // sshd offers no security-key host keys
      call.err("# " + host + ":" + std::to_string(cli.port) + " " + kServerBanner + "\n");
      call.out(host_field(host, cli.port, cli.hash_hosts) + " " + host_key_algorithm(type) + " " +
               host_key_base64(type, key_seed) + "\n");
      found_one = true;
    }
  };
  for (const auto& host : cli.hosts) {
    // A host of the outside world the World lets this host reach (github.com from a spot): its keys.
    if (!world::find_instance(call.ctx().paths, host) &&
        world::reachable(call.ctx().paths, call.ctx().on_spot(), host)) {
      print_keys(host, "internet:" + ascii_lowercase(host));
      continue;
    }
    // Unreachable hosts print nothing, like the real tool (a timeout costs -T seconds of virtual time).
    const auto reach = reach_host(call.ctx().paths, host, cli.port, cli.timeout);
    if (!reach.ok()) {
      if (reach.error.find("Could not resolve") != std::string::npos) {
        call.err("getaddrinfo " + host + ": Name or service not known\n");
      }
      continue;
    }
    print_keys(host, reach.instance->id);
  }
  return found_one ? 0 : 1;
}

}  // namespace spotcheck::fakes
