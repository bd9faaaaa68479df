// Unit tests for the digests and base64 (contracts/digest.hpp), against published test vectors.
#include <gtest/gtest.h>

#include "spotcheck/digest.hpp"

namespace spotcheck {
namespace {

TEST(Digest, Sha256MatchesFips180Vectors) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_bytes("abc").size(), 32u);
  EXPECT_EQ(static_cast<unsigned char>(sha256_bytes("abc")[0]), 0xbau);
}

TEST(Digest, Md5MatchesRfc1321Vectors) {
  EXPECT_EQ(md5_hex(""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(md5_hex("message digest"), "f96b697d7cb7938d525a2f31aaf161d0");
}

std::string hex_of(const std::string& bytes) {
  std::string hex;
  for (unsigned char c : bytes) hex += "0123456789abcdef"[c >> 4], hex += "0123456789abcdef"[c & 0xf];
  return hex;
}

TEST(Digest, HmacSha1MatchesRfc2202) {
  // Test case 2: a key shorter than SHA-1's block, padded with zeros.
  EXPECT_EQ(hex_of(hmac_sha1("Jefe", "what do ya want for nothing?")), "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
  // Test case 3: a key of exactly 20 bytes, data of 50.
  EXPECT_EQ(hex_of(hmac_sha1(std::string(20, '\xaa'), std::string(50, '\xdd'))),
            "125d7342b9ac11cd91a39af48aa17b4f63f175d3");
  // Test case 6: a key longer than the 64-byte block is hashed first.
  EXPECT_EQ(hex_of(hmac_sha1(std::string(80, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First")),
            "aa4ae5e15272d00e95705637ce8a3b55ed402112");
}

TEST(Digest, Base64EncodesWithPaddingAndDecodesBack) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64_decode("Zg=="), "f");
  EXPECT_EQ(base64_decode("Zm8="), "fo");
  const std::string binary("\x00\xff\x10 \x7f", 5);
  EXPECT_EQ(base64_decode(base64_encode(binary)), binary);
}

TEST(Digest, Base64RejectsWhatIsNotBase64) {
  EXPECT_EQ(base64_decode("Zm9v*mFy"), std::nullopt);
  EXPECT_EQ(base64_decode("Zg="), std::nullopt) << "truncated padding";
}

}  // namespace
}  // namespace spotcheck
