// The high-level `aws s3` commands (ls, cp, mv, rm, sync, mb, rb, presign) over the World's S3 store.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "aws/cli_args.hpp"
#include "aws/cli_errors.hpp"
#include "aws/service.hpp"
#include "spotcheck/aws_grammar.hpp"
#include "spotcheck/file_io.hpp"
#include "world/common.hpp"
#include "world/s3_store.hpp"

namespace fs = std::filesystem;

namespace spotcheck::fakes::aws {
namespace {

using world::S3Store;
using world::S3Url;

// ---- the command line of one s3 command ----

struct S3Args {
  std::vector<std::string> paths;                     // positional
  std::set<std::string> flags;                        // --recursive, --quiet, ...
  std::vector<std::pair<bool, std::string>> filters;  // (include?, pattern) in order
  std::map<std::string, std::string> values;          // --content-type x, ...
  bool has(const char* flag) const { return flags.count(flag) > 0; }
};

struct CommandSpec {
  std::string_view name;
  std::size_t min_paths, max_paths;
  const AwsS3CommandOptions& options;
};

const std::vector<CommandSpec>& commands() {
  // In the CLI's command-table order (its invalid-choice list shows them so); `website` is not modelled. The
  // options are the contracts' (aws_s3_command_options), which the effects oracle reads too.
  static const std::vector<CommandSpec> table = {
      {"ls", 0, 1, *aws_s3_command_options("ls")},     {"cp", 2, 2, *aws_s3_command_options("cp")},
      {"mv", 2, 2, *aws_s3_command_options("mv")},     {"rm", 1, 1, *aws_s3_command_options("rm")},
      {"sync", 2, 2, *aws_s3_command_options("sync")}, {"mb", 1, 1, *aws_s3_command_options("mb")},
      {"rb", 1, 1, *aws_s3_command_options("rb")},     {"presign", 1, 1, *aws_s3_command_options("presign")},
  };
  return table;
}

bool listed(const std::vector<std::string_view>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// The command's option names, for argparse's abbreviations (`--rec` is `--recursive`).
std::vector<std::string_view> option_names(const CommandSpec& spec) {
  std::vector<std::string_view> names = spec.options.flags;
  names.insert(names.end(), spec.options.valued.begin(), spec.options.valued.end());
  return names;
}

S3Args parse_s3_args(const CommandSpec& spec, const std::vector<std::string>& args) {
  const std::vector<std::string_view> names = option_names(spec);
  throw_if_ambiguous(args, names);
  S3Args out;
  std::vector<std::string> unknown;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.size() <= 2 || a.rfind("--", 0) != 0) {
      out.paths.push_back(a);
      continue;
    }
    const std::string name = resolved_name(a, names).value_or(a.substr(2));
    const bool is_filter = (name == "exclude" || name == "include") && listed(spec.options.valued, name);
    const auto eq = a.find('=');
    if (listed(spec.options.flags, name)) {
      if (eq != std::string::npos) {
        throw usage_error("argument --" + name + ": ignored explicit argument '" + a.substr(eq + 1) + "'");
      }
      out.flags.insert(name);
    } else if (listed(spec.options.valued, name)) {
      if (eq == std::string::npos && i + 1 >= args.size()) {
        throw usage_error("argument --" + name + ": expected one argument");
      }
      std::string value = eq != std::string::npos ? a.substr(eq + 1) : args[++i];
      if (is_filter) {
        out.filters.emplace_back(name == "include", std::move(value));
      } else {
        out.values[name] = std::move(value);
      }
    } else {
      unknown.push_back(a);
    }
  }
  if (out.paths.size() > spec.max_paths) {
    unknown.insert(unknown.end(), out.paths.begin() + static_cast<long>(spec.max_paths), out.paths.end());
  }
  if (!unknown.empty()) throw unknown_options(unknown);
  if (out.paths.size() < spec.min_paths) {
    throw usage_error(spec.min_paths == 2 ? "the following arguments are required: paths" : "too few arguments");
  }
  return out;
}

// ---- reporting ----

// The CLI shows local paths relative to the working directory's view of their folder: ./x, ../out/x.
std::string display_local(const std::string& path) {
  std::error_code ec;
  const fs::path abs = fs::absolute(path, ec);
  const fs::path rel = fs::relative(abs.parent_path(), fs::current_path(ec), ec);
  if (ec) return abs.string();
  return (rel / abs.filename()).string();
}

std::string s3_text(const std::string& bucket, const std::string& key) {
  return "s3://" + bucket + "/" + key;
}

class Reporter {
 public:
  Reporter(Invocation& inv, const S3Args& args)
      : inv_(inv), quiet_(args.has("quiet")), errors_only_(args.has("only-show-errors")), dryrun_(args.has("dryrun")) {}

  void done(const std::string& verb, const std::string& from, const std::string& to = "") {
    if (quiet_ || errors_only_) return;
    inv_.call.out((dryrun_ ? "(dryrun) " : "") + verb + ": " + from + (to.empty() ? "" : " to " + to) + "\n");
  }
  void failed(const std::string& verb, const std::string& from, const std::string& to, const CliFailure& why) {
    status_ = std::max(status_, 1);
    if (quiet_) return;
    std::string reason = why.stderr_text;
    while (!reason.empty() && (reason.front() == '\n')) reason.erase(0, 1);
    while (!reason.empty() && (reason.back() == '\n')) reason.pop_back();
    inv_.call.err(verb + " failed: " + from + (to.empty() ? "" : " to " + to) + " " + reason + "\n");
  }
  void warn(const std::string& text) {
    status_ = std::max(status_, 2);
    if (!quiet_) inv_.call.err("warning: " + text + "\n");
  }
  bool dryrun() const { return dryrun_; }
  int status() const { return status_; }

 private:
  Invocation& inv_;
  bool quiet_, errors_only_, dryrun_;
  int status_ = 0;
};

// ---- transfers ----

std::string read_local(const fs::path& p) {
  return read_file_bytes(p).value_or("");
}

void write_local(const fs::path& p, const std::string& bytes) {
  std::error_code ec;
  if (p.has_parent_path()) fs::create_directories(p.parent_path(), ec);
  if (!write_file_bytes(p, bytes)) throw usage_error("[Errno 13] Permission denied: '" + p.string() + "'");
}

std::string basename_of(const std::string& key) {
  const auto slash = key.rfind('/');
  return slash == std::string::npos ? key : key.substr(slash + 1);
}

struct Transfer {
  Invocation& inv;
  S3Store store;
  Reporter& report;
  const S3Args& args;
  bool move = false;

  std::string content_type() const {
    const auto it = args.values.find("content-type");
    return it == args.values.end() ? "" : it->second;
  }

  void upload(const std::string& local, const std::string& bucket, const std::string& key, const std::string& shown) {
    const std::string to = s3_text(bucket, key);
    const std::string verb = move ? "move" : "upload";
    if (!store.bucket_exists(bucket)) {
      return report.failed(verb, shown, to,
                           service_error("NoSuchBucket", "PutObject", "The specified bucket does not exist"));
    }
    if (!report.dryrun()) {
      const std::string bytes = local == "-" ? inv.call.read_stdin() : read_local(local);
      store.put(bucket, key, bytes, virtual_now(inv.paths), content_type());
      inv.call.add_payload(to, bytes);
      if (move && local != "-") fs::remove(local);
    }
    if (local != "-") report.done(verb, shown, to);
  }

  // Returns false (and reports) when the object is missing.
  bool download(const std::string& bucket, const std::string& key, const std::string& local) {
    const std::string from = s3_text(bucket, key);
    const auto bytes = store.get(bucket, key);
    if (!bytes) return false;
    const std::string verb = move ? "move" : "download";
    if (!report.dryrun()) {
      if (local == "-") {
        inv.call.out(*bytes);
      } else {
        write_local(local, *bytes);
      }
      inv.call.add_payload(from, *bytes);
      if (move) store.remove(bucket, key);
    }
    if (local != "-") report.done(verb, from, display_local(local));
    return true;
  }

  bool copy(const S3Url& src, const S3Url& dst) {
    const std::string from = s3_text(src.bucket, src.key), to = s3_text(dst.bucket, dst.key);
    const auto bytes = store.get(src.bucket, src.key);
    if (!bytes) return false;
    const std::string verb = move ? "move" : "copy";
    if (!store.bucket_exists(dst.bucket)) {
      report.failed(verb, from, to, service_error("NoSuchBucket", "CopyObject", "The specified bucket does not exist"));
      return true;
    }
    if (!report.dryrun()) {
      const auto info = store.head(src.bucket, src.key);
      store.put(dst.bucket, dst.key, *bytes, virtual_now(inv.paths), info ? info->content_type : "");
      inv.call.add_payload(to, *bytes);
      if (move) store.remove(src.bucket, src.key);
    }
    report.done(verb, from, to);
    return true;
  }
};

// Later filters win; a path starts included (the CLI's --exclude/--include semantics).
bool included(const S3Args& args, const std::string& relative) {
  bool in = true;
  for (const auto& [include, pattern] : args.filters) {
    if (world::glob_match(pattern, relative)) in = include;
  }
  return in;
}

std::string dir_prefix(std::string key) {
  if (!key.empty() && key.back() != '/') key += '/';
  return key;
}

// Local files under `dir`, relative paths with '/' separators, sorted.
std::vector<std::string> local_files(const fs::path& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_regular_file()) out.push_back(fs::relative(it->path(), dir).generic_string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

[[noreturn]] void missing_object(const std::string& key) {
  throw s3_failure("fatal error: An error occurred (404) when calling the HeadObject operation: Key \"" + key +
                   "\" does not exist");
}

[[noreturn]] void missing_local(const std::string& path) {
  throw general_error("The user-provided path " + path + " does not exist.");
}

void require_bucket(const S3Store& store, const std::string& bucket) {
  if (!store.bucket_exists(bucket)) {
    throw service_error("NoSuchBucket", "ListObjectsV2", "The specified bucket does not exist");
  }
}

// ---- cp / mv ----

void copy_single(Transfer& t, const std::string& src, const std::string& dst) {
  const auto s = world::parse_s3_url(src);
  const auto d = world::parse_s3_url(dst);
  if (!s && d) {
    if (src != "-" && !fs::is_regular_file(src)) missing_local(src);
    const std::string key =
        d->key.empty() || d->key.back() == '/' ? d->key + fs::path(src).filename().string() : d->key;
    t.upload(src, d->bucket, key, src == "-" ? "-" : display_local(src));
  } else if (s && !d) {
    std::string local = dst;
    if (dst != "-" && (fs::is_directory(dst) || dst.back() == '/'))
      local = (fs::path(dst) / basename_of(s->key)).string();
    if (!t.download(s->bucket, s->key, local)) missing_object(s->key);
  } else if (s && d) {
    S3Url to = *d;
    if (to.key.empty() || to.key.back() == '/') to.key += basename_of(s->key);
    if (!t.copy(*s, to)) missing_object(s->key);
  } else {
    throw usage_error("Error: Invalid argument type");
  }
}

void copy_recursive(Transfer& t, const std::string& src, const std::string& dst) {
  const auto s = world::parse_s3_url(src);
  const auto d = world::parse_s3_url(dst);
  if (!s && d) {
    if (!fs::is_directory(src)) missing_local(src);
    for (const auto& rel : local_files(src)) {
      if (!included(t.args, rel)) continue;
      const std::string file = (fs::path(src) / rel).string();
      t.upload(file, d->bucket, dir_prefix(d->key) + rel, display_local(file));
    }
    return;
  }
  if (!s) throw usage_error("Error: Invalid argument type");
  require_bucket(t.store, s->bucket);
  const std::string prefix = dir_prefix(s->key);
  for (const auto& o : t.store.list(s->bucket, prefix)) {
    const std::string rel = o.key.substr(prefix.size());
    if (rel.empty() || rel.back() == '/' || !included(t.args, rel)) continue;
    if (d) {
      t.copy({s->bucket, o.key}, {d->bucket, dir_prefix(d->key) + rel});
    } else {
      t.download(s->bucket, o.key, (fs::path(dst) / rel).string());
    }
  }
}

int run_cp(Invocation& inv, const S3Args& args, bool move) {
  Reporter report(inv, args);
  Transfer t{inv, S3Store(inv.paths), report, args, move};
  if (args.has("recursive")) {
    copy_recursive(t, args.paths[0], args.paths[1]);
  } else {
    copy_single(t, args.paths[0], args.paths[1]);
  }
  return report.status();
}

// ---- sync ----

bool same_object(const std::optional<std::string>& have, const std::string& want) {
  return have && *have == want;
}

void sync_up(Transfer& t, const std::string& dir, const S3Url& d) {
  if (!fs::is_directory(dir)) missing_local(dir);
  const std::string prefix = dir_prefix(d.key);
  std::set<std::string> seen;
  for (const auto& rel : local_files(dir)) {
    if (!included(t.args, rel)) continue;
    seen.insert(rel);
    const std::string file = (fs::path(dir) / rel).string();
    if (same_object(t.store.get(d.bucket, prefix + rel), read_local(file))) continue;
    t.upload(file, d.bucket, prefix + rel, display_local(file));
  }
  if (!t.args.has("delete")) return;
  for (const auto& o : t.store.list(d.bucket, prefix)) {
    const std::string rel = o.key.substr(prefix.size());
    if (seen.count(rel) || !included(t.args, rel)) continue;
    if (!t.report.dryrun()) t.store.remove(d.bucket, o.key);
    t.report.done("delete", s3_text(d.bucket, o.key));
  }
}

void sync_down(Transfer& t, const S3Url& s, const std::string& dir) {
  require_bucket(t.store, s.bucket);
  const std::string prefix = dir_prefix(s.key);
  std::set<std::string> seen;
  for (const auto& o : t.store.list(s.bucket, prefix)) {
    const std::string rel = o.key.substr(prefix.size());
    if (rel.empty() || rel.back() == '/' || !included(t.args, rel)) continue;
    seen.insert(rel);
    const fs::path local = fs::path(dir) / rel;
    if (fs::is_regular_file(local) && same_object(t.store.get(s.bucket, o.key), read_local(local))) continue;
    t.download(s.bucket, o.key, local.string());
  }
  if (!t.args.has("delete") || !fs::is_directory(dir)) return;
  for (const auto& rel : local_files(dir)) {
    if (seen.count(rel) || !included(t.args, rel)) continue;
    const std::string file = (fs::path(dir) / rel).string();
    if (!t.report.dryrun()) fs::remove(file);
    t.report.done("delete", display_local(file));
  }
}

void sync_across(Transfer& t, const S3Url& s, const S3Url& d) {
  require_bucket(t.store, s.bucket);
  const std::string from = dir_prefix(s.key), to = dir_prefix(d.key);
  for (const auto& o : t.store.list(s.bucket, from)) {
    const std::string rel = o.key.substr(from.size());
    if (rel.empty() || !included(t.args, rel)) continue;
    const auto bytes = t.store.get(s.bucket, o.key);
    if (bytes && same_object(t.store.get(d.bucket, to + rel), *bytes)) continue;
    t.copy({s.bucket, o.key}, {d.bucket, to + rel});
  }
}

// Sync copies what is missing or differs (by content: deterministic, unlike mtimes; see the report).
int run_sync(Invocation& inv, const S3Args& args) {
  Reporter report(inv, args);
  Transfer t{inv, S3Store(inv.paths), report, args, false};
  const auto s = world::parse_s3_url(args.paths[0]);
  const auto d = world::parse_s3_url(args.paths[1]);
  if (!s && d) {
    sync_up(t, args.paths[0], *d);
  } else if (s && !d) {
    sync_down(t, *s, args.paths[1]);
  } else if (s && d) {
    sync_across(t, *s, *d);
  } else {
    throw usage_error("Error: Invalid argument type");
  }
  return report.status();
}

// ---- rm, mb, rb, presign ----

int run_rm(Invocation& inv, const S3Args& args) {
  const auto url = world::parse_s3_url(args.paths[0]);
  if (!url) throw usage_error("Error: Invalid argument type");
  S3Store store(inv.paths);
  Reporter report(inv, args);
  if (!args.has("recursive")) {
    if (!store.bucket_exists(url->bucket)) {
      report.failed("delete", s3_text(url->bucket, url->key), "",
                    service_error("NoSuchBucket", "DeleteObject", "The specified bucket does not exist"));
      return report.status();
    }
    if (!report.dryrun()) store.remove(url->bucket, url->key);
    report.done("delete", s3_text(url->bucket, url->key));
    return report.status();
  }
  require_bucket(store, url->bucket);
  const std::string prefix = dir_prefix(url->key);
  for (const auto& o : store.list(url->bucket, prefix)) {
    if (!included(args, o.key.substr(prefix.size()))) continue;
    if (!report.dryrun()) store.remove(url->bucket, o.key);
    report.done("delete", s3_text(url->bucket, o.key));
  }
  return report.status();
}

int run_mb(Invocation& inv, const S3Args& args) {
  const auto url = world::parse_s3_url(args.paths[0]);
  if (!url) throw usage_error("<S3Uri>: s3 path must start with s3://");
  S3Store store(inv.paths);
  if (store.bucket_exists(url->bucket)) {
    throw s3_failure("make_bucket failed: s3://" + url->bucket +
                     " An error occurred (BucketAlreadyOwnedByYou) when calling the CreateBucket operation: Your "
                     "previous request to create the named bucket succeeded and you already own it.");
  }
  store.create_bucket(url->bucket, inv.region.empty() ? "us-east-1" : inv.region, virtual_now(inv.paths));
  inv.call.out("make_bucket: " + url->bucket + "\n");
  return 0;
}

int run_rb(Invocation& inv, const S3Args& args) {
  const auto url = world::parse_s3_url(args.paths[0]);
  if (!url) throw usage_error("<S3Uri>: s3 path must start with s3://");
  S3Store store(inv.paths);
  if (!store.bucket_exists(url->bucket)) {
    throw s3_failure("remove_bucket failed: s3://" + url->bucket +
                     " An error occurred (NoSuchBucket) when calling the DeleteBucket operation: The specified bucket "
                     "does not exist");
  }
  if (args.has("force")) {
    for (const auto& o : store.list(url->bucket, "")) {
      store.remove(url->bucket, o.key);
      inv.call.out("delete: " + s3_text(url->bucket, o.key) + "\n");
    }
  }
  if (!store.delete_bucket(url->bucket)) {
    throw s3_failure("remove_bucket failed: s3://" + url->bucket +
                     " An error occurred (BucketNotEmpty) when calling the DeleteBucket operation: The bucket you "
                     "tried to delete is not empty");
  }
  inv.call.out("remove_bucket: " + url->bucket + "\n");
  return 0;
}

int run_presign(Invocation& inv, const S3Args& args) {
  const auto url = world::parse_s3_url(args.paths[0]);
  if (!url) throw usage_error("<S3Uri>: s3 path must start with s3://");
  const auto it = args.values.find("expires-in");
  const std::string expires = it == args.values.end() ? "3600" : it->second;
  const std::string region = inv.region.empty() ? "us-east-1" : inv.region;
  const std::string date = world::ls_time(virtual_now(inv.paths));
  std::string amz_date;
  for (char c : date) {
    if (c != '-' && c != ':' && c != ' ') amz_date += c;
  }
  amz_date.insert(8, "T");
  inv.call.out(
      fmt::format("https://{}.s3.{}.amazonaws.com/{}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential="
                  "AKIAIOSFODNN7EXAMPLE%2F{}%2F{}%2Fs3%2Faws4_request&X-Amz-Date={}Z&X-Amz-Expires={}&"
                  "X-Amz-SignedHeaders=host&X-Amz-Signature={}\n",
                  url->bucket, region, url->key, amz_date.substr(0, 8), region, amz_date, expires,
                  world::hex_id(args.paths[0] + expires + amz_date, 64)));
  return 0;
}

// ---- ls ----

std::string human_size(std::uint64_t size) {
  static const char* units[] = {"Bytes", "KiB", "MiB", "GiB", "TiB"};
  if (size < 1024) return std::to_string(size) + " Bytes";
  double v = static_cast<double>(size);
  int u = 0;
  while (v >= 1024 && u < 4) v /= 1024, ++u;
  return fmt::format("{:.1f} {}", v, units[u]);
}

std::string size_column(std::uint64_t size, bool human) {
  const std::string s = human ? human_size(size) : std::to_string(size);
  return s.size() >= 10 ? s : std::string(10 - s.size(), ' ') + s;
}

int list_buckets(Invocation& inv) {
  for (const auto& b : S3Store(inv.paths).buckets()) inv.call.out(world::ls_time(b.created) + " " + b.name + "\n");
  return 0;
}

int run_ls(Invocation& inv, const S3Args& args) {
  if (args.paths.empty() || args.paths[0] == "s3://") return list_buckets(inv);
  auto url = world::parse_s3_url(args.paths[0]);
  if (!url) url = world::parse_s3_url("s3://" + args.paths[0]);
  const S3Store store(inv.paths);
  require_bucket(store, url->bucket);
  const bool recursive = args.has("recursive"), human = args.has("human-readable");
  std::uint64_t total = 0, count = 0;
  std::vector<std::string> dirs;  // common prefixes print before the objects, as ListObjectsV2 returns them
  std::string files;
  for (const auto& o : store.list(url->bucket, url->key)) {
    const auto slash = o.key.find('/', url->key.size());
    if (!recursive && slash != std::string::npos) {
      const std::string dir = o.key.substr(0, slash + 1);
      if (dirs.empty() || dirs.back() != dir) dirs.push_back(dir);
      continue;
    }
    ++count;
    total += o.size;
    files += world::ls_time(o.last_modified) + " " + size_column(o.size, human) + " " +
             (recursive ? o.key : basename_of(o.key)) + "\n";
  }
  for (const auto& dir : dirs)
    inv.call.out(std::string(27, ' ') + "PRE " + basename_of(dir.substr(0, dir.size() - 1)) + "/\n");
  inv.call.out(files);
  if (args.has("summarize")) {
    inv.call.out(fmt::format("\nTotal Objects: {}\n   Total Size: {}\n", count,
                             human ? human_size(total) : std::to_string(total)));
  }
  return count == 0 && dirs.empty() ? 1 : 0;
}

std::vector<std::string> command_names() {
  std::vector<std::string> names;
  for (const auto& c : commands()) names.emplace_back(c.name);
  names.insert(names.begin() + 1, "website");
  return names;
}

}  // namespace

int run_s3_command(Invocation& inv) {
  const auto spec =
      std::find_if(commands().begin(), commands().end(), [&](const CommandSpec& c) { return c.name == inv.operation; });
  if (spec == commands().end()) throw invalid_choice("subcommand", inv.operation, command_names());
  const S3Args args = parse_s3_args(*spec, inv.args);
  inv.settle();  // region and credentials are checked after the arguments, as the CLI does
  const std::string_view op = inv.operation;
  if (op == "ls") return run_ls(inv, args);
  if (op == "cp") return run_cp(inv, args, false);
  if (op == "mv") return run_cp(inv, args, true);
  if (op == "sync") return run_sync(inv, args);
  if (op == "rm") return run_rm(inv, args);
  if (op == "mb") return run_mb(inv, args);
  if (op == "rb") return run_rb(inv, args);
  return run_presign(inv, args);
}

}  // namespace spotcheck::fakes::aws
