// Notifications of the World: SES / SES v2 send-email and SNS publish, kept in state/notify.json for scenarios.
#include <nlohmann/json.hpp>

#include "aws/cli_errors.hpp"
#include "aws/service.hpp"
#include "spotcheck/fakes/state.hpp"
#include "world/common.hpp"

namespace spotcheck::fakes::aws {
namespace {

using world::str_or;

std::vector<std::string> strings_of(const Json& v) {
  std::vector<std::string> out;
  for (const auto& s : world::as_list(v)) out.push_back(s.is_string() ? s.get<std::string>() : s.dump());
  return out;
}

// Appends the message and returns its id (deterministic: derived from the message's position in the run).
std::string store_message(Invocation& inv, nlohmann::json message) {
  std::string id;
  StateLock lock(inv.paths);
  const double now = virtual_now(inv.paths);
  update_state(inv.paths, "notify", [&](nlohmann::json& state) {
    const std::size_t n = state.contains("messages") ? state["messages"].size() : 0;
    id = inv.service == "sns" ? world::uuid_from("sns-" + std::to_string(n))
                              : "0100018d" + world::hex_id("ses-" + std::to_string(n), 8) + "-" +
                                    world::uuid_from("ses-" + std::to_string(n)) + "-000000";
    message["service"] = inv.service;
    message["message_id"] = id;
    message["t"] = now;
    message["host"] = inv.call.ctx().host;
    message["region"] = inv.region;
    state["messages"].push_back(message);
  });
  return id;
}

Json ses_send_email(Invocation& inv, const Params& p) {
  nlohmann::json m = {{"from", p["from"].get<std::string>()}};
  if (p.contains("destination")) {
    const Json& d = p["destination"];
    m["to"] = strings_of(d.value("ToAddresses", Json()));
    m["cc"] = strings_of(d.value("CcAddresses", Json()));
  } else if (p.contains("to")) {
    m["to"] = strings_of(p["to"]);
  } else {
    throw usage_error("Either --to or --destination must be specified.");
  }
  if (p.contains("message")) {
    const Json& msg = p["message"];
    m["subject"] = str_or(msg.value("Subject", Json::object()), "Data");
    const Json body = msg.value("Body", Json::object());
    m["text"] = str_or(body.value("Text", Json::object()), "Data");
    m["html"] = str_or(body.value("Html", Json::object()), "Data");
  } else {
    if (!p.contains("subject")) throw usage_error("Either --subject or --message must be specified.");
    m["subject"] = p["subject"].get<std::string>();
    m["text"] = p.contains("text") ? p["text"].get<std::string>() : "";
    m["html"] = p.contains("html") ? p["html"].get<std::string>() : "";
  }
  return {{"MessageId", store_message(inv, m)}};
}

Json sesv2_send_email(Invocation& inv, const Params& p) {
  const Json d = p.contains("destination") ? p["destination"] : Json::object();
  const Json simple = p["content"].value("Simple", Json::object());
  const Json body = simple.value("Body", Json::object());
  nlohmann::json m = {{"from", p.contains("from-email-address") ? p["from-email-address"].get<std::string>() : ""},
                      {"to", strings_of(d.value("ToAddresses", Json()))},
                      {"subject", str_or(simple.value("Subject", Json::object()), "Data")},
                      {"text", str_or(body.value("Text", Json::object()), "Data")},
                      {"html", str_or(body.value("Html", Json::object()), "Data")}};
  return {{"MessageId", store_message(inv, m)}};
}

Json sns_publish(Invocation& inv, const Params& p) {
  std::string target;
  for (const char* name : {"topic-arn", "target-arn", "phone-number"}) {
    if (p.contains(name)) target = p[name].get<std::string>();
  }
  if (target.empty()) {
    throw service_error("InvalidParameter", "Publish",
                        "Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter");
  }
  nlohmann::json m = {{"to", {target}},
                      {"subject", p.contains("subject") ? p["subject"].get<std::string>() : ""},
                      {"text", p["message"].get<std::string>()}};
  return {{"MessageId", store_message(inv, m)}};
}

}  // namespace

const ServiceDef& ses_service() {
  static const ServiceDef def{"ses",
                              {{"send-email",
                                {{"from", ParamKind::String, true},
                                 {"destination", ParamKind::Structure},
                                 {"message", ParamKind::Structure},
                                 {"to", ParamKind::StringList},
                                 {"cc", ParamKind::StringList},
                                 {"bcc", ParamKind::StringList},
                                 {"subject", ParamKind::String},
                                 {"text", ParamKind::String},
                                 {"html", ParamKind::String},
                                 {"reply-to-addresses", ParamKind::StringList},
                                 {"return-path", ParamKind::String},
                                 {"source-arn", ParamKind::String},
                                 {"tags", ParamKind::StructureList},
                                 {"configuration-set-name", ParamKind::String}},
                                ses_send_email}}};
  return def;
}

const ServiceDef& sesv2_service() {
  static const ServiceDef def{"sesv2",
                              {{"send-email",
                                {{"from-email-address", ParamKind::String},
                                 {"destination", ParamKind::Structure},
                                 {"content", ParamKind::Structure, true},
                                 {"reply-to-addresses", ParamKind::StringList},
                                 {"email-tags", ParamKind::StructureList},
                                 {"configuration-set-name", ParamKind::String}},
                                sesv2_send_email}}};
  return def;
}

const ServiceDef& sns_service() {
  static const ServiceDef def{"sns",
                              {{"publish",
                                {{"message", ParamKind::String, true},
                                 {"topic-arn", ParamKind::String},
                                 {"target-arn", ParamKind::String},
                                 {"phone-number", ParamKind::String},
                                 {"subject", ParamKind::String},
                                 {"message-structure", ParamKind::String},
                                 {"message-attributes", ParamKind::Structure},
                                 {"message-deduplication-id", ParamKind::String},
                                 {"message-group-id", ParamKind::String}},
                                sns_publish}}};
  return def;
}

}  // namespace spotcheck::fakes::aws
