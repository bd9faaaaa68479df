// Digests and encodings both sides need (payload and stdin SHA-256, S3 ETags, ssh host keys), over GNU
// Nettle: it does nothing at process start, where OpenSSL's static library costs every fake call
// ~0.1 ms (its CPU probe and pages touched; bench/README.md).
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
