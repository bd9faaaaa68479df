// S3 buckets and objects of the World: bytes in files, metadata in one JSON document, all under the state lock.
#include "world/s3_store.hpp"

#include <nlohmann/json.hpp>

#include "spotcheck/digest.hpp"
#include "spotcheck/error.hpp"
#include "spotcheck/fakes/state.hpp"
#include "spotcheck/file_io.hpp"
#include "spotcheck/text.hpp"
#include "world/common.hpp"

namespace spotcheck::fakes::world {
namespace {

const nlohmann::json kEmptyMeta = {{"buckets", nlohmann::json::object()}};

ObjectInfo info_from(const std::string& key, const nlohmann::json& j) {
  ObjectInfo o;
  o.key = key;
  o.size = j.value("size", std::uint64_t{0});
  o.etag = j.value("etag", "");
  o.last_modified = j.value("last_modified", 0.0);
  o.content_type = j.value("content_type", "binary/octet-stream");
  o.metadata = Json(j.value("metadata", nlohmann::json::object()));
  return o;
}

// A key that can't be a plain relative path (empty segments, "." or "..", a trailing "/") is stored by digest.
bool plain_key(const std::string& key) {
  if (key.empty() || key.back() == '/' || key.front() == '/') return false;
  for (const auto& seg : split(key, '/')) {
    if (seg.empty() || seg == "." || seg == ".." || seg.rfind(".spotcheck", 0) == 0) return false;
  }
  return true;
}

// A bucket's entry in s3-meta, unless it has one; true when added.
bool add_bucket_entry(nlohmann::json& meta, const std::string& bucket, const std::string& region, double now) {
  if (meta["buckets"].contains(bucket)) return false;
  meta["buckets"][bucket] = {{"created", now}, {"region", region}, {"objects", nlohmann::json::object()}};
  return true;
}

}  // namespace

// state/s3/BUCKET/KEY when that path is free; keys that clash with a file or directory go by digest.
std::filesystem::path S3Store::object_file(const std::string& bucket, const std::string& key) const {
  std::filesystem::path plain = std::filesystem::path("s3") / bucket / key;
  std::filesystem::path hashed = std::filesystem::path("s3") / bucket / ".spotcheck-keys" / sha256_hex(key);
  if (!plain_key(key) || std::filesystem::is_directory(paths_.state() / plain)) return hashed;
  for (auto p = plain.parent_path(); !p.empty() && p != "s3"; p = p.parent_path()) {
    if (std::filesystem::is_regular_file(paths_.state() / p)) return hashed;
  }
  return plain;
}

std::vector<BucketInfo> S3Store::buckets() const {
  std::vector<BucketInfo> out;
  const auto meta = read_state(paths_, "s3-meta", kEmptyMeta);  // named: a temporary's member would dangle
  for (const auto& [name, b] : meta["buckets"].items()) {
    out.push_back({name, b.value("created", 0.0), b.value("region", "us-east-1")});
  }
  return out;
}

bool S3Store::bucket_exists(const std::string& bucket) const {
  return read_state(paths_, "s3-meta", kEmptyMeta)["buckets"].contains(bucket);
}

void S3Store::create_bucket(const std::string& bucket, const std::string& region, double now) {
  update_state(
      paths_, "s3-meta", [&](nlohmann::json& meta) { add_bucket_entry(meta, bucket, region, now); }, kEmptyMeta);
  std::filesystem::create_directories(paths_.state() / "s3" / bucket);
}

bool S3Store::delete_bucket(const std::string& bucket) {
  bool deleted = false;
  update_state(
      paths_, "s3-meta",
      [&](nlohmann::json& meta) {
        if (!meta["buckets"].contains(bucket) || !meta["buckets"][bucket]["objects"].empty()) return;
        meta["buckets"].erase(bucket);
        deleted = true;
      },
      kEmptyMeta);
  if (deleted) std::filesystem::remove_all(paths_.state() / "s3" / bucket);
  return deleted;
}

std::optional<ObjectInfo> S3Store::head(const std::string& bucket, const std::string& key) const {
  const auto meta = read_state(paths_, "s3-meta", kEmptyMeta);
  const auto b = meta["buckets"].find(bucket);
  if (b == meta["buckets"].end()) return std::nullopt;
  const auto o = (*b)["objects"].find(key);
  if (o == (*b)["objects"].end()) return std::nullopt;
  return info_from(key, *o);
}

std::optional<std::string> S3Store::get(const std::string& bucket, const std::string& key) const {
  StateLock lock(paths_);
  const auto meta = read_state(paths_, "s3-meta", kEmptyMeta);
  const auto b = meta["buckets"].find(bucket);
  if (b == meta["buckets"].end() || !(*b)["objects"].contains(key)) return std::nullopt;
  return read_file_bytes(paths_.state() / (*b)["objects"][key].value("file", "")).value_or("");
}

nlohmann::json S3Store::write_object(const std::string& bucket, const std::string& key, const std::string& bytes,
                                     double now, const std::string& content_type, const Json& metadata) const {
  const auto relative = object_file(bucket, key);
  const auto file = paths_.state() / relative;
  std::filesystem::create_directories(file.parent_path());
  if (!write_file_bytes(file, bytes))
    throw harness_error("state/s3/" + bucket + "/" + key, "can't write the object: " + errno_message());
  return {{"size", bytes.size()},
          {"etag", "\"" + md5_hex(bytes) + "\""},
          {"last_modified", now},
          {"content_type", content_type.empty() ? "binary/octet-stream" : content_type},
          {"metadata", nlohmann::json(metadata)},
          {"file", relative.generic_string()}};
}

ObjectInfo S3Store::put(const std::string& bucket, const std::string& key, const std::string& bytes, double now,
                        const std::string& content_type, const Json& metadata) {
  StateLock lock(paths_);
  const auto previous = head(bucket, key);
  if (previous) remove(bucket, key);
  const nlohmann::json j = write_object(bucket, key, bytes, now, content_type, metadata);
  update_state(
      paths_, "s3-meta", [&](nlohmann::json& meta) { meta["buckets"][bucket]["objects"][key] = j; }, kEmptyMeta);
  return info_from(key, j);
}

void S3Store::seed(const std::vector<std::string>& buckets, const std::vector<SeedObject>& objects,
                   const std::string& region) {
  StateLock lock(paths_);
  update_state(
      paths_, "s3-meta",
      [&](nlohmann::json& meta) {
        const auto add_bucket = [&](const std::string& bucket) {
          if (add_bucket_entry(meta, bucket, region, 0))
            std::filesystem::create_directories(paths_.state() / "s3" / bucket);
        };
        for (const auto& bucket : buckets) add_bucket(bucket);
        for (const auto& o : objects) {  // in order, as one put after another: a later key may clash with a file
          add_bucket(o.bucket);
          auto& stored = meta["buckets"][o.bucket]["objects"];
          if (const auto old = stored.find(o.key); old != stored.end()) {
            std::error_code ec;
            std::filesystem::remove(paths_.state() / old->value("file", ""), ec);
            stored.erase(old);
          }
          stored[o.key] = write_object(o.bucket, o.key, o.bytes, 0, "", Json::object());
        }
      },
      kEmptyMeta);
}

bool S3Store::remove(const std::string& bucket, const std::string& key) {
  StateLock lock(paths_);
  std::string file;
  update_state(
      paths_, "s3-meta",
      [&](nlohmann::json& meta) {
        if (!meta["buckets"].contains(bucket)) return;
        auto& objects = meta["buckets"][bucket]["objects"];
        if (!objects.contains(key)) return;
        file = objects[key].value("file", "");
        objects.erase(key);
      },
      kEmptyMeta);
  if (file.empty()) return false;
  std::error_code ec;
  std::filesystem::remove(paths_.state() / file, ec);
  return true;
}

std::vector<ObjectInfo> S3Store::list(const std::string& bucket, const std::string& prefix) const {
  std::vector<ObjectInfo> out;
  const auto meta = read_state(paths_, "s3-meta", kEmptyMeta);
  const auto b = meta["buckets"].find(bucket);
  if (b == meta["buckets"].end()) return out;
  for (const auto& [key, o] : (*b)["objects"].items()) {  // nlohmann::json objects iterate in key order
    if (key.rfind(prefix, 0) == 0) out.push_back(info_from(key, o));
  }
  return out;
}

std::optional<S3Url> parse_s3_url(const std::string& text) {
  if (text.rfind("s3://", 0) != 0) return std::nullopt;
  const std::string rest = text.substr(5);
  const auto slash = rest.find('/');
  if (slash == std::string::npos) return S3Url{rest, ""};
  return S3Url{rest.substr(0, slash), rest.substr(slash + 1)};
}

}  // namespace spotcheck::fakes::world
