// curl and wget: there is no network. Instance metadata answers on a spot; anything else fails to resolve.
#include <string>

#include "spotcheck/fakes/shim.hpp"
#include "spotcheck/fakes/state.hpp"
#include "spotcheck/fakes/world/instances.hpp"
#include "world/world_config.hpp"

namespace spotcheck::fakes {
namespace {

const std::string kImds = "169.254.169.254";

std::string url_of(const std::vector<std::string>& argv) {
  for (std::size_t i = 1; i < argv.size(); ++i) {
    if (argv[i].find("://") != std::string::npos) return argv[i];
  }
  for (std::size_t i = 1; i < argv.size(); ++i) {
    if (!argv[i].empty() && argv[i][0] != '-') return argv[i];
  }
  return "";
}

std::string host_of(const std::string& url) {
  auto start = url.find("://");
  start = start == std::string::npos ? 0 : start + 3;
  const auto end = url.find_first_of(":/?", start);
  return url.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

// The metadata paths launchers read; others get IMDS's 404 page.
bool metadata(Call& call, const std::string& url) {
  const auto path = url.substr(url.find(kImds) + kImds.size());
  const auto instance = world::find_instance(call.ctx().paths, call.ctx().host);
  if (path == "/latest/api/token")
    call.out("AQAEAspotcheckFakeImdsToken==");
  else if (path == "/latest/meta-data/instance-id" && instance)
    call.out(instance->id);
  else if (path == "/latest/meta-data/instance-type" && instance)
    call.out(instance->type);
  else if (path == "/latest/meta-data/placement/region")
    call.out(world::world_config(call.ctx().paths).region);
  else
    return false;
  return true;
}

int cannot_resolve(Call& call, const std::string& host) {
  if (call.tool() == "wget") {
    call.err("wget: unable to resolve host address '" + host + "'\n");
    return 4;
  }
  call.err("curl: (6) Could not resolve host: " + host + "\n");
  return 6;
}

}  // namespace

int run_http_client(Call& call) {
  const auto url = url_of(call.argv());
  const auto host = host_of(url);
  if (host == kImds && call.ctx().on_spot()) {
    if (metadata(call, url)) return 0;
    call.out("<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>\n<title>404 - Not Found</title>\n");
    return call.tool() == "wget" ? 8 : 22;
  }
  if (host == kImds) {
    call.err(call.tool() == "wget" ? "wget: can't connect to remote host (" + kImds + "): Network is unreachable\n"
                                   : "curl: (7) Failed to connect to " + kImds + " port 80: Network is unreachable\n");
    return call.tool() == "wget" ? 4 : 7;
  }
  return cannot_resolve(call, host);
}

}  // namespace spotcheck::fakes
