// The world description: one validating parser, and merging layers with errors located in their source.
#include "spotcheck/world_config.hpp"

namespace spotcheck {
namespace {

using nlohmann::json;

void read_capacity(const JsonCursor& c, WorldConfig& w) {
  for (const auto& [type, count] : c.members()) w.capacity[type] = count.integer(0);
}

// s3://BUCKET/KEY with a non-empty bucket.
bool is_object_url(const std::string& url) {
  const auto slash = url.find('/', 5);
  return url.starts_with("s3://") && slash != std::string::npos && slash > 5;
}

void read_s3(const JsonCursor& c, WorldConfig& w) {
  c.require_object({"buckets", "objects"});
  if (c.has("buckets")) w.buckets = c.at("buckets").strings();
  if (!c.has("objects")) return;
  for (const auto& [url, text] : c.at("objects").members()) {
    if (!is_object_url(url)) text.fail("expected a key of the form s3://bucket/key");
    w.s3_objects[url] = text.string();
  }
}

void read_ssm(const JsonCursor& c, WorldConfig& w) {
  for (const auto& [name, p] : c.members()) {
    if (p.value().is_string()) {
      w.ssm[name] = {p.string(), "String"};
      continue;
    }
    if (!p.value().is_object()) p.expected("a string or an object with \"value\" and \"type\"");
    p.require_object({"value", "type"});
    WorldConfig::SsmParameter seed{p.at("value").string(), "String"};
    if (p.has("type")) seed.type = p.at("type").one_of({"String", "StringList", "SecureString"});
    w.ssm[name] = seed;
  }
}

void read_repos(const JsonCursor& c, WorldConfig& w) {
  auto& repos = w.repos.emplace();
  for (const auto& [name, r] : c.members()) {
    r.require_object({"files", "branches"});
    WorldConfig::Repo repo;
    if (r.has("files")) repo.files = r.at("files").string_map();
    if (r.has("branches")) repo.branches = r.at("branches").strings();
    repos[name] = repo;
  }
}

void read_internet(const JsonCursor& c, WorldConfig& w) {
  c.require_object({"spot", "dispatcher", "http"});
  if (c.has("spot")) w.internet.spot = c.at("spot").strings();
  if (c.has("dispatcher")) w.internet.dispatcher = c.at("dispatcher").strings();
  if (!c.has("http")) return;
  for (const auto& [url, a] : c.at("http").members()) {
    if (url.find("://") == std::string::npos) a.fail("expected a key of the form scheme://host/path");
    a.require_object({"status", "body"});
    WorldConfig::HttpAnswer answer;
    if (a.has("status")) answer.status = a.at("status").integer(100, 599);
    if (a.has("body")) answer.body = a.at("body").string();
    w.internet.http[url] = answer;
  }
}

// "~/x" lands in the dispatcher's HOME, anything relative in its working directory.
void read_files(const JsonCursor& c, WorldConfig& w) {
  for (const auto& [path, text] : c.members()) {
    if (path.empty() || path[0] == '/') text.fail("expected a path under ~ or relative to the working directory");
    w.files[path] = text.string();
  }
}

// The RFC 6901 reference tokens of `pointer`, unescaped.
std::vector<std::string> pointer_tokens(const std::string& pointer) {
  std::vector<std::string> tokens;
  for (std::size_t at = 0; at < pointer.size();) {
    const std::size_t end = std::min(pointer.find('/', at + 1), pointer.size());
    std::string token;
    for (std::size_t i = at + 1; i < end; ++i) {
      if (pointer[i] == '~' && i + 1 < end) {
        token += pointer[i + 1] == '1' ? '/' : '~';
        ++i;
      } else {
        token += pointer[i];
      }
    }
    tokens.push_back(token);
    at = end;
  }
  return tokens;
}

// Whether `value` has something (null included: a layer's null removes a key) at the first `n` tokens.
bool resolves(const json& value, const std::vector<std::string>& tokens, std::size_t n) {
  const json* at = &value;
  for (std::size_t i = 0; i < n; ++i) {
    if (at->is_object()) {
      const auto it = at->find(tokens[i]);
      if (it == at->end()) return false;
      at = &*it;
    } else if (at->is_array()) {
      if (tokens[i].empty() || tokens[i].find_first_not_of("0123456789") != std::string::npos) return false;
      const std::size_t index = std::stoul(tokens[i]);
      if (index >= at->size()) return false;
      at = &(*at)[index];
    } else {
      return false;
    }
  }
  return true;
}

// The layer that gave the value at `pointer` (or its nearest ancestor): the last one that has it.
const WorldLayer& source_of(const std::vector<WorldLayer>& layers, const std::string& pointer) {
  const auto tokens = pointer_tokens(pointer);
  for (std::size_t n = tokens.size() + 1; n-- > 0;) {
    for (auto layer = layers.rbegin(); layer != layers.rend(); ++layer)
      if (resolves(layer->value, tokens, n)) return *layer;
  }
  return layers.back();
}

}  // namespace

WorldConfig parse_world_config(const JsonCursor& c) {
  WorldConfig w;
  if (c.value().is_null()) return w;
  c.require_object({"region", "credentials", "amis", "capacity", "boot_seconds", "ssh_ready_after", "ssm_agent",
                    "ssm_agent_online_after", "ssm_invocation_visible_after", "s3", "ssm", "repos", "files",
                    "config_prefixes", "internet"});
  if (c.has("region")) w.region = c.at("region").non_empty_string();
  if (c.has("credentials")) w.credentials = c.at("credentials").boolean();
  if (c.has("amis")) w.amis = c.at("amis").strings();
  if (c.has("capacity")) read_capacity(c.at("capacity"), w);
  if (c.has("boot_seconds")) w.boot_seconds = c.at("boot_seconds").number(0);
  if (c.has("ssh_ready_after")) w.ssh_ready_after = c.at("ssh_ready_after").number(0);
  if (c.has("ssm_agent")) w.ssm_agent = c.at("ssm_agent").boolean();
  if (c.has("ssm_agent_online_after")) w.ssm_agent_online_after = c.at("ssm_agent_online_after").number(0);
  if (c.has("ssm_invocation_visible_after"))
    w.ssm_invocation_visible_after = c.at("ssm_invocation_visible_after").number(0);
  if (c.has("s3")) read_s3(c.at("s3"), w);
  if (c.has("ssm")) read_ssm(c.at("ssm"), w);
  if (c.has("repos")) read_repos(c.at("repos"), w);
  if (c.has("files")) read_files(c.at("files"), w);
  if (c.has("config_prefixes")) w.config_prefixes = c.at("config_prefixes").strings();
  if (c.has("internet")) read_internet(c.at("internet"), w);
  return w;
}

std::vector<WorldLayer> world_layers(const std::vector<std::filesystem::path>& files,
                                     const std::vector<WorldLayer>& inline_layers) {
  std::vector<WorldLayer> layers;
  for (const auto& file : files) layers.push_back({read_json_file(file.string()), file.string(), ""});
  layers.insert(layers.end(), inline_layers.begin(), inline_layers.end());
  return layers;
}

json merge_world(const std::vector<WorldLayer>& layers) {
  json world = json::object();
  for (const auto& layer : layers) world.merge_patch(layer.value);
  if (layers.empty()) return world;
  try {
    parse_world_config(JsonCursor(world, "world"));
  } catch (const JsonError& e) {
    const WorldLayer& source = source_of(layers, e.pointer());
    throw JsonError(source.file, source.pointer + e.pointer(), e.message());
  }
  return world;
}

}  // namespace spotcheck
