// Unit tests for the HTML views: the swimlanes of a recording (lanes, boxes by time, transport links,
// effect colours, the faulted call, tooltips, escaping, World changes), the self-contained page, and the
// explore report (table cells, anchors, details only for runs that did not pass).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "spotcheck/report_html.hpp"

namespace spotcheck::harness {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

Record make(std::int64_t seq, std::string host, std::vector<std::string> argv, double t,
            std::optional<std::int64_t> parent = std::nullopt, std::vector<std::string> effects = {}) {
  Record r;
  r.seq = seq;
  r.host = std::move(host);
  r.tool = argv.at(0);
  r.argv = std::move(argv);
  r.t = t;
  r.parent = parent;
  r.effects = std::move(effects);
  return r;
}

constexpr const char* kHangRule = "explore: hang at dispatcher aws cloudwatch put-metric-data #1";

// launch (1); ssh (2) running python (3) and an s3 upload (4) on the spot, both at the ssh's time;
// a metric put the fault hangs (5, exit 255); terminate (6).
std::vector<Record> sample() {
  std::vector<Record> records = {
      make(1, "dispatcher", {"aws", "ec2", "run-instances", "--count", "1"}, 0, std::nullopt, {"ec2.launch"}),
      make(2, "dispatcher", {"ssh", "ec2-user@203.0.113.5", "bash", "-s"}, 30, std::nullopt, {"remote.exec"}),
      make(3, "i-0abc", {"python3.12", "backtest.py", "--mode=smoke"}, 30, 2),
      make(4, "i-0abc", {"aws", "s3", "cp", "out.json", "s3://results/out.json"}, 40, 2, {"s3.write"}),
      make(5, "dispatcher", {"aws", "cloudwatch", "put-metric-data", "--namespace", "Spot"}, 50, std::nullopt,
           {"metric.write"}),
      make(6, "dispatcher", {"aws", "ec2", "terminate-instances", "--instance-ids", "i-0abc"}, 60, std::nullopt,
           {"ec2.terminate"})};
  records[4].rule = kHangRule;
  records[4].exit = 255;
  return records;
}

std::vector<WorldChange> sample_changes() {
  return {{"s3.created", "s3://results/out.json", "\"etagA\" -> \"etagB\""}, {"metric.put", "metric:Spot/Done", ""}};
}

std::size_t count(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (auto pos = haystack.find(needle); pos != std::string::npos; pos = haystack.find(needle, pos + 1)) ++n;
  return n;
}

// The SVG group of one call's box, from its opening tag to its </g>.
std::string box(const std::string& html, std::int64_t seq) {
  const auto at = html.find("data-seq=\"" + std::to_string(seq) + "\"");
  if (at == std::string::npos) return "";
  const auto start = html.rfind("<g ", at);
  return html.substr(start, html.find("</g>", start) - start);
}

// The x of a call's box (its own rect, not the fault marker around it).
double box_x(const std::string& html, std::int64_t seq) {
  const std::string g = box(html, seq);
  const auto pos = g.find("<rect x=\"");
  if (pos == std::string::npos) return -1;
  return std::stod(g.substr(pos + 9));
}

// What in a page would make a browser fetch something: the page must have none of these.
std::vector<std::string> external_references(const std::string& html) {
  std::vector<std::string> found;
  for (const char* needle : {"http://", "https://", "src=", "url(", "@import", "<link", "<script", "<iframe"}) {
    if (html.find(needle) != std::string::npos) found.emplace_back(needle);
  }
  return found;
}

// ---------------------------------------------------------------- render_recording_html

TEST(RenderRecordingHtml, IsOneRecordingSectionWithTheCaption) {
  const auto html = render_recording_html(sample(), {}, "run of spot_backtest.sh");
  EXPECT_THAT(html, StartsWith("<section class=\"recording\">"));
  EXPECT_THAT(html, HasSubstr("<h2>run of spot_backtest.sh</h2>"));
  EXPECT_EQ(count(html, "<section"), 1u);
  EXPECT_EQ(count(html, "</section>"), 1u);
}

TEST(RenderRecordingHtml, HasOneLanePerHostDispatcherFirst) {
  const auto html = render_recording_html(sample(), {}, "c");
  EXPECT_EQ(count(html, "class=\"lane\""), 2u);
  const auto dispatcher = html.find("class=\"lane\" data-host=\"dispatcher\"");
  const auto spot = html.find("class=\"lane\" data-host=\"i-0abc\"");
  ASSERT_NE(dispatcher, std::string::npos);
  ASSERT_NE(spot, std::string::npos);
  EXPECT_LT(dispatcher, spot);
}

TEST(RenderRecordingHtml, SpotLanesFollowInFirstSeenOrderAfterTheDispatcher) {
  // The first call is a spot's, yet the dispatcher's lane comes first; then i-0def (seen at 1), i-0abc (at 3).
  const std::vector<Record> records = {make(1, "i-0def", {"python3.12", "a.py"}, 0),
                                       make(2, "dispatcher", {"ssh", "h", "true"}, 1),
                                       make(3, "i-0abc", {"python3.12", "b.py"}, 2)};
  const auto html = render_recording_html(records, {}, "c");
  EXPECT_EQ(count(html, "class=\"lane\""), 3u);
  const auto d = html.find("data-host=\"dispatcher\"");
  const auto def = html.find("data-host=\"i-0def\"");
  const auto abc = html.find("data-host=\"i-0abc\"");
  EXPECT_LT(d, def);
  EXPECT_LT(def, abc);
}

TEST(RenderRecordingHtml, PlacesBoxesByVirtualTimeSpreadingEqualTimesBySeq) {
  const auto html = render_recording_html(sample(), {}, "c");
  EXPECT_EQ(count(html, "<g class=\"call "), 6u);
  std::vector<double> xs;
  for (std::int64_t seq = 1; seq <= 6; ++seq) xs.push_back(box_x(html, seq));
  for (std::size_t i = 1; i < xs.size(); ++i) {
    EXPECT_GE(xs[i] - xs[i - 1], 96) << "box " << i + 1 << " overlaps box " << i;  // 96: a box's width
  }
  // 2 and 3 share t=30: no time gap between them, unlike 3 -> 4 (10s later).
  EXPECT_LT(xs[2] - xs[1], xs[3] - xs[2]);
}

TEST(RenderRecordingHtml, OrdersBoxesByTimeNotBySeq) {
  auto records = sample();
  records[5].t = 5;  // terminate (6) happened before the ssh (2) in virtual time
  const auto html = render_recording_html(records, {}, "c");
  EXPECT_LT(box_x(html, 6), box_x(html, 2));
  EXPECT_GT(box_x(html, 6), box_x(html, 1));
}

TEST(RenderRecordingHtml, LinksATransportToEachChild) {
  const auto html = render_recording_html(sample(), {}, "c");
  EXPECT_EQ(count(html, "class=\"link\""), 2u);
  EXPECT_THAT(html, HasSubstr("data-parent=\"2\" data-child=\"3\""));
  EXPECT_THAT(html, HasSubstr("data-parent=\"2\" data-child=\"4\""));
}

TEST(RenderRecordingHtml, ColoursBoxesByEffectClassAndFailedExitsRed) {
  const auto html = render_recording_html(sample(), {}, "c");
  EXPECT_THAT(box(html, 1), StartsWith("<g class=\"call lifecycle\""));
  EXPECT_THAT(box(html, 6), StartsWith("<g class=\"call lifecycle\""));
  EXPECT_THAT(box(html, 4), StartsWith("<g class=\"call write\""));
  EXPECT_THAT(box(html, 4), HasSubstr("fill=\"#f6b04d\""));
  EXPECT_THAT(box(html, 1), HasSubstr("fill=\"#5b8def\""));
  EXPECT_THAT(box(html, 3), StartsWith("<g class=\"call other\""));
  EXPECT_THAT(box(html, 2), StartsWith("<g class=\"call other\""));  // remote.exec is neither write nor lifecycle
  EXPECT_THAT(box(html, 5), StartsWith("<g class=\"call write failed"));
  EXPECT_THAT(box(html, 5), HasSubstr("stroke=\"#d62728\""));
  EXPECT_THAT(box(html, 4), Not(HasSubstr("#d62728")));
}

TEST(RenderRecordingHtml, MarksTheFaultedCallOnly) {
  const auto html = render_recording_html(sample(), {}, "c");
  EXPECT_EQ(count(html, "FAULTED CALL"), 1u);
  EXPECT_EQ(count(html, "class=\"fault-marker\""), 1u);
  EXPECT_THAT(box(html, 5), HasSubstr(" faulted\""));
  EXPECT_THAT(box(html, 5), HasSubstr("FAULTED CALL"));
  EXPECT_THAT(html, HasSubstr("faulted call: <b>#5 aws cloudwatch put-metric-data"));

  auto records = sample();
  records[4].rule = "throttle-once";  // a scenario's own rule is no injected fault
  const auto plain = render_recording_html(records, {}, "c");
  EXPECT_EQ(count(plain, "FAULTED CALL"), 0u);
  EXPECT_THAT(box(plain, 5), Not(HasSubstr("faulted")));
}

TEST(RenderRecordingHtml, GivesEachBoxATooltipWithSeqToolArgvExitTimeEffects) {
  const auto html = render_recording_html(sample(), {}, "c");
  const auto b = box(html, 4);
  EXPECT_THAT(b, HasSubstr("<title>#4 aws on i-0abc\naws s3 cp out.json s3://results/out.json\nexit 0, t 40s\n"
                           "effects: s3.write\nparent: #2</title>"));
  EXPECT_THAT(box(html, 5), HasSubstr("exit 255"));
  EXPECT_THAT(box(html, 5), HasSubstr("rule: explore: hang at"));
  EXPECT_EQ(count(html, "<title>"), 6u);
}

TEST(RenderRecordingHtml, EscapesEveryText) {
  auto records = sample();
  records[2].argv.emplace_back("<script>alert('x')</script>");
  records[2].host = "i-<b>";
  const auto html = render_recording_html(records, {{"s3.changed", "s3://b/<k>", "\"a\" -> \"b\""}}, "a & <b>");
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, HasSubstr("data-host=\"i-&lt;b&gt;\""));
  EXPECT_THAT(html, HasSubstr("<h2>a &amp; &lt;b&gt;</h2>"));
  EXPECT_THAT(html, HasSubstr("s3://b/&lt;k&gt;"));
  EXPECT_THAT(html, HasSubstr("&quot;a&quot; -&gt; &quot;b&quot;"));
}

TEST(RenderRecordingHtml, ReplacesControlCharacters) {
  auto records = sample();
  records[0].argv.emplace_back(std::string("a\x01") + "b");
  const auto html = render_recording_html(records, {}, "c");
  EXPECT_THAT(html, Not(HasSubstr("\x01")));
  EXPECT_THAT(html, HasSubstr("a\xEF\xBF\xBD"
                              "b"));
}

TEST(RenderRecordingHtml, ListsTheWorldChanges) {
  const auto html = render_recording_html(sample(), sample_changes(), "c");
  EXPECT_EQ(count(html, "<tr class=\"change\">"), 2u);
  EXPECT_THAT(html, HasSubstr("<td>s3.created</td><td><code>s3://results/out.json</code></td>"));
  EXPECT_THAT(html, HasSubstr("<td>metric.put</td><td><code>metric:Spot/Done</code></td><td></td>"));
  EXPECT_THAT(html, Not(HasSubstr("<p class=\"none\">none</p>")));
}

TEST(RenderRecordingHtml, SaysNoneWhenTheWorldDidNotChange) {
  const auto html = render_recording_html(sample(), {}, "c");
  EXPECT_THAT(html, HasSubstr("World changes"));
  EXPECT_THAT(html, HasSubstr("<p class=\"none\">none</p>"));
  EXPECT_EQ(count(html, "<tr class=\"change\">"), 0u);
}

TEST(RenderRecordingHtml, AnEmptyRecordingHasNoLanes) {
  const auto html = render_recording_html({}, {}, "c");
  EXPECT_THAT(html, HasSubstr("no calls recorded"));
  EXPECT_EQ(count(html, "<svg"), 0u);
  EXPECT_EQ(count(html, "class=\"lane\""), 0u);
}

// ---------------------------------------------------------------- html_page

TEST(HtmlPage, IsACompletePageWithAnEscapedTitleAndInlineStyle) {
  const auto page = html_page("show <rec.jsonl>", "<p>body</p>");
  EXPECT_THAT(page, StartsWith("<!DOCTYPE html>"));
  EXPECT_THAT(page, HasSubstr("<meta charset=\"utf-8\">"));
  EXPECT_THAT(page, HasSubstr("<title>show &lt;rec.jsonl&gt;</title>"));
  EXPECT_THAT(page, HasSubstr("<style>"));
  EXPECT_THAT(page, HasSubstr("<body>\n<p>body</p></body>"));
  EXPECT_THAT(page, HasSubstr("</html>"));
}

TEST(HtmlPage, ReferencesNothingExternal) {
  const auto page = html_page("t", render_recording_html(sample(), sample_changes(), "c"));
  EXPECT_THAT(external_references(page), IsEmpty());
}

TEST(HtmlPage, TheExternalReferenceCheckCatchesAnInjectedUrl) {
  const auto fragment = render_recording_html(sample(), {}, "c");
  EXPECT_THAT(external_references(html_page("t", fragment + "<img src=\"https://cdn.example/x.png\">")),
              ElementsAre("https://", "src="));
  EXPECT_THAT(external_references(html_page("t", fragment + "<link rel=\"stylesheet\" href=\"http://x/s.css\">")),
              ElementsAre("http://", "<link"));
  EXPECT_THAT(external_references("<style>body{background:url(bg.png)}</style>"), ElementsAre("url("));
}

// ---------------------------------------------------------------- render_explore_html

// pointA: throttle pass, hang VIOLATION (with its recording); pointB: throttle watchdog, sigterm pass.
struct ExploreFixture {
  std::vector<Record> records = sample();
  std::vector<WorldChange> changes = sample_changes();
  ExploreHtml report;

  ExploreFixture() {
    report.launcher = "launchers/spot_backtest.sh";
    report.args = {"--preflight-only"};
    report.baseline_calls = 6;
    report.seconds = 3.25;
    report.kinds = {"throttle", "hang", "sigterm"};
    const std::string a = "dispatcher aws cloudwatch put-metric-data #1";
    const std::string b = "dispatcher aws ec2 terminate-instances #1";
    report.runs.push_back({a, "throttle", "pass", 0, false, {}, "", nullptr, nullptr});
    report.runs.push_back({a,
                           "hang",
                           "VIOLATION",
                           124,
                           true,
                           {"ends-in-time: still running after 2s <stuck>"},
                           "explore/explore-002-hang.json",
                           &records,
                           &changes});
    report.runs.push_back(
        {b, "throttle", "watchdog", 1, false, {"instances-terminated: i-0abc left running"}, "", nullptr, nullptr});
    report.runs.push_back({b, "sigterm", "pass", 0, false, {}, "", nullptr, nullptr});
  }
};

// The row of the table whose fault point is `point`.
std::string row(const std::string& html, const std::string& point) {
  const auto start = html.find("<tr><th class=\"point\"><code>" + point + "</code></th>");
  if (start == std::string::npos) return "";
  return html.substr(start, html.find("</tr>", start) - start);
}

TEST(RenderExploreHtml, IsAPageWithTheLauncherAndCounts) {
  const ExploreFixture f;
  const auto html = render_explore_html(f.report);
  EXPECT_THAT(html, StartsWith("<!DOCTYPE html>"));
  EXPECT_THAT(html, HasSubstr("<title>spotcheck explore: launchers/spot_backtest.sh --preflight-only</title>"));
  EXPECT_THAT(html, HasSubstr("4 fault runs over 2 fault points"));
  EXPECT_THAT(html, HasSubstr("<b>2</b> pass, <b>1</b> VIOLATION, <b>1</b> watchdog."));
  EXPECT_THAT(external_references(html), IsEmpty());
}

TEST(RenderExploreHtml, HasARowPerPointAndACellPerKind) {
  const ExploreFixture f;
  const auto html = render_explore_html(f.report);
  EXPECT_THAT(html, HasSubstr("<th>fault point</th><th>throttle</th><th>hang</th><th>sigterm</th>"));
  EXPECT_EQ(count(html, "<th class=\"point\">"), 2u);
  EXPECT_THAT(row(html, "dispatcher aws cloudwatch put-metric-data #1"),
              HasSubstr("<td class=\"pass\">pass</td><td class=\"violation\"><a href=\"#run-2\">VIOLATION</a></td>"
                        "<td class=\"na\">-</td>"));
  EXPECT_THAT(row(html, "dispatcher aws ec2 terminate-instances #1"),
              HasSubstr("<td class=\"watchdog\"><a href=\"#run-3\">watchdog</a></td><td class=\"na\">-</td>"
                        "<td class=\"pass\">pass</td>"));
}

TEST(RenderExploreHtml, AKindNoColumnNamesGetsAColumn) {
  ExploreFixture f;
  f.report.runs.push_back(
      {"spot python3.12 backtest.py #1", "sigterm then hang", "pass", 0, false, {}, "", nullptr, nullptr});
  const auto html = render_explore_html(f.report);
  EXPECT_THAT(html, HasSubstr("<th>sigterm</th><th>sigterm then hang</th></tr>"));
  EXPECT_THAT(row(html, "spot python3.12 backtest.py #1"),
              HasSubstr("<td class=\"na\">-</td><td class=\"pass\">pass</td>"));
}

TEST(RenderExploreHtml, DetailsEveryRunThatDidNotPassAndNoOther) {
  const ExploreFixture f;
  const auto html = render_explore_html(f.report);
  EXPECT_EQ(count(html, "<section class=\"run-detail\""), 2u);
  EXPECT_THAT(html, HasSubstr("<section class=\"run-detail\" id=\"run-2\">"));
  EXPECT_THAT(html, HasSubstr("<section class=\"run-detail\" id=\"run-3\">"));
  EXPECT_THAT(html, Not(HasSubstr("id=\"run-1\"")));
  EXPECT_THAT(html, Not(HasSubstr("id=\"run-4\"")));
}

TEST(RenderExploreHtml, AViolationsDetailHasItsFaultExitViolationsReproduceLineAndSwimlanes) {
  const ExploreFixture f;
  const auto html = render_explore_html(f.report);
  const auto start = html.find("id=\"run-2\"");
  const auto detail = html.substr(start, html.find("id=\"run-3\"") - start);
  EXPECT_THAT(detail, HasSubstr("run 2: hang at <code>dispatcher aws cloudwatch put-metric-data #1</code>"));
  EXPECT_THAT(detail, HasSubstr("exit 124 (timed out"));
  EXPECT_THAT(detail, HasSubstr("<li>ends-in-time: still running after 2s &lt;stuck&gt;</li>"));
  EXPECT_THAT(detail, HasSubstr("reproduce: spotcheck check explore/explore-002-hang.json"));
  EXPECT_EQ(count(detail, "<section class=\"recording\">"), 1u);
  EXPECT_EQ(count(detail, "class=\"lane\""), 2u);
  EXPECT_EQ(count(detail, "FAULTED CALL"), 1u);
  EXPECT_EQ(count(detail, "<tr class=\"change\">"), 2u);
}

TEST(RenderExploreHtml, ADetailWithoutARecordingOrScenarioSaysSo) {
  const ExploreFixture f;
  const auto html = render_explore_html(f.report);
  const auto detail = html.substr(html.find("id=\"run-3\""));
  EXPECT_THAT(detail, HasSubstr("no recording kept for this run"));
  EXPECT_THAT(detail, Not(HasSubstr("reproduce:")));
  EXPECT_THAT(detail, Not(HasSubstr("<section class=\"recording\">")));
}

}  // namespace
}  // namespace spotcheck::harness
