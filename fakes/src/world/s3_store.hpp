// Internal to the World model: S3 buckets and objects (bytes under state/s3/BUCKET/KEY, metadata in
// state/s3-meta.json).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ordered_json.hpp"
#include "spotcheck/fakes/context.hpp"

namespace spotcheck::fakes::world {

struct ObjectInfo {
  std::string key;
  std::uint64_t size = 0;
  std::string etag;          // "\"<md5 hex>\"", quotes included, as S3 returns it
  double last_modified = 0;  // virtual time
  std::string content_type = "binary/octet-stream";
  Json metadata = Json::object();
};

struct BucketInfo {
  std::string name;
  double created = 0;
  std::string region;
};

// An object of the World's initial state (world.json's "s3").
struct SeedObject {
  std::string bucket;
  std::string key;
  std::string bytes;
};

// Every call is one transaction under the state lock. Keys are stored verbatim; their files are derived.
class S3Store {
 public:
  explicit S3Store(const RunPaths& paths) : paths_(paths) {}

  std::vector<BucketInfo> buckets() const;
  bool bucket_exists(const std::string& bucket) const;
  void create_bucket(const std::string& bucket, const std::string& region, double now);
  bool delete_bucket(const std::string& bucket);  // false when not empty

  std::optional<ObjectInfo> head(const std::string& bucket, const std::string& key) const;
  std::optional<std::string> get(const std::string& bucket, const std::string& key) const;
  ObjectInfo put(const std::string& bucket, const std::string& key, const std::string& bytes, double now,
                 const std::string& content_type = "", const Json& metadata = Json::object());
  bool remove(const std::string& bucket, const std::string& key);
  // The initial buckets and objects in one transaction (one rewrite of the metadata, not one per object),
  // the same state as create_bucket and put for each in turn at time 0.
  void seed(const std::vector<std::string>& buckets, const std::vector<SeedObject>& objects, const std::string& region);
  // Objects whose key starts with `prefix`, sorted by key.
  std::vector<ObjectInfo> list(const std::string& bucket, const std::string& prefix) const;

 private:
  std::filesystem::path object_file(const std::string& bucket, const std::string& key) const;
  // Writes the object's bytes to its file; returns its metadata entry.
  nlohmann::json write_object(const std::string& bucket, const std::string& key, const std::string& bytes, double now,
                              const std::string& content_type, const Json& metadata) const;
  const RunPaths& paths_;
};

// s3://bucket/key -> {bucket, key}; nullopt when not an s3:// URL.
struct S3Url {
  std::string bucket;
  std::string key;
};
std::optional<S3Url> parse_s3_url(const std::string& text);

}  // namespace spotcheck::fakes::world
