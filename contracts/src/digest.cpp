// Digests and encodings over GNU Nettle (see digest.hpp for why not OpenSSL).
#include "spotcheck/digest.hpp"

#include <nettle/base64.h>
#include <nettle/hmac.h>
#include <nettle/md5.h>
#include <nettle/sha1.h>
#include <nettle/sha2.h>

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

std::array<std::uint8_t, SHA256_DIGEST_SIZE> sha256_of(std::string_view bytes) {
  sha256_ctx ctx;
  sha256_init(&ctx);
  sha256_update(&ctx, bytes.size(), data_of(bytes));
  std::array<std::uint8_t, SHA256_DIGEST_SIZE> digest{};
  sha256_digest(&ctx, digest.size(), digest.data());
  return digest;
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
  md5_ctx ctx;
  md5_init(&ctx);
  md5_update(&ctx, bytes.size(), data_of(bytes));
  std::array<std::uint8_t, MD5_DIGEST_SIZE> digest{};
  md5_digest(&ctx, digest.size(), digest.data());
  return hex_of(digest.data(), digest.size());
}

std::string hmac_sha1(std::string_view key, std::string_view data) {
  hmac_sha1_ctx ctx;
  hmac_sha1_set_key(&ctx, key.size(), data_of(key));
  hmac_sha1_update(&ctx, data.size(), data_of(data));
  std::array<std::uint8_t, SHA1_DIGEST_SIZE> mac{};
  hmac_sha1_digest(&ctx, mac.size(), mac.data());
  return std::string(reinterpret_cast<const char*>(mac.data()), mac.size());
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
