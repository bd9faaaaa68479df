// curl and wget: instance metadata answers on a spot; a host of the outside world answers when the World lets
// this host reach it (canned answers from world.json's "internet.http"); anything else fails to resolve.
#include <algorithm>
#include <string>

#include "spotcheck/fakes/shim.hpp"
#include "spotcheck/fakes/state.hpp"
#include "spotcheck/fakes/world/instances.hpp"
#include "spotcheck/file_io.hpp"
#include "world/internet.hpp"
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

// Where the body goes: curl's -o/--output FILE (else stdout); wget's -O FILE (`-` is stdout, else the
// URL's last path segment, index.html for none).
std::string output_file(const Call& call, const std::string& url) {
  const auto& argv = call.argv();
  const bool wget = call.tool() == "wget";
  for (std::size_t i = 1; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    const bool takes_file =
        wget ? (a == "-O" || a == "--output-document" || a == "-qO" || a == "-nvO") : (a == "-o" || a == "--output");
    if (takes_file && i + 1 < argv.size()) return argv[i + 1] == "-" ? "" : argv[i + 1];
    if (wget && a.rfind("--output-document=", 0) == 0) return a.substr(18) == "-" ? "" : a.substr(18);
    if (wget && a == "-qO-") return "";
  }
  if (!wget) return "";
  std::string path = url.substr(url.find("://") == std::string::npos ? 0 : url.find("://") + 3);
  path = path.substr(std::min(path.find('/'), path.size()));
  path = path.substr(0, path.find_first_of("?#"));
  const std::string name = path.substr(path.find_last_of('/') + 1);
  return name.empty() ? "index.html" : name;
}

// A reachable host: the world's canned answer, else an empty 200 marked unscripted (strict mode fails it).
int outside_world(Call& call, const std::string& url) {
  const auto answer = world::http_answer(call.ctx().paths, url);
  if (!answer) call.mark_unscripted();
  const int status = answer ? answer->status : 200;
  const std::string body = answer ? answer->body : "";
  const bool fail_on_error =
      call.tool() == "wget" || std::any_of(call.argv().begin() + 1, call.argv().end(), [](const std::string& a) {
        return a == "-f" || a == "--fail" ||
               (a.size() > 1 && a[0] == '-' && a[1] != '-' && a.find('f') != std::string::npos);
      });
  if (status >= 400 && fail_on_error) {
    if (call.tool() == "wget") {
      call.err("ERROR " + std::to_string(status) + ".\n");
      return 8;
    }
    call.err("curl: (22) The requested URL returned error: " + std::to_string(status) + "\n");
    return 22;
  }
  const std::string file = output_file(call, url);
  if (file.empty()) {
    call.out(body);
  } else if (!write_file_bytes(file, body)) {
    call.err(call.tool() == "wget" ? file + ": Permission denied\n"
                                   : "curl: (23) Failure writing output to destination\n");
    return call.tool() == "wget" ? 3 : 23;
  }
  return 0;
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
  if (!host.empty() && world::reachable(call.ctx().paths, call.ctx().on_spot(), host)) return outside_world(call, url);
  return cannot_resolve(call, host);
}

}  // namespace spotcheck::fakes
