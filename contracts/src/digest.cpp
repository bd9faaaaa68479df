// Digests over libmd, base64 over GNU Nettle (see digest.hpp for why neither OpenSSL nor Nettle's hashes).
#include "spotcheck/digest.hpp"

#include <md5.h>
#include <nettle/base64.h>
#include <sha1.h>
#include <sha2.h>

#include <array>
#include <cstdint>

namespace spotcheck {
namespace {

const std::uint8_t* data_of(std::string_view bytes) {
  return reinterpret_cast<const std::uint8_t*>(bytes.data());
}

std::string hex_of(const std::uint8_t* bytes, std::size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * n);
  for (std::size_t i = 0; i < n; ++i) {
    out += kHex[bytes[i] >> 4];
    out += kHex[bytes[i] & 0xf];
  }
  return out;
}

std::array<std::uint8_t, SHA256_DIGEST_LENGTH> sha256_of(std::string_view bytes) {
  SHA2_CTX ctx;
  SHA256Init(&ctx);
  SHA256Update(&ctx, data_of(bytes), bytes.size());
  std::array<std::uint8_t, SHA256_DIGEST_LENGTH> digest{};
  SHA256Final(digest.data(), &ctx);
  return digest;
}

std::string sha1_of(std::string_view first, std::string_view second) {
  SHA1_CTX ctx;
  SHA1Init(&ctx);
  SHA1Update(&ctx, data_of(first), first.size());
  SHA1Update(&ctx, data_of(second), second.size());
  std::array<std::uint8_t, SHA1_DIGEST_LENGTH> digest{};
  SHA1Final(digest.data(), &ctx);
  return {reinterpret_cast<const char*>(digest.data()), digest.size()};
}

}  // namespace

std::string sha256_bytes(std::string_view bytes) {
  const auto digest = sha256_of(bytes);
  return std::string(reinterpret_cast<const char*>(digest.data()), digest.size());
}

std::string sha256_hex(std::string_view bytes) {
  const auto digest = sha256_of(bytes);
  return hex_of(digest.data(), digest.size());
}

std::string md5_hex(std::string_view bytes) {
  MD5_CTX ctx;
  MD5Init(&ctx);
  MD5Update(&ctx, data_of(bytes), bytes.size());
  std::array<std::uint8_t, MD5_DIGEST_LENGTH> digest{};
  MD5Final(digest.data(), &ctx);
  return hex_of(digest.data(), digest.size());
}

// HMAC as RFC 2104 defines it, over SHA-1's 64-byte block: libmd has the hash, not the MAC.
std::string hmac_sha1(std::string_view key, std::string_view data) {
  constexpr std::size_t kBlock = SHA1_BLOCK_LENGTH;
  std::string block = key.size() > kBlock ? sha1_of(key, {}) : std::string(key);
  block.resize(kBlock, '\0');
  std::string inner_pad(kBlock, '\0');
  std::string outer_pad(kBlock, '\0');
  for (std::size_t i = 0; i < kBlock; ++i) {
    inner_pad[i] = static_cast<char>(block[i] ^ 0x36);
    outer_pad[i] = static_cast<char>(block[i] ^ 0x5c);
  }
  return sha1_of(outer_pad, sha1_of(inner_pad, data));
}

std::string base64_encode(std::string_view bytes) {
  std::string out(BASE64_ENCODE_RAW_LENGTH(bytes.size()), '\0');
  base64_encode_raw(reinterpret_cast<char*>(out.data()), bytes.size(), data_of(bytes));
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  base64_decode_ctx ctx;
  base64_decode_init(&ctx);
  std::string out(BASE64_DECODE_LENGTH(text.size()), '\0');
  std::size_t n = out.size();
  if (!base64_decode_update(&ctx, &n, reinterpret_cast<std::uint8_t*>(out.data()), text.size(), text.data()) ||
      !base64_decode_final(&ctx))
    return std::nullopt;
  out.resize(n);
  return out;
}

}  // namespace spotcheck
