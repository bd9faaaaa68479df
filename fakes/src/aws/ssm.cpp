// The SSM Parameter Store of the World: get-parameter(s), get-parameters-by-path, put-parameter, delete-parameter
// (Run Command's operations are in ssm_run_command.cpp).
#include <nlohmann/json.hpp>

#include "aws/cli_errors.hpp"
#include "aws/service.hpp"
#include "spotcheck/fakes/state.hpp"
#include "world/common.hpp"
#include "world/ssm_store.hpp"
#include "world/world_config.hpp"

namespace spotcheck::fakes::aws {
namespace {

std::string param_arn(const std::string& region, const std::string& name) {
  return "arn:aws:ssm:" + region + ":" + world::kAccountId + ":parameter" + (name.rfind('/', 0) == 0 ? "" : "/") + name;
}

// A stand-in for the KMS ciphertext SSM returns for a SecureString read without --with-decryption.
std::string ciphertext(const std::string& name, const std::string& value) {
  return "AQICAHh" + world::hex_id("kms:" + name + ":" + value, 48);
}

// Public AMI aliases (/aws/service/ami-amazon-linux-latest/...) resolve to the world's first AMI.
std::optional<nlohmann::json> public_parameter(const RunPaths& paths, const std::string& name) {
  if (name.rfind("/aws/service/", 0) != 0 || name.find("ami") == std::string::npos) return std::nullopt;
  const auto& amis = world::world_config(paths).amis;
  const std::string ami = amis && !amis->empty() ? amis->front() : "ami-0" + world::hex_id(name, 16);
  return nlohmann::json{
      {"value", ami}, {"type", "String"}, {"version", 1}, {"last_modified", 0.0}, {"data_type", "aws:ec2:image"}};
}

std::optional<nlohmann::json> lookup(const Invocation& inv, const std::string& name) {
  const auto ssm = read_state(inv.paths, "ssm");
  if (ssm.contains("parameters") && ssm["parameters"].contains(inv.region) &&
      ssm["parameters"][inv.region].contains(name)) {
    return ssm["parameters"][inv.region][name];
  }
  return public_parameter(inv.paths, name);
}

Json parameter_json(const Invocation& inv, const std::string& name, const nlohmann::json& p, bool decrypt) {
  const std::string type = p.value("type", "String");
  const std::string value = p.value("value", "");
  return {{"Name", name},
          {"Type", type},
          {"Value", type == "SecureString" && !decrypt ? ciphertext(name, value) : value},
          {"Version", p.value("version", 1)},
          {"LastModifiedDate", world::iso8601(p.value("last_modified", 0.0), true)},
          {"ARN", param_arn(inv.region, name)},
          {"DataType", p.value("data_type", "text")}};
}

Json get_parameter(Invocation& inv, const Params& params) {
  const std::string name = params["name"].get<std::string>();
  const auto p = lookup(inv, name);
  if (!p) throw service_error("ParameterNotFound", "GetParameter", "");
  return {{"Parameter", parameter_json(inv, name, *p, params.value("with-decryption", false))}};
}

Json get_parameters(Invocation& inv, const Params& params) {
  Json found = Json::array();
  Json invalid = Json::array();
  for (const auto& n : params["names"]) {
    const std::string name = n.get<std::string>();
    if (const auto p = lookup(inv, name)) {
      found.push_back(parameter_json(inv, name, *p, params.value("with-decryption", false)));
    } else {
      invalid.push_back(name);
    }
  }
  return {{"Parameters", found}, {"InvalidParameters", invalid}};
}

Json get_parameters_by_path(Invocation& inv, const Params& params) {
  std::string path = params["path"].get<std::string>();
  if (path.empty() || path.back() != '/') path += '/';
  const bool recursive = params.value("recursive", false);
  const auto ssm = read_state(inv.paths, "ssm");
  Json found = Json::array();
  if (ssm.contains("parameters") && ssm["parameters"].contains(inv.region)) {
    for (const auto& [name, p] : ssm["parameters"][inv.region].items()) {
      if (name.rfind(path, 0) != 0) continue;
      if (!recursive && name.find('/', path.size()) != std::string::npos) continue;
      found.push_back(parameter_json(inv, name, p, params.value("with-decryption", false)));
    }
  }
  return {{"Parameters", found}};
}

Json put_parameter(Invocation& inv, const Params& params) {
  const std::string name = params["name"].get<std::string>();
  const bool overwrite = params.value("overwrite", false);
  int version = 1;
  StateLock lock(inv.paths);
  const double now = virtual_now(inv.paths);
  update_state(inv.paths, "ssm", [&](nlohmann::json& ssm) {
    auto& regional = ssm["parameters"][inv.region];
    const bool exists = regional.contains(name);
    if (exists && !overwrite) {
      throw service_error("ParameterAlreadyExists", "PutParameter",
                          "The parameter already exists. To overwrite this value, set the overwrite option in the "
                          "request to true.");
    }
    version = exists ? regional[name].value("version", 1) + 1 : 1;
    const std::string type = params.contains("type") ? params["type"].get<std::string>()
                             : exists                ? regional[name].value("type", "String")
                                                     : "String";
    regional[name] = {{"value", params["value"].get<std::string>()},
                      {"type", type},
                      {"version", version},
                      {"last_modified", now},
                      {"host", inv.call.ctx().host}};
  });
  return {{"Version", version}, {"Tier", params.contains("tier") ? params["tier"].get<std::string>() : "Standard"}};
}

Json delete_parameter(Invocation& inv, const Params& params) {
  const std::string name = params["name"].get<std::string>();
  bool existed = false;
  update_state(inv.paths, "ssm", [&](nlohmann::json& ssm) {
    auto& regional = ssm["parameters"][inv.region];
    existed = regional.contains(name);
    regional.erase(name);
  });
  if (!existed) throw service_error("ParameterNotFound", "DeleteParameter", "");
  return Json::object();
}

// Parameter Store's operations and Run Command's (ssm_run_command.cpp) are one CLI service.
ServiceDef with_run_command(ServiceDef def) {
  const auto& more = ssm_run_command_operations();
  def.operations.insert(def.operations.end(), more.begin(), more.end());
  return def;
}

}  // namespace

const ServiceDef& ssm_service() {
  static const ServiceDef def =
      with_run_command({"ssm",
                        {
                            {"get-parameter",
                             {{"name", ParamKind::String, true}, {"with-decryption", ParamKind::Boolean}},
                             get_parameter},
                            {"get-parameters",
                             {{"names", ParamKind::StringList, true}, {"with-decryption", ParamKind::Boolean}},
                             get_parameters},
                            {"get-parameters-by-path",
                             {{"path", ParamKind::String, true},
                              {"recursive", ParamKind::Boolean},
                              {"with-decryption", ParamKind::Boolean},
                              {"parameter-filters", ParamKind::StructureList},
                              {"max-results", ParamKind::Integer},
                              {"max-items", ParamKind::Integer},
                              {"page-size", ParamKind::Integer},
                              {"starting-token", ParamKind::String}},
                             get_parameters_by_path},
                            {"put-parameter",
                             {{"name", ParamKind::String, true},
                              {"value", ParamKind::String, true},
                              {"type", ParamKind::String},
                              {"overwrite", ParamKind::Boolean},
                              {"description", ParamKind::String},
                              {"key-id", ParamKind::String},
                              {"tier", ParamKind::String},
                              {"tags", ParamKind::StructureList},
                              {"allowed-pattern", ParamKind::String},
                              {"data-type", ParamKind::String},
                              {"policies", ParamKind::String}},
                             put_parameter},
                            {"delete-parameter", {{"name", ParamKind::String, true}}, delete_parameter},
                        }});
  return def;
}

}  // namespace spotcheck::fakes::aws
