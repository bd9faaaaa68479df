// The low-level S3 API of the World (`aws s3api ...`): objects and buckets as the REST API answers.

#include "aws/cli_errors.hpp"
#include "aws/service.hpp"
#include "spotcheck/file_io.hpp"
#include "world/common.hpp"
#include "world/s3_store.hpp"

namespace spotcheck::fakes::aws {
namespace {

using world::ObjectInfo;
using world::S3Store;

std::string text(const Params& p, const char* name) {
  return p[name].get<std::string>();
}

void require_bucket(const S3Store& store, const std::string& bucket, const std::string& api) {
  if (!store.bucket_exists(bucket)) throw service_error("NoSuchBucket", api, "The specified bucket does not exist");
}

Json head_json(const ObjectInfo& o) {
  return {{"AcceptRanges", "bytes"},       {"LastModified", world::iso8601(o.last_modified)},
          {"ContentLength", o.size},       {"ETag", o.etag},
          {"ContentType", o.content_type}, {"ServerSideEncryption", "AES256"},
          {"Metadata", o.metadata}};
}

Json head_object(Invocation& inv, const Params& p) {
  const auto o = S3Store(inv.paths).head(text(p, "bucket"), text(p, "key"));
  if (!o) throw service_error("404", "HeadObject", "Not Found");  // HEAD responses carry no error body
  return head_json(*o);
}

Json get_object(Invocation& inv, const Params& p) {
  const S3Store store(inv.paths);
  const std::string bucket = text(p, "bucket"), key = text(p, "key");
  require_bucket(store, bucket, "GetObject");
  const auto o = store.head(bucket, key);
  const auto bytes = store.get(bucket, key);
  if (!o || !bytes) throw service_error("NoSuchKey", "GetObject", "The specified key does not exist.");
  const std::string outfile = text(p, "outfile");
  if (outfile == "-") {
    inv.call.out(*bytes);
  } else {
    if (!write_file_bytes(outfile, *bytes)) throw usage_error("[Errno 2] No such file or directory: '" + outfile + "'");
  }
  inv.call.add_payload("s3://" + bucket + "/" + key, *bytes);
  Json j = head_json(*o);
  return outfile == "-" ? Json::object() : j;
}

std::string read_body(const Params& p) {
  if (!p.contains("body")) return "";
  const std::string path = text(p, "body");
  auto bytes = read_file_bytes(path);
  if (!bytes) throw usage_error("Error parsing parameter '--body': Blob values must be a path to a file.");
  return std::move(*bytes);
}

Json put_object(Invocation& inv, const Params& p) {
  S3Store store(inv.paths);
  const std::string bucket = text(p, "bucket"), key = text(p, "key");
  require_bucket(store, bucket, "PutObject");
  const std::string body = read_body(p);
  const std::string type = p.contains("content-type") ? text(p, "content-type") : "";
  const Json metadata = p.contains("metadata") ? p["metadata"] : Json::object();
  const auto o = store.put(bucket, key, body, virtual_now(inv.paths), type, metadata);
  inv.call.add_payload("s3://" + bucket + "/" + key, body);
  return {{"ETag", o.etag}, {"ServerSideEncryption", "AES256"}};
}

Json delete_object(Invocation& inv, const Params& p) {
  S3Store store(inv.paths);
  require_bucket(store, text(p, "bucket"), "DeleteObject");
  store.remove(text(p, "bucket"), text(p, "key"));
  return Json::object();
}

Json copy_object(Invocation& inv, const Params& p) {
  S3Store store(inv.paths);
  std::string source = text(p, "copy-source");
  if (!source.empty() && source.front() == '/') source.erase(0, 1);
  const auto slash = source.find('/');
  const std::string src_bucket = source.substr(0, slash);
  const std::string src_key = slash == std::string::npos ? "" : source.substr(slash + 1);
  require_bucket(store, src_bucket, "CopyObject");
  require_bucket(store, text(p, "bucket"), "CopyObject");
  const auto src = store.head(src_bucket, src_key);
  const auto bytes = store.get(src_bucket, src_key);
  if (!src || !bytes) throw service_error("NoSuchKey", "CopyObject", "The specified key does not exist.");
  const auto o =
      store.put(text(p, "bucket"), text(p, "key"), *bytes, virtual_now(inv.paths), src->content_type, src->metadata);
  inv.call.add_payload("s3://" + text(p, "bucket") + "/" + text(p, "key"), *bytes);
  return {{"ServerSideEncryption", "AES256"},
          {"CopyObjectResult", {{"ETag", o.etag}, {"LastModified", world::iso8601(o.last_modified)}}}};
}

Json object_entry(const ObjectInfo& o) {
  return {{"Key", o.key},
          {"LastModified", world::iso8601(o.last_modified)},
          {"ETag", o.etag},
          {"Size", o.size},
          {"StorageClass", "STANDARD"}};
}

Json list_objects_v2(Invocation& inv, const Params& p) {
  const S3Store store(inv.paths);
  const std::string bucket = text(p, "bucket");
  require_bucket(store, bucket, "ListObjectsV2");
  const std::string prefix = p.contains("prefix") ? text(p, "prefix") : "";
  const std::string delimiter = p.contains("delimiter") ? text(p, "delimiter") : "";
  const std::string after = p.contains("start-after") ? text(p, "start-after") : "";
  Json contents = Json::array(), prefixes = Json::array();
  std::string last_prefix;
  for (const auto& o : store.list(bucket, prefix)) {
    if (!after.empty() && o.key <= after) continue;
    const auto cut = delimiter.empty() ? std::string::npos : o.key.find(delimiter, prefix.size());
    if (cut != std::string::npos) {
      const std::string common = o.key.substr(0, cut + delimiter.size());
      if (common != last_prefix) prefixes.push_back({{"Prefix", common}});
      last_prefix = common;
      continue;
    }
    contents.push_back(object_entry(o));
  }
  Json out = Json::object();
  if (!contents.empty()) out["Contents"] = contents;
  if (!prefixes.empty()) out["CommonPrefixes"] = prefixes;
  out["RequestCharged"] = nullptr;
  out["Prefix"] = prefix;
  return out;
}

Json head_bucket(Invocation& inv, const Params& p) {
  const std::string bucket = text(p, "bucket");
  for (const auto& b : S3Store(inv.paths).buckets()) {
    if (b.name == bucket) return {{"BucketRegion", b.region}, {"AccessPointAlias", false}};
  }
  throw service_error("404", "HeadBucket", "Not Found");
}

Json list_buckets(Invocation& inv, const Params&) {
  Json buckets = Json::array();
  for (const auto& b : S3Store(inv.paths).buckets()) {
    buckets.push_back({{"Name", b.name}, {"CreationDate", world::iso8601(b.created)}});
  }
  return {{"Buckets", buckets}, {"Owner", {{"DisplayName", "spotcheck"}, {"ID", world::hex_id("owner", 64)}}}};
}

Json create_bucket(Invocation& inv, const Params& p) {
  S3Store store(inv.paths);
  const std::string bucket = text(p, "bucket");
  if (store.bucket_exists(bucket)) {
    throw service_error("BucketAlreadyOwnedByYou", "CreateBucket",
                        "Your previous request to create the named bucket succeeded and you already own it.");
  }
  store.create_bucket(bucket, inv.region.empty() ? "us-east-1" : inv.region, virtual_now(inv.paths));
  return {{"Location", "/" + bucket}};
}

Json delete_bucket(Invocation& inv, const Params& p) {
  S3Store store(inv.paths);
  require_bucket(store, text(p, "bucket"), "DeleteBucket");
  if (!store.delete_bucket(text(p, "bucket"))) {
    throw service_error("BucketNotEmpty", "DeleteBucket", "The bucket you tried to delete is not empty");
  }
  return Json::object();
}

const std::vector<ParamSpec> kObjectParams = {{"bucket", ParamKind::String, true}, {"key", ParamKind::String, true}};

std::vector<ParamSpec> object_params(std::initializer_list<ParamSpec> more) {
  std::vector<ParamSpec> params = kObjectParams;
  params.insert(params.end(), more);
  return params;
}

}  // namespace

const ServiceDef& s3api_service() {
  static const ServiceDef def{
      "s3api",
      {
          {"head-object", object_params({{"version-id", ParamKind::String}, {"if-match", ParamKind::String}}),
           head_object},
          {"get-object",
           object_params({{"outfile", ParamKind::String, true, true},
                          {"version-id", ParamKind::String},
                          {"range", ParamKind::String}}),
           get_object},
          {"put-object",
           object_params({{"body", ParamKind::Blob},
                          {"content-type", ParamKind::String},
                          {"metadata", ParamKind::Structure},
                          {"acl", ParamKind::String},
                          {"server-side-encryption", ParamKind::String},
                          {"storage-class", ParamKind::String},
                          {"cache-control", ParamKind::String},
                          {"content-md5", ParamKind::String},
                          {"tagging", ParamKind::String}}),
           put_object},
          {"delete-object", object_params({{"version-id", ParamKind::String}}), delete_object},
          {"copy-object",
           object_params({{"copy-source", ParamKind::String, true},
                          {"metadata-directive", ParamKind::String},
                          {"content-type", ParamKind::String},
                          {"acl", ParamKind::String}}),
           copy_object},
          {"list-objects-v2",
           {{"bucket", ParamKind::String, true},
            {"prefix", ParamKind::String},
            {"delimiter", ParamKind::String},
            {"start-after", ParamKind::String},
            {"max-items", ParamKind::Integer},
            {"page-size", ParamKind::Integer},
            {"max-keys", ParamKind::Integer},
            {"starting-token", ParamKind::String},
            {"fetch-owner", ParamKind::Boolean},
            {"encoding-type", ParamKind::String}},
           list_objects_v2},
          {"head-bucket", {{"bucket", ParamKind::String, true}}, head_bucket},
          {"list-buckets",
           {{"max-items", ParamKind::Integer}, {"starting-token", ParamKind::String}, {"prefix", ParamKind::String}},
           list_buckets},
          {"create-bucket",
           {{"bucket", ParamKind::String, true},
            {"create-bucket-configuration", ParamKind::Structure},
            {"acl", ParamKind::String}},
           create_bucket},
          {"delete-bucket", {{"bucket", ParamKind::String, true}}, delete_bucket},
      }};
  return def;
}

}  // namespace spotcheck::fakes::aws
