// Leaf calls and volatile-value references. The scanner is hand-written rather than std::regex:
// a 10,000-record pair must normalise in milliseconds, and std::regex costs microseconds per search.
#include "spotcheck/normalise.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <unordered_map>
#include <unordered_set>

#include "spotcheck/error.hpp"
#include "spotcheck/json_cursor.hpp"

namespace spotcheck::harness {
namespace {

namespace fs = std::filesystem;

bool is_word(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f');
}
bool is_alnum(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

std::size_t run_of(std::string_view s, std::size_t i, bool (*pred)(char)) {
  std::size_t j = i;
  while (j < s.size() && pred(s[j])) ++j;
  return j - i;
}

// AWS resource ids that differ between runs: `i-0abc...` instances, `sir-...` spot requests, `r-...` reservations.
struct IdKind {
  std::string_view prefix;
  const char* kind;
};
constexpr IdKind kIdKinds[] = {{"i-", "instance-id"}, {"sir-", "spot-request"}, {"r-", "reservation"}};

// Length of an id token at i (prefix + 8..17 lowercase hex, then a non-word char), else 0.
std::size_t id_at(std::string_view s, std::size_t i, const char** kind) {
  for (const auto& k : kIdKinds) {
    if (s[i] != k.prefix[0] || s.substr(i, k.prefix.size()) != k.prefix) continue;
    const std::size_t hex = run_of(s, i + k.prefix.size(), is_hex);
    const std::size_t end = i + k.prefix.size() + hex;
    if (hex >= 8 && hex <= 17 && (end == s.size() || !is_word(s[end]))) {
      *kind = k.kind;
      return end - i;
    }
  }
  return 0;
}

// Length of a UUID at i (8-4-4-4-12 lowercase hex, then a non-word char), else 0: an SSM Run Command id.
std::size_t uuid_at(std::string_view s, std::size_t i) {
  std::size_t j = i;
  for (std::size_t group : {8u, 4u, 4u, 4u, 12u}) {
    if (run_of(s, j, is_hex) != group) return 0;
    j += group;
    if (group != 12) {
      if (j >= s.size() || s[j] != '-') return 0;
      ++j;
    }
  }
  return j == s.size() || !is_word(s[j]) ? j - i : 0;
}

// Length of a dotted IPv4 address at i, else 0.
std::size_t ipv4_at(std::string_view s, std::size_t i) {
  std::size_t j = i;
  for (int part = 0; part < 4; ++part) {
    const std::size_t n = run_of(s, j, is_digit);
    if (n == 0 || n > 3) return 0;
    j += n;
    if (part < 3) {
      if (j >= s.size() || s[j] != '.') return 0;
      ++j;
    }
  }
  if (j < s.size() && (is_alnum(s[j]) || (s[j] == '.' && j + 1 < s.size() && is_digit(s[j + 1])))) return 0;
  return j - i;
}

bool digits_at(std::string_view s, std::size_t i, std::size_t n) {
  return i + n <= s.size() && run_of(s, i, is_digit) >= n;
}

// Length of an ISO-8601 timestamp at i (YYYY-MM-DDTHH:MM:SS[.frac][Z|±HH[:]MM]), else 0.
std::size_t iso_time_at(std::string_view s, std::size_t i) {
  if (!digits_at(s, i, 4) || i + 19 > s.size()) return 0;
  const std::string_view t = s.substr(i, 19);
  if (t[4] != '-' || t[7] != '-' || (t[10] != 'T' && t[10] != ' ') || t[13] != ':' || t[16] != ':') return 0;
  for (std::size_t k : {5u, 8u, 11u, 14u, 17u})
    if (!digits_at(s, i + k, 2)) return 0;
  std::size_t j = i + 19;
  if (j < s.size() && s[j] == '.') j += 1 + run_of(s, j + 1, is_digit);
  if (j < s.size() && s[j] == 'Z') {
    ++j;
  } else if (j < s.size() && (s[j] == '+' || s[j] == '-') && digits_at(s, j + 1, 2)) {
    j += 3;
    if (j < s.size() && s[j] == ':') ++j;
    if (digits_at(s, j, 2)) j += 2;
  }
  return j - i;
}

// A mktemp-made entry right under a temp root: `/tmp/spot-launcher.Ab12Cd`, `/tmp/tmp.XXXXXXXXXX`.
// Returns the length of "/tmp/<entry>" at i, else 0. Fixed names (`/tmp/trades.db`) are behaviour and stay.
std::size_t temp_path_at(std::string_view s, std::size_t i) {
  for (std::string_view root : {"/tmp/", "/var/tmp/"}) {
    if (i + 1 >= s.size() || s[i + 1] != root[1] || s.substr(i, root.size()) != root) continue;
    std::size_t j = i + root.size();
    const std::size_t stem = run_of(s, j, [](char c) { return is_alnum(c) || c == '_' || c == '-'; });
    j += stem;
    if (j >= s.size() || s[j] != '.') return 0;
    // mktemp's XXXXXX is 6+ random [A-Za-z0-9]: all lowercase letters 1 time in ~180, so the suffix's
    // length decides, not its look (file extensions are shorter: .db, .json, .lmdb).
    const std::size_t suffix = run_of(s, j + 1, is_alnum);
    return suffix >= 6 ? j + 1 + suffix - i : 0;
  }
  return 0;
}

bool is_transport(const std::string& tool) {
  return tool == "ssh";
}
bool is_local_log_utility(const std::string& tool) {
  return tool == "date";
}

// The wrapper's own words: its argv minus the wrapped command line (which is the child's argv).
std::string wrapper_words(const Record& wrapper, const Record& child) {
  std::string words = wrapper.tool;
  const std::size_t own = wrapper.argv.size() > child.argv.size() ? wrapper.argv.size() - child.argv.size() : 1;
  for (std::size_t k = 1; k < own && k < wrapper.argv.size(); ++k) words += " " + wrapper.argv[k];
  return words;
}

std::string quote_for_display(const std::string& arg) {
  // `<kind:N>` references print bare: they are the normaliser's, not shell syntax.
  if (!arg.empty() && arg.find_first_of(" \t\n'\"\\$`;&|*?()[]{}") == std::string::npos) return arg;
  std::string out = "'";
  for (char c : arg) {
    if (c == '\'')
      out += "'\\''";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out + "'";
}

LeafCall leaf_from_json(const nlohmann::json& j, const std::string& where) {
  const JsonCursor c(j, where);
  c.require_object({"host", "tool", "args", "via", "exit", "payloads"});
  LeafCall call;
  call.host = c.at("host").string();
  call.tool = c.at("tool").string();
  if (c.has("args")) call.args = c.at("args").strings();
  if (c.has("via")) call.via = c.at("via").strings();
  if (c.has("exit")) call.exit = c.at("exit").integer();
  if (c.has("payloads")) {
    const auto p = c.at("payloads");
    for (std::size_t k = 0; k < p.array_size(); ++k) {
      const auto item = p.at(k);
      item.require_object({"path", "sha256", "bytes"});
      Payload pl;
      pl.path = item.at("path").string();
      pl.sha256 = item.at("sha256").string();
      if (item.has("bytes")) pl.bytes = static_cast<std::uint64_t>(item.at("bytes").integer(0));
      call.payloads.push_back(std::move(pl));
    }
  }
  call.where = "line " + where.substr(where.rfind(':') + 1);
  return call;
}

}  // namespace

std::string Normaliser::reference(const char* kind, std::string_view value) {
  auto& table = refs_[kind];
  auto it = table.find(value);
  if (it == table.end()) it = table.emplace(std::string(value), static_cast<int>(table.size()) + 1).first;
  return "<" + std::string(kind) + ":" + std::to_string(it->second) + ">";
}

std::string Normaliser::apply(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const bool boundary = i == 0 || !is_word(s[i - 1]);
    const char* kind = nullptr;
    std::size_t n = 0;
    if (boundary && (n = id_at(s, i, &kind)) > 0) {
      out += reference(kind, s.substr(i, n));
    } else if (boundary && is_hex(s[i]) && (n = uuid_at(s, i)) > 0) {
      out += reference("command-id", s.substr(i, n));
    } else if (boundary && is_digit(s[i]) && (i == 0 || s[i - 1] != '.') && (n = iso_time_at(s, i)) > 0) {
      out += reference("time", s.substr(i, n));
    } else if (boundary && is_digit(s[i]) && (i == 0 || s[i - 1] != '.') && (n = ipv4_at(s, i)) > 0) {
      out += reference("ip", s.substr(i, n));
    } else if (s[i] == '/' && (n = temp_path_at(s, i)) > 0) {
      out += reference("tmp", s.substr(i, n));
    } else {
      out += s[i];
      n = 1;
    }
    i += n;
  }
  return out;
}

std::vector<LeafCall> leaf_calls(const std::vector<Record>& records) {
  std::unordered_set<std::int64_t> parents;
  std::unordered_map<std::int64_t, const Record*> by_seq;
  for (const auto& r : records) {
    by_seq[r.seq] = &r;
    if (r.parent) parents.insert(*r.parent);
  }
  Normaliser norm;
  std::vector<LeafCall> out;
  for (const auto& r : records) {
    // References are numbered in call order over hosts and argv (output is not read: an id first
    // printed by run-instances is numbered where a later call names it, the same on both sides).
    const std::string host = r.host == "dispatcher" ? r.host : norm.apply(r.host);
    std::vector<std::string> args;
    for (std::size_t k = 1; k < r.argv.size(); ++k) args.push_back(norm.apply(r.argv[k]));
    if (parents.count(r.seq) || is_local_log_utility(r.tool)) continue;
    LeafCall call{host, r.tool, std::move(args), {}, r.exit, {}, "seq " + std::to_string(r.seq)};
    const Record* child = &r;
    for (auto p = r.parent; p && by_seq.count(*p);) {
      const Record& wrapper = *by_seq.at(*p);
      if (wrapper.host != r.host || is_transport(wrapper.tool)) break;
      call.via.insert(call.via.begin(), wrapper_words(wrapper, *child));
      child = &wrapper;
      p = wrapper.parent;
    }
    for (const auto& pl : r.payloads) call.payloads.push_back({norm.apply(pl.path), pl.sha256, pl.bytes});
    out.push_back(std::move(call));
  }
  return out;
}

std::string render(const LeafCall& call) {
  std::string line;
  for (const auto& w : call.via) line += w + " > ";
  line += call.tool;
  for (const auto& a : call.args) line += " " + quote_for_display(a);
  line += " -> exit " + std::to_string(call.exit);
  for (const auto& p : call.payloads) line += " [" + p.path + " sha256:" + p.sha256.substr(0, 12) + "]";
  return line;
}

nlohmann::json to_json(const LeafCall& call) {
  nlohmann::json j = {{"host", call.host}, {"tool", call.tool}, {"args", call.args}};
  if (!call.via.empty()) j["via"] = call.via;
  j["exit"] = call.exit;
  if (!call.payloads.empty()) {
    j["payloads"] = nlohmann::json::array();
    for (const auto& p : call.payloads)
      j["payloads"].push_back({{"path", p.path}, {"sha256", p.sha256}, {"bytes", p.bytes}});
  }
  return j;
}

void write_golden(const fs::path& file, const std::vector<LeafCall>& calls) {
  std::ofstream out(file, std::ios::trunc);
  if (!out) throw harness_error(file.string(), "can't write the golden recording");
  for (const auto& c : calls) out << to_json(c).dump() << "\n";
  if (!out) throw harness_error(file.string(), "can't write the golden recording");
}

std::vector<LeafCall> read_leaf_calls(const fs::path& file) {
  std::ifstream in(file);
  if (!in) throw bad_input(file.string(), "can't read: no such file or not readable");
  std::string first;
  int first_line = 1;
  while (std::getline(in, first) && first.find_first_not_of(" \t\r") == std::string::npos) ++first_line;
  if (first.find_first_not_of(" \t\r") == std::string::npos) return {};
  nlohmann::json j = parse_json(first, file.string() + ":" + std::to_string(first_line));
  // A raw recording carries the schema version and seq; a golden carries neither.
  if (j.is_object() && j.contains("seq")) return leaf_calls(read_recording(file));
  in.clear();
  in.seekg(0);
  std::vector<LeafCall> calls;
  std::string line;
  for (int lineno = 1; std::getline(in, line); ++lineno) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::string where = file.string() + ":" + std::to_string(lineno);
    calls.push_back(leaf_from_json(parse_json(line, where), where));
  }
  return calls;
}

}  // namespace spotcheck::harness
