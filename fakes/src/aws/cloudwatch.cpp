// CloudWatch metrics of the World: put-metric-data stores datapoints; list-metrics and get-metric-statistics read them.
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "aws/cli_errors.hpp"
#include "aws/service.hpp"
#include "spotcheck/fakes/state.hpp"
#include "world/common.hpp"

namespace spotcheck::fakes::aws {
namespace {

using world::str_or;

// --dimensions takes the API's [{Name,Value}] or the CLI's compact `InstanceId=i-1,Mode=full`.
Json normalise_dimensions(const Json& given) {
  Json out = Json::array();
  for (const auto& d : world::as_list(given)) {
    if (d.is_object() && d.contains("Name")) {
      out.push_back({{"Name", str_or(d, "Name")}, {"Value", str_or(d, "Value")}});
      continue;
    }
    if (!d.is_object()) continue;
    for (const auto& [k, v] : d.items())
      out.push_back({{"Name", k}, {"Value", v.is_string() ? v.get<std::string>() : v.dump()}});
  }
  return out;
}

double number_param(const Json& v, const std::string& param) {
  try {
    return world::as_number(v);
  } catch (const std::exception&) {
    throw usage_error("argument --" + param + ": invalid float value: '" +
                      (v.is_string() ? v.get<std::string>() : v.dump()) + "'");
  }
}

// One MetricDatum (from --metric-data) as stored in state/cloudwatch.json.
nlohmann::json datum_record(const Json& datum, const std::string& ns, const Invocation& inv, double now) {
  nlohmann::json r = {
      {"namespace", ns},
      {"metric_name", str_or(datum, "MetricName")},
      {"unit", str_or(datum, "Unit", "None")},
      {"dimensions", nlohmann::json(normalise_dimensions(datum.contains("Dimensions") ? datum["Dimensions"] : Json()))},
      {"t", now},
      {"host", inv.call.ctx().host},
      {"region", inv.region}};
  if (datum.contains("Value")) r["value"] = number_param(datum["Value"], "metric-data");
  if (datum.contains("Timestamp"))
    r["timestamp"] = datum["Timestamp"].is_string() ? datum["Timestamp"].get<std::string>() : datum["Timestamp"].dump();
  if (datum.contains("StatisticValues")) r["statistic_values"] = nlohmann::json(datum["StatisticValues"]);
  return r;
}

Json single_datum(const Params& p) {
  if (!p.contains("metric-name")) {
    throw usage_error("Either --metric-name or --metric-data must be specified.");
  }
  Json d = {{"MetricName", p["metric-name"]}};
  if (p.contains("value")) d["Value"] = p["value"];
  if (p.contains("unit")) d["Unit"] = p["unit"];
  if (p.contains("dimensions")) d["Dimensions"] = p["dimensions"];
  if (p.contains("timestamp")) d["Timestamp"] = p["timestamp"];
  if (p.contains("statistic-values")) d["StatisticValues"] = p["statistic-values"];
  if (!p.contains("value") && !p.contains("statistic-values")) {
    throw usage_error("Either --value or --statistic-values must be specified.");
  }
  return d;
}

Json put_metric_data(Invocation& inv, const Params& p) {
  const std::string ns = p["namespace"].get<std::string>();
  const Json data = p.contains("metric-data") ? p["metric-data"] : Json::array({single_datum(p)});
  StateLock lock(inv.paths);
  const double now = virtual_now(inv.paths);
  update_state(inv.paths, "cloudwatch", [&](nlohmann::json& cw) {
    for (const auto& datum : data) cw["datapoints"].push_back(datum_record(datum, ns, inv, now));
  });
  return Json::object();
}

nlohmann::json datapoints(const Invocation& inv) {
  return read_state(inv.paths, "cloudwatch", {{"datapoints", nlohmann::json::array()}})["datapoints"];
}

Json list_metrics(Invocation& inv, const Params& p) {
  std::set<std::string> seen;
  Json metrics = Json::array();
  for (const auto& d : datapoints(inv)) {
    if (p.contains("namespace") && d.value("namespace", "") != p["namespace"].get<std::string>()) continue;
    if (p.contains("metric-name") && d.value("metric_name", "") != p["metric-name"].get<std::string>()) continue;
    const std::string identity =
        d.value("namespace", "") + "\n" + d.value("metric_name", "") + "\n" + d["dimensions"].dump();
    if (!seen.insert(identity).second) continue;
    metrics.push_back({{"Namespace", d.value("namespace", "")},
                       {"MetricName", d.value("metric_name", "")},
                       {"Dimensions", Json(d["dimensions"])}});
  }
  return {{"Metrics", metrics}};
}

// Aggregates every stored datapoint of the metric into one Datapoint (period and time range are not modelled).
Json get_metric_statistics(Invocation& inv, const Params& p) {
  const std::string name = p["metric-name"].get<std::string>();
  std::vector<double> values;
  std::string unit = "None";
  double last = 0;
  for (const auto& d : datapoints(inv)) {
    if (d.value("namespace", "") != p["namespace"].get<std::string>() || d.value("metric_name", "") != name) continue;
    if (!d.contains("value")) continue;
    values.push_back(d["value"].get<double>());
    unit = d.value("unit", "None");
    last = d.value("t", 0.0);
  }
  Json points = Json::array();
  if (!values.empty()) {
    double sum = 0, mn = values.front(), mx = values.front();
    for (double v : values) sum += v, mn = std::min(mn, v), mx = std::max(mx, v);
    Json point = {{"Timestamp", world::iso8601(last)}};
    for (const auto& s : world::as_list(p.contains("statistics") ? p["statistics"] : Json())) {
      const std::string stat = s.get<std::string>();
      if (stat == "Sum") point["Sum"] = sum;
      if (stat == "Average") point["Average"] = sum / static_cast<double>(values.size());
      if (stat == "Minimum") point["Minimum"] = mn;
      if (stat == "Maximum") point["Maximum"] = mx;
      if (stat == "SampleCount") point["SampleCount"] = static_cast<double>(values.size());
    }
    point["Unit"] = unit;
    points.push_back(point);
  }
  return {{"Label", name}, {"Datapoints", points}};
}

}  // namespace

const ServiceDef& cloudwatch_service() {
  static const ServiceDef def{"cloudwatch",
                              {
                                  {"put-metric-data",
                                   {{"namespace", ParamKind::String, true},
                                    {"metric-data", ParamKind::StructureList},
                                    {"metric-name", ParamKind::String},
                                    {"value", ParamKind::String},
                                    {"unit", ParamKind::String},
                                    {"dimensions", ParamKind::StructureList},
                                    {"timestamp", ParamKind::String},
                                    {"statistic-values", ParamKind::Structure},
                                    {"storage-resolution", ParamKind::Integer}},
                                   put_metric_data},
                                  {"list-metrics",
                                   {{"namespace", ParamKind::String},
                                    {"metric-name", ParamKind::String},
                                    {"dimensions", ParamKind::StructureList},
                                    {"next-token", ParamKind::String},
                                    {"max-items", ParamKind::Integer},
                                    {"starting-token", ParamKind::String}},
                                   list_metrics},
                                  {"get-metric-statistics",
                                   {{"namespace", ParamKind::String, true},
                                    {"metric-name", ParamKind::String, true},
                                    {"start-time", ParamKind::String, true},
                                    {"end-time", ParamKind::String, true},
                                    {"period", ParamKind::Integer, true},
                                    {"statistics", ParamKind::StringList},
                                    {"extended-statistics", ParamKind::StringList},
                                    {"dimensions", ParamKind::StructureList},
                                    {"unit", ParamKind::String}},
                                   get_metric_statistics},
                              }};
  return def;
}

}  // namespace spotcheck::fakes::aws
