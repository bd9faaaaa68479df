// Digests and encodings both sides need (payload and stdin SHA-256, S3 ETags, ssh host keys). The hashes come
// from libmd, which does nothing at process start: OpenSSL's static library cost every fake call ~0.1 ms, and
// Nettle's hashes pull in its fat-binary constructor, a CPU probe (cpuid traps to the hypervisor) of ~20 us
// per call (bench/README.md). Base64 stays on Nettle, whose codec has no such constructor.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace spotcheck {

std::string sha256_bytes(std::string_view bytes);                    // the 32-byte digest
std::string sha256_hex(std::string_view bytes);                      // lower-case hex
std::string md5_hex(std::string_view bytes);                         // lower-case hex, as S3 ETags are
std::string hmac_sha1(std::string_view key, std::string_view data);  // the 20-byte MAC
std::string base64_encode(std::string_view bytes);                   // standard alphabet, padded
// nullopt unless `text` is valid padded base64.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace spotcheck
