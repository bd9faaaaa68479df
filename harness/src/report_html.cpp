// HTML views: a recording as swimlanes (inline SVG), the explore report page around them.
#include "spotcheck/report_html.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string_view>

#include "spotcheck/text.hpp"
#include "spotcheck/timeline.hpp"

namespace spotcheck::harness {
namespace {

// Text and attribute values alike; control characters (other than newline and tab) become U+FFFD, since
// HTML has no escape for them and a recording's stdout or argv may hold any byte.
std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '&') {
      out += "&amp;";
    } else if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else if (c == '"') {
      out += "&quot;";
    } else if (c == '\'') {
      out += "&#39;";
    } else if ((u < 0x20 && c != '\n' && c != '\t') || u == 0x7F) {
      out += "\xEF\xBF\xBD";
    } else {
      out += c;
    }
  }
  return out;
}

// Text cut to `width` bytes on a UTF-8 boundary, elided with … (shorten_argv's rule, for one word).
std::string clip(const std::string& text, std::size_t width) {
  return shorten_argv({"", text}, width);
}

// Virtual time for people: 12.5s, 4m05s, 2h03m10s.
std::string format_t(double t) {
  if (t < 60) {
    std::string s = fmt::format("{:.1f}", t);
    if (s.ends_with(".0")) s.resize(s.size() - 2);
    return s + "s";
  }
  const auto total = static_cast<long long>(std::llround(t));
  if (total < 3600) return fmt::format("{}m{:02}s", total / 60, total % 60);
  return fmt::format("{}h{:02}m{:02}s", total / 3600, (total / 60) % 60, total % 60);
}

// What a box's colour says: the call changed the outside world, started or ended an instance, or neither.
struct Tone {
  const char* css;
  const char* fill;
  const char* stroke;
  const char* text;
  const char* label;
};
constexpr Tone kWriteTone{"write", "#f6b04d", "#b8741a", "#1d2630", "write (s3, metric, config, notify, api)"};
constexpr Tone kLifecycleTone{"lifecycle", "#5b8def", "#2f5fb3", "#ffffff", "instance launch / terminate"};
constexpr Tone kOtherTone{"other", "#e3e7ec", "#9aa5b1", "#1d2630", "read / other"};
constexpr const char* kFailedStroke = "#d62728";
constexpr const char* kFaultColour = "#c2185b";
constexpr const char* kLaneBand = "#2e3d4f";

const Tone& tone_of(const Record& r) {
  static const std::vector<std::string> writes = {"s3.write", "metric.write", "config.write",
                                                  "notify",   "external.api", "secret.write"};
  const auto has = [&](const auto& names) {
    return std::any_of(r.effects.begin(), r.effects.end(),
                       [&](const std::string& e) { return std::find(names.begin(), names.end(), e) != names.end(); });
  };
  if (has(writes)) return kWriteTone;
  if (has(std::vector<std::string>{"ec2.launch", "ec2.terminate"})) return kLifecycleTone;
  return kOtherTone;
}

// The behaviour rule `spotcheck explore` injects its fault with is named "explore: KIND at POINT".
bool is_faulted(const Record& r) {
  return r.rule && r.rule->starts_with("explore: ");
}

// Geometry, in SVG user units (pixels). Each call has a column of its own, in (t, seq) order, so boxes never
// overlap; a jump in virtual time widens the gap before the column (logarithmically: hours of sleep stay
// on screen).
constexpr double kGutter = 156;  // lane labels
constexpr double kAxis = 26;     // the time axis band
constexpr double kLaneHeight = 66;
constexpr double kBoxTop = 22;  // a box's offset in its lane: room for the faulted-call label above it
constexpr double kBoxWidth = 96;
constexpr double kBoxHeight = 34;
constexpr double kPitch = 104;
constexpr double kMaxTimeGap = 60;
constexpr std::size_t kBoxChars = 15;  // 10px monospace in a 96px box

struct Placed {
  const Record* r = nullptr;
  double x = 0;
  std::size_t lane = 0;
  double top() const { return kAxis + (static_cast<double>(lane) * kLaneHeight) + kBoxTop; }
  double bottom() const { return top() + kBoxHeight; }
  double mid_x() const { return x + (kBoxWidth / 2); }
};

std::string tooltip(const Record& r) {
  std::string text = fmt::format("#{} {} on {}\n{} {}\nexit {}, t {}\neffects: {}", r.seq, r.tool, r.host, r.tool,
                                 shorten_argv(r.argv, 200), r.exit, format_t(r.t),
                                 r.effects.empty() ? std::string("none") : join(r.effects, ", "));
  if (r.parent) text += fmt::format("\nparent: #{}", *r.parent);
  if (r.rule) text += "\nrule: " + *r.rule;
  if (r.unscripted) text += "\nunscripted (no rule or default answered)";
  return text;
}

std::string lane_svg(const std::string& host, std::size_t index, std::size_t calls, double width) {
  const double y = kAxis + (static_cast<double>(index) * kLaneHeight);
  const char* background = index % 2 == 0 ? "#f5f7fa" : "#ebeff4";
  return fmt::format(
      "<g class=\"lane\" data-host=\"{0}\"><rect x=\"0\" y=\"{1}\" width=\"{2}\" height=\"{3}\" fill=\"{4}\"/>"
      "<rect x=\"0\" y=\"{5}\" width=\"{6}\" height=\"{7}\" rx=\"3\" fill=\"{8}\"/>"
      "<text x=\"8\" y=\"{9}\" fill=\"#ffffff\" font-weight=\"bold\">{10}</text>"
      "<text x=\"8\" y=\"{11}\" fill=\"#c9d3de\">{12}</text>"
      "<text x=\"8\" y=\"{13}\" fill=\"#c9d3de\">{14} call{15}</text></g>\n",
      escape(host), y, width, kLaneHeight, background, y + 3, kGutter - 12, kLaneHeight - 6, kLaneBand, y + 22,
      escape(clip(host, 22)), y + 38, host == "dispatcher" ? "launcher" : "spot instance", y + 53, calls,
      calls == 1 ? "" : "s");
}

// A transport (ssh/scp/sudo/timeout) to a call it spawned: down to a lower lane, up to a higher one, or a
// sag under the boxes within one lane.
std::string link_svg(const Placed& parent, const Placed& child) {
  double x1 = parent.mid_x();
  double x2 = child.mid_x();
  double y1 = parent.bottom();
  double y2 = child.top();
  double bend = 18;
  if (child.lane < parent.lane) {
    y1 = parent.top();
    y2 = child.bottom();
    bend = -18;
  } else if (child.lane == parent.lane) {
    x1 = parent.x + kBoxWidth - 10;
    x2 = child.x + 10;
    y2 = child.bottom();
    bend = 8;
  }
  const double c2 = child.lane == parent.lane ? y2 + bend : y2 - bend;
  return fmt::format(
      "<g class=\"link\" data-parent=\"{}\" data-child=\"{}\"><path d=\"M{:.1f},{:.1f} C{:.1f},{:.1f} {:.1f},{:.1f} "
      "{:.1f},{:.1f}\" fill=\"none\" stroke=\"#7a8794\" stroke-width=\"1.5\"/><circle cx=\"{:.1f}\" cy=\"{:.1f}\" "
      "r=\"2.5\" fill=\"#7a8794\"/></g>\n",
      parent.r->seq, child.r->seq, x1, y1, x1, y1 + bend, x2, c2, x2, y2, x2, y2);
}

std::string call_svg(const Placed& p) {
  const Record& r = *p.r;
  const Tone& tone = tone_of(r);
  const bool failed = r.exit != 0;
  const bool faulted = is_faulted(r);
  std::string classes = fmt::format("call {}", tone.css);
  if (failed) classes += " failed";
  if (faulted) classes += " faulted";
  std::string out =
      fmt::format("<g class=\"{}\" data-seq=\"{}\"><title>{}</title>", classes, r.seq, escape(tooltip(r)));
  if (faulted) {
    out += fmt::format(
        "<rect class=\"fault-marker\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{}\" height=\"{}\" rx=\"6\" fill=\"none\" "
        "stroke=\"{}\" stroke-width=\"3\" stroke-dasharray=\"6 3\"/><text class=\"fault-label\" x=\"{:.1f}\" "
        "y=\"{:.1f}\" fill=\"{}\" font-weight=\"bold\">&#9889; FAULTED CALL</text>",
        p.x - 4, p.top() - 4, kBoxWidth + 8, kBoxHeight + 8, kFaultColour, p.x - 2, p.top() - 8, kFaultColour);
  }
  out += fmt::format(
      "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{}\" height=\"{}\" rx=\"4\" fill=\"{}\" stroke=\"{}\" "
      "stroke-width=\"{}\"/><text x=\"{:.1f}\" y=\"{:.1f}\" fill=\"{}\" font-weight=\"bold\">{}</text>"
      "<text x=\"{:.1f}\" y=\"{:.1f}\" fill=\"{}\">{}</text></g>\n",
      p.x, p.top(), kBoxWidth, kBoxHeight, tone.fill, failed ? kFailedStroke : tone.stroke, failed ? 3 : 1, p.x + 5,
      p.top() + 14, tone.text, escape(clip(fmt::format("#{} {}", r.seq, r.tool), kBoxChars)), p.x + 5, p.top() + 27,
      tone.text, escape(shorten_argv(r.argv, kBoxChars)));
  return out;
}

std::string legend_html() {
  std::string out = "<p class=\"legend\">";
  for (const Tone* t : {&kWriteTone, &kLifecycleTone, &kOtherTone}) {
    out += fmt::format("<span><i class=\"swatch\" style=\"background:{};border-color:{}\"></i>{}</span>", t->fill,
                       t->stroke, t->label);
  }
  out += fmt::format(
      "<span><i class=\"swatch\" style=\"background:#ffffff;border:2px solid {}\"></i>non-zero exit</span>"
      "<span><i class=\"swatch\" style=\"background:#ffffff;border:2px dashed {}\"></i>faulted call</span>"
      "<span>lines: a transport (ssh, scp, sudo, timeout) to the calls it ran</span></p>\n",
      kFailedStroke, kFaultColour);
  return out;
}

std::string world_changes_html(const std::vector<WorldChange>& changes) {
  std::string out = "<div class=\"world-changes\"><h3>World changes (what the run left behind)</h3>\n";
  if (changes.empty()) return out + "<p class=\"none\">none</p></div>\n";
  out += "<table><tr><th>kind</th><th>name</th><th>detail</th></tr>\n";
  for (const auto& c : changes) {
    out += fmt::format("<tr class=\"change\"><td>{}</td><td><code>{}</code></td><td>{}</td></tr>\n", escape(c.kind),
                       escape(c.name), escape(c.detail));
  }
  return out + "</table></div>\n";
}

// The swimlanes themselves: lanes, time axis, links, then the boxes on top.
std::string swimlanes_svg(const std::vector<const Record*>& by_seq) {
  std::vector<std::string> hosts;
  std::map<std::string, std::size_t> lane_of;
  std::map<std::string, std::size_t> calls_on;
  if (std::any_of(by_seq.begin(), by_seq.end(), [](const Record* r) { return r->host == "dispatcher"; }))
    hosts.emplace_back("dispatcher");
  for (const Record* r : by_seq) {
    if (std::find(hosts.begin(), hosts.end(), r->host) == hosts.end()) hosts.push_back(r->host);
    ++calls_on[r->host];
  }
  for (std::size_t i = 0; i < hosts.size(); ++i) lane_of[hosts[i]] = i;

  std::vector<const Record*> by_time = by_seq;
  std::stable_sort(by_time.begin(), by_time.end(), [](const Record* a, const Record* b) { return a->t < b->t; });
  std::map<std::int64_t, Placed> placed;
  std::string axis;
  double x = kGutter + 8;
  double last_label = -1e9;
  for (std::size_t i = 0; i < by_time.size(); ++i) {
    const Record* r = by_time[i];
    const bool new_time = i == 0 || r->t > by_time[i - 1]->t;
    if (i > 0) x += kPitch + (new_time ? std::min(kMaxTimeGap, 8 * std::log2(1 + r->t - by_time[i - 1]->t)) : 0);
    placed[r->seq] = Placed{r, x, lane_of[r->host]};
    if (new_time && x - last_label >= 72) {
      axis += fmt::format(
          "<line x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2}\" stroke=\"#b7c0ca\" stroke-dasharray=\"2 3\"/>"
          "<text class=\"tick\" x=\"{3:.1f}\" y=\"17\" fill=\"#4a5663\">t={4}</text>\n",
          x - 4, kAxis - 4, kAxis + (static_cast<double>(hosts.size()) * kLaneHeight), x - 2, format_t(r->t));
      last_label = x;
    }
  }
  const double width = x + kBoxWidth + 16;
  const double height = kAxis + (static_cast<double>(hosts.size()) * kLaneHeight);

  std::string out = fmt::format(
      "<svg class=\"swimlanes\" width=\"{0:.0f}\" height=\"{1:.0f}\" viewBox=\"0 0 {0:.0f} {1:.0f}\" role=\"img\" "
      "font-family=\"ui-monospace, DejaVu Sans Mono, monospace\" font-size=\"10\">\n",
      width, height);
  for (std::size_t i = 0; i < hosts.size(); ++i) out += lane_svg(hosts[i], i, calls_on[hosts[i]], width);
  out += axis;
  for (const auto& [seq, p] : placed) {
    if (!p.r->parent) continue;
    const auto parent = placed.find(*p.r->parent);
    if (parent != placed.end()) out += link_svg(parent->second, p);
  }
  for (const Record* r : by_seq) out += call_svg(placed.at(r->seq));
  return out + "</svg>\n";
}

std::string outcome_class(const std::string& outcome) {
  if (outcome == "pass") return "pass";
  if (outcome == "VIOLATION") return "violation";
  if (outcome == "watchdog") return "watchdog";
  return "other";
}

std::string run_anchor(std::size_t index) {
  return fmt::format("run-{}", index + 1);
}

std::string run_detail_html(const ExploreHtmlRun& run, std::size_t index) {
  std::string out = fmt::format(
      "<section class=\"run-detail\" id=\"{}\">\n<h2>run {}: {} at <code>{}</code></h2>\n"
      "<p>outcome <b class=\"outcome {}\">{}</b>, exit {}{}</p>\n",
      run_anchor(index), index + 1, escape(run.kind), escape(run.point), outcome_class(run.outcome),
      escape(run.outcome), run.exit, run.timed_out ? " (timed out: killed by the harness)" : "");
  if (!run.violations.empty()) {
    out += "<ul class=\"violations\">\n";
    for (const auto& v : run.violations) out += fmt::format("<li>{}</li>\n", escape(v));
    out += "</ul>\n";
  }
  if (!run.scenario_file.empty())
    out += fmt::format("<pre class=\"reproduce\">reproduce: spotcheck check {}</pre>\n", escape(run.scenario_file));
  if (run.records != nullptr) {
    const std::vector<WorldChange> none;
    out += render_recording_html(*run.records, run.world_changes != nullptr ? *run.world_changes : none,
                                 fmt::format("recording of run {}: {} at {}", index + 1, run.kind, run.point));
  } else {
    out += "<p class=\"no-recording\">no recording kept for this run</p>\n";
  }
  return out + "</section>\n";
}

// One table row per fault point (consecutive runs at one point), a cell per kind.
std::string explore_table_html(const ExploreHtml& report) {
  std::vector<std::string> kinds = report.kinds;
  for (const auto& run : report.runs) {  // a kind no column names still gets one
    if (std::find(kinds.begin(), kinds.end(), run.kind) == kinds.end()) kinds.push_back(run.kind);
  }
  std::string out = "<table class=\"explore\">\n<thead><tr><th>fault point</th>";
  for (const auto& k : kinds) out += fmt::format("<th>{}</th>", escape(k));
  out += "</tr></thead>\n<tbody>\n";
  for (std::size_t begin = 0; begin < report.runs.size();) {
    std::size_t end = begin;
    while (end < report.runs.size() && report.runs[end].point == report.runs[begin].point) ++end;
    out += fmt::format("<tr><th class=\"point\"><code>{}</code></th>", escape(report.runs[begin].point));
    for (const auto& k : kinds) {
      std::string cls = "na";
      std::string text;
      for (std::size_t i = begin; i < end; ++i) {
        const auto& run = report.runs[i];
        if (run.kind != k) continue;
        const std::string c = outcome_class(run.outcome);
        if (cls == "na" || cls == "pass") cls = c;
        if (!text.empty()) text += " ";
        text += c == "pass" ? escape(run.outcome)
                            : fmt::format("<a href=\"#{}\">{}</a>", run_anchor(i), escape(run.outcome));
      }
      out += fmt::format("<td class=\"{}\">{}</td>", cls, text.empty() ? "-" : text);
    }
    out += "</tr>\n";
    begin = end;
  }
  return out + "</tbody></table>\n";
}

}  // namespace

std::string render_recording_html(const std::vector<Record>& records, const std::vector<WorldChange>& changes,
                                  const std::string& caption) {
  std::vector<const Record*> by_seq;
  by_seq.reserve(records.size());
  for (const auto& r : records) by_seq.push_back(&r);
  std::stable_sort(by_seq.begin(), by_seq.end(), [](const Record* a, const Record* b) { return a->seq < b->seq; });

  std::string out = fmt::format("<section class=\"recording\">\n<h2>{}</h2>\n", escape(caption));
  if (by_seq.empty())
    return out + "<p class=\"none\">no calls recorded</p>\n" + world_changes_html(changes) + "</section>\n";
  std::vector<std::string> hosts;
  double span = 0;
  for (const Record* r : by_seq) {
    if (std::find(hosts.begin(), hosts.end(), r->host) == hosts.end()) hosts.push_back(r->host);
    span = std::max(span, r->t);
  }
  out += fmt::format("<p class=\"summary\">{} calls on {} host{}, virtual time 0s to {}", by_seq.size(), hosts.size(),
                     hosts.size() == 1 ? "" : "s", format_t(span));
  for (const Record* r : by_seq) {
    if (is_faulted(*r)) {
      out += fmt::format("; faulted call: <b>#{} {} {}</b> ({})", r->seq, escape(r->tool),
                         escape(shorten_argv(r->argv, 60)), escape(*r->rule));
    }
  }
  out += "</p>\n" + legend_html() + "<div class=\"lanes\">\n" + swimlanes_svg(by_seq) + "</div>\n";
  return out + world_changes_html(changes) + "</section>\n";
}

std::string html_page(const std::string& title, const std::string& body) {
  // Everything inline: the page is opened from disk, attached to tickets, read offline.
  static constexpr std::string_view kStyle = R"(
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; margin: 16px 22px;
       color: #1d2630; background: #ffffff; }
h1 { font-size: 20px; margin: 4px 0 10px; } h2 { font-size: 16px; margin: 14px 0 6px; }
h3 { font-size: 14px; margin: 10px 0 4px; }
code, pre { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; }
pre.reproduce { background: #f1f3f6; padding: 6px 10px; border-radius: 4px; }
section.recording { margin: 10px 0 26px; }
.lanes { overflow-x: auto; border: 1px solid #d5dbe2; border-radius: 4px; background: #ffffff; }
.lanes svg { display: block; }
.legend span { display: inline-block; margin-right: 16px; font-size: 12px; }
.swatch { display: inline-block; width: 14px; height: 12px; margin-right: 5px; vertical-align: -1px;
          border: 1px solid #9aa5b1; }
.summary { color: #3b4652; }
table { border-collapse: collapse; margin: 6px 0; }
th, td { border: 1px solid #d5dbe2; padding: 3px 9px; text-align: left; vertical-align: top; }
table.explore td { text-align: center; font-weight: 600; min-width: 64px; }
td.pass { background: #cdeccf; color: #1e6b2a; }
td.violation { background: #f6c4c4; color: #8e1414; }
td.watchdog { background: #ffe1a6; color: #7a4d00; }
td.other { background: #e2d4f0; color: #4b2a6b; }
td.na { background: #eceff2; color: #8a949e; font-weight: normal; }
td a { color: inherit; }
.outcome.violation { color: #b3161b; } .outcome.watchdog { color: #a86500; }
.violations li { color: #8e1414; }
section.run-detail { border-top: 2px solid #d5dbe2; margin-top: 22px; padding-top: 6px; }
)";
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{}</style>\n"
      "</head>\n<body>\n{}</body>\n</html>\n",
      escape(title), kStyle, body);
}

std::string render_explore_html(const ExploreHtml& report) {
  std::map<std::string, std::size_t> outcomes;
  std::size_t points = 0;
  for (std::size_t i = 0; i < report.runs.size(); ++i) {
    ++outcomes[outcome_class(report.runs[i].outcome)];
    if (i == 0 || report.runs[i].point != report.runs[i - 1].point) ++points;
  }
  const std::string command =
      join(report.args, " ").empty() ? report.launcher : report.launcher + " " + join(report.args, " ");
  std::string body = fmt::format("<h1>spotcheck explore: <code>{}</code></h1>\n", escape(command));
  body += fmt::format(
      "<p class=\"summary\">baseline: exit {}, {} calls. {} fault runs over {} fault points in {:.1f}s: "
      "<b>{}</b> pass, <b>{}</b> VIOLATION, <b>{}</b> watchdog{}.</p>\n",
      report.baseline_exit, report.baseline_calls, report.runs.size(), points, report.seconds, outcomes["pass"],
      outcomes["violation"], outcomes["watchdog"],
      outcomes["other"] == 0 ? std::string() : fmt::format(", <b>{}</b> other", outcomes["other"]));
  if (!report.baseline_violations.empty()) {
    body += "<div class=\"violation\"><h2>The baseline, with no fault injected, already breaks an invariant</h2>\n<ul>";
    for (const auto& line : report.baseline_violations) body += "<li>" + escape(line) + "</li>";
    body += "</ul></div>\n";
  }
  body += explore_table_html(report);
  for (std::size_t i = 0; i < report.runs.size(); ++i) {
    if (report.runs[i].outcome != "pass") body += run_detail_html(report.runs[i], i);
  }
  return html_page("spotcheck explore: " + command, body);
}

}  // namespace spotcheck::harness
