// Per-host comparison of leaf calls with dtl's shortest edit script (O(ND): fast when the two
// sides mostly agree), rendered as unified hunks with an explanation of each changed pair.
#include "spotcheck/differ.hpp"

#include <algorithm>
#include <dtl/dtl.hpp>
#include <limits>
#include <map>

namespace spotcheck::harness {
namespace {

constexpr std::size_t kContext = 3;

struct Side {
  std::vector<std::string> lines;
  std::vector<const LeafCall*> calls;
};

std::vector<std::string> host_order(const std::vector<LeafCall>& a, const std::vector<LeafCall>& b) {
  std::vector<std::string> hosts;
  for (const auto* side : {&a, &b})
    for (const auto& c : *side)
      if (std::find(hosts.begin(), hosts.end(), c.host) == hosts.end()) hosts.push_back(c.host);
  return hosts;
}

std::map<std::string, Side> by_host(const std::vector<LeafCall>& calls) {
  std::map<std::string, Side> sides;
  for (const auto& c : calls) {
    auto& s = sides[c.host];
    s.lines.push_back(render(c));
    s.calls.push_back(&c);
  }
  return sides;
}

// One edit step: kind -1 removed (A only), 0 common, +1 added (B only); indexes into each side.
struct Step {
  int kind;
  std::size_t ai, bi;
};

std::vector<Step> edit_script(const Side& a, const Side& b) {
  dtl::Diff<std::string, std::vector<std::string>> d(a.lines, b.lines);
  d.compose();
  std::vector<Step> steps;
  std::size_t ai = 0, bi = 0;  // positions before this step; an addition sits at A's current position
  for (const auto& [elem, info] : d.getSes().getSequence()) {
    (void)elem;
    const int kind = info.type == dtl::SES_DELETE ? -1 : info.type == dtl::SES_ADD ? 1 : 0;
    steps.push_back({kind, ai, bi});
    if (kind <= 0) ++ai;
    if (kind >= 0) ++bi;
  }
  return steps;
}

struct Hunk {
  std::size_t begin, end;  // step range
};

std::vector<Hunk> hunks_of(const std::vector<Step>& steps) {
  std::vector<Hunk> hunks;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    if (steps[i].kind == 0) continue;
    std::size_t begin = i >= kContext ? i - kContext : 0;
    std::size_t j = i, common_run = 0;
    for (; j < steps.size(); ++j) {
      common_run = steps[j].kind == 0 ? common_run + 1 : 0;
      if (common_run > 2 * kContext) break;
    }
    std::size_t end = std::min(steps.size(), j - (common_run > kContext ? common_run - kContext : 0));
    if (!hunks.empty() && begin <= hunks.back().end)
      hunks.back().end = end;
    else
      hunks.push_back({begin, end});
    i = end;
  }
  return hunks;
}

std::string render_hunk(const Hunk& h, const std::vector<Step>& steps, const Side& a, const Side& b,
                        const DiffLabels& labels) {
  std::size_t a_start = 0, b_start = 0, a_len = 0, b_len = 0;
  bool a_seen = false, b_seen = false;
  for (std::size_t k = h.begin; k < h.end; ++k) {
    const auto& s = steps[k];
    if (s.kind <= 0) {
      if (!a_seen) a_start = s.ai, a_seen = true;
      ++a_len;
    }
    if (s.kind >= 0) {
      if (!b_seen) b_start = s.bi, b_seen = true;
      ++b_len;
    }
  }
  std::string out = "@@ -" + std::to_string(a_start + 1) + "," + std::to_string(a_len) + " +" +
                    std::to_string(b_start + 1) + "," + std::to_string(b_len) + " @@\n";
  for (std::size_t k = h.begin; k < h.end;) {
    if (steps[k].kind == 0) {
      out += "  " + a.lines[steps[k].ai] + "\n";
      ++k;
      continue;
    }
    // A block of changes: removals, then additions, then how each removed call differs from the
    // added one in its place (the same call done differently is the usual story).
    std::vector<std::size_t> removed, added;
    for (; k < h.end && steps[k].kind != 0; ++k) (steps[k].kind < 0 ? removed : added).push_back(k);
    for (auto r : removed) out += "- " + a.lines[steps[r].ai] + "   (" + a.calls[steps[r].ai]->where + ")\n";
    for (auto d : added) out += "+ " + b.lines[steps[d].bi] + "   (" + b.calls[steps[d].bi]->where + ")\n";
    for (std::size_t j = 0; j < removed.size() && j < added.size(); ++j)
      out += "  ^ " + explain_difference(*a.calls[steps[removed[j]].ai], *b.calls[steps[added[j]].bi], labels) + "\n";
  }
  return out;
}

std::string plural(std::size_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

}  // namespace

std::string explain_difference(const LeafCall& a, const LeafCall& b, const DiffLabels& labels) {
  auto q = [](const std::string& s) { return "`" + s + "`"; };
  if (a.tool != b.tool) return "a different tool: " + q(a.tool) + " vs " + q(b.tool);
  if (a.via != b.via) {
    auto words = [](const std::vector<std::string>& v) {
      std::string s;
      for (const auto& w : v) s += (s.empty() ? "" : " > ") + w;
      return s.empty() ? std::string("no wrapper") : s;
    };
    return "wrapped differently: " + words(a.via) + " vs " + words(b.via);
  }
  const std::size_t n = std::min(a.args.size(), b.args.size());
  for (std::size_t k = 0; k < n; ++k) {
    if (a.args[k] != b.args[k]) {
      std::string why = "argv[" + std::to_string(k + 1) + "]: " + q(a.args[k]) + " vs " + q(b.args[k]);
      // An inserted or dropped word shows as a shifted tail; name it when that is what happened.
      if (a.args.size() == b.args.size() + 1 && std::equal(a.args.begin() + k + 1, a.args.end(), b.args.begin() + k))
        why = "argv[" + std::to_string(k + 1) + "] " + q(a.args[k]) + " is missing in " + labels.b;
      else if (b.args.size() == a.args.size() + 1 &&
               std::equal(b.args.begin() + k + 1, b.args.end(), a.args.begin() + k))
        why = "argv[" + std::to_string(k + 1) + "] " + q(b.args[k]) + " is extra in " + labels.b;
      else if (a.args.size() == b.args.size() + 2 &&
               std::equal(a.args.begin() + k + 2, a.args.end(), b.args.begin() + k))
        why = "argv[" + std::to_string(k + 1) + ".." + std::to_string(k + 2) + "] " +
              q(a.args[k] + " " + a.args[k + 1]) + " is missing in " + labels.b;
      else if (b.args.size() == a.args.size() + 2 &&
               std::equal(b.args.begin() + k + 2, b.args.end(), a.args.begin() + k))
        why = "argv[" + std::to_string(k + 1) + ".." + std::to_string(k + 2) + "] " +
              q(b.args[k] + " " + b.args[k + 1]) + " is extra in " + labels.b;
      return why;
    }
  }
  if (a.args.size() != b.args.size()) {
    const auto& longer = a.args.size() > b.args.size() ? a : b;
    return (a.args.size() > b.args.size() ? labels.a : labels.b) + " has more arguments, from argv[" +
           std::to_string(n + 1) + "]: " + q(longer.args[n]);
  }
  if (a.exit != b.exit) return "exit status " + std::to_string(a.exit) + " vs " + std::to_string(b.exit);
  if (a.payloads.size() != b.payloads.size())
    return "copied " + plural(a.payloads.size(), "file") + " vs " + plural(b.payloads.size(), "file");
  for (std::size_t k = 0; k < a.payloads.size(); ++k) {
    if (a.payloads[k].path != b.payloads[k].path)
      return "copied to " + q(a.payloads[k].path) + " vs " + q(b.payloads[k].path);
    if (a.payloads[k].sha256 != b.payloads[k].sha256)
      return "different bytes copied to " + q(a.payloads[k].path) + " (sha256 " + a.payloads[k].sha256.substr(0, 12) +
             " vs " + b.payloads[k].sha256.substr(0, 12) + ")";
  }
  return "no difference";
}

DiffResult diff_leaf_calls(const std::vector<LeafCall>& a, const std::vector<LeafCall>& b, const DiffLabels& labels,
                           std::size_t max_hunks) {
  DiffResult result;
  const auto sa = by_host(a), sb = by_host(b);
  static const Side empty;
  struct HostReport {
    HostDiff diff;
    std::size_t first_position;  // index in A (or B) of the first divergent call, to order hosts
    std::string text;
  };
  std::vector<HostReport> reports;
  for (const auto& host : host_order(a, b)) {
    const Side& ha = sa.count(host) ? sa.at(host) : empty;
    const Side& hb = sb.count(host) ? sb.at(host) : empty;
    if (ha.lines == hb.lines) continue;
    const auto steps = edit_script(ha, hb);
    HostReport rep{{host, ha.lines.size(), hb.lines.size(), 0, 0}, std::numeric_limits<std::size_t>::max(), ""};
    for (const auto& s : steps) {
      if (s.kind < 0) ++rep.diff.removed;
      if (s.kind > 0) ++rep.diff.added;
      if (s.kind != 0 && rep.first_position == std::numeric_limits<std::size_t>::max()) {
        // The global position of the divergence: where it falls in A's whole sequence.
        const LeafCall* at = s.ai < ha.calls.size() ? ha.calls[s.ai] : nullptr;
        rep.first_position = at ? static_cast<std::size_t>(at - a.data()) : a.size();
      }
    }
    const auto hunks = hunks_of(steps);
    rep.text = "--- " + labels.a + "  host " + host + " (" + plural(ha.lines.size(), "call") + ")\n+++ " + labels.b +
               "  host " + host + " (" + plural(hb.lines.size(), "call") + ")\n";
    if (ha.lines.empty()) rep.text += "  (" + labels.a + " made no calls on this host)\n";
    if (hb.lines.empty()) rep.text += "  (" + labels.b + " made no calls on this host)\n";
    for (std::size_t k = 0; k < hunks.size() && k < max_hunks; ++k)
      rep.text += render_hunk(hunks[k], steps, ha, hb, labels);
    if (hunks.size() > max_hunks)
      rep.text += "  ... " + plural(hunks.size() - max_hunks, "more hunk") + " on this host\n";
    reports.push_back(std::move(rep));
  }
  std::stable_sort(reports.begin(), reports.end(),
                   [](const HostReport& x, const HostReport& y) { return x.first_position < y.first_position; });
  result.equivalent = reports.empty();
  if (result.equivalent) {
    result.report = "equivalent: " + plural(a.size(), "leaf call") + " on " + plural(host_order(a, b).size(), "host") +
                    ", same sequence on every host\n";
    return result;
  }
  std::string summary;
  for (const auto& r : reports) {
    result.hosts.push_back(r.diff);
    summary += "  " + r.diff.host + ": " + std::to_string(r.diff.removed) + " only in " + labels.a + ", " +
               std::to_string(r.diff.added) + " only in " + labels.b + " (of " + std::to_string(r.diff.a_calls) +
               " / " + std::to_string(r.diff.b_calls) + ")\n";
  }
  result.report = "not equivalent: " + plural(reports.size(), "host") + " differ" + (reports.size() == 1 ? "s" : "") +
                  "; first divergence on host " + reports.front().diff.host + "\n" + reports.front().text;
  for (std::size_t k = 1; k < reports.size(); ++k) result.report += reports[k].text;
  result.report += "summary (leaf calls per host):\n" + summary;
  return result;
}

}  // namespace spotcheck::harness
