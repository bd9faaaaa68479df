// sleep and date: both answer from the virtual clock, so a readiness loop costs no real time.
#include <ctime>
#include <string>

#include "spotcheck/fakes/shim.hpp"

namespace spotcheck::fakes {
namespace {

bool parse_interval(const std::string& text, double& seconds) {
  try {
    std::size_t used = 0;
    double value = std::stod(text, &used);
    const std::string suffix = text.substr(used);
    const double scale = suffix.empty() || suffix == "s" ? 1
                         : suffix == "m"                 ? 60
                         : suffix == "h"                 ? 3600
                         : suffix == "d"                 ? 86400
                                                         : -1;
    if (scale < 0 || value < 0) return false;
    seconds = value * scale;
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

std::string format_time(std::time_t when, std::string format) {
  // %s is seconds since the epoch in UTC; strftime would interpret it in local time.
  for (std::size_t pos = format.find("%s"); pos != std::string::npos; pos = format.find("%s", pos)) {
    const std::string epoch = std::to_string(static_cast<long long>(when));
    format.replace(pos, 2, epoch);
    pos += epoch.size();
  }
  std::tm tm{};
  gmtime_r(&when, &tm);
  char buf[512];
  const std::size_t n = std::strftime(buf, sizeof buf, format.c_str(), &tm);
  return std::string(buf, n);
}

}  // namespace

int run_sleep(Call& call) {
  const auto& argv = call.argv();
  if (argv.size() < 2) {
    call.err("sleep: missing operand\nTry 'sleep --help' for more information.\n");
    return 1;
  }
  double total = 0;
  for (std::size_t i = 1; i < argv.size(); ++i) {
    double s = 0;
    if (!parse_interval(argv[i], s)) {
      call.err("sleep: invalid time interval '" + argv[i] + "'\nTry 'sleep --help' for more information.\n");
      return 1;
    }
    total += s;
  }
  advance_clock(call.ctx().paths, total);
  return 0;
}

int run_date(Call& call) {
  const auto& argv = call.argv();
  const auto now = static_cast<std::time_t>(kEpoch + static_cast<std::int64_t>(call.started_at()));
  std::string format = "%a %b %e %H:%M:%S UTC %Y";
  for (std::size_t i = 1; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a == "-u" || a == "--utc" || a == "--universal") continue;
    if (!a.empty() && a[0] == '+')
      format = a.substr(1);
    else if (a == "-Iseconds" || a == "--iso-8601=seconds" || a == "-Is")
      format = "%Y-%m-%dT%H:%M:%S+00:00";
    else if (a == "-I" || a == "--iso-8601" || a == "-Idate")
      format = "%Y-%m-%d";
    else if (a == "-R" || a == "--rfc-email")
      format = "%a, %d %b %Y %H:%M:%S +0000";
    else {
      call.err("date: invalid option -- '" + a + "' (spotcheck's date knows -u, +FORMAT, -I, -R)\n");
      call.mark_unscripted();
      return 1;
    }
  }
  call.out(format_time(now, format) + "\n");
  return 0;
}

}  // namespace spotcheck::fakes
