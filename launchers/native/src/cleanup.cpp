// Cleanup: the guard terminates every launched instance not yet terminated, on every exit path
// that returns or unwinds (not SIGKILL), with TERM/INT/HUP ignored so a second signal cannot cut it
// short (as bash's trap '' does). Nothing in it can skip the terminate: logging never throws, and
// a terminate call that cannot even be started counts as a failed attempt (ec2.cpp).
#include <signal.h>

#include <algorithm>
#include <filesystem>

#include "spot_launch/ec2.hpp"
#include "spot_launch/log.hpp"
#include "spot_launch/mutant.hpp"
#include "spot_launch/session.hpp"
#include "spot_launch/strings.hpp"
#include "spot_launch/transport_ssm.hpp"

namespace spot_launch {
namespace {

// Logs the line MAKE builds; building it may throw (bad_alloc), which is ignored too.
template <class F>
void note(F make) noexcept {
  try {
    log(make());
  } catch (...) {
  }
}

bool skip_terminate(int status) {
#ifdef SPOT_LAUNCH_MUTANTS
  return status != 0 && mutant_is("skip-cleanup-on-failure");
#else
  (void)status;
  return false;
#endif
}

}  // namespace

InstanceGuard::~InstanceGuard() {
  try {
    cleanup(1);
  } catch (...) {
  }
}

void InstanceGuard::terminated(const std::vector<std::string>& ids) {
  terminated_.insert(terminated_.end(), ids.begin(), ids.end());
}

std::vector<std::string> InstanceGuard::live() const {
  std::vector<std::string> out;
  for (const auto& id : launched_)
    if (std::find(terminated_.begin(), terminated_.end(), id) == terminated_.end()) out.push_back(id);
  return out;
}

int InstanceGuard::cleanup(int status) {
  if (done_) return final_status_;
  if (!armed) return status;
  session_.in_cleanup = true;
  for (int sig : {SIGTERM, SIGINT, SIGHUP}) ::signal(sig, SIG_IGN);
  if (status != 0)
    note([&] { return "FAILED with exit status " + std::to_string(status) + " during: " + session_.step; });
  // Unstaging comes before the terminate, the run's last world call.
  const bool unstaged = session_.config.transport != "ssm" || ssm_cleanup(session_);
  const auto ids = live();
  if (!ids.empty() && !skip_terminate(status)) {
    note([&] { return "cleanup: terminating " + join(ids) + " (exit status " + std::to_string(status) + ")"; });
    try {
      terminate_instances(session_, ids);
    } catch (const std::exception& e) {
      note([&] { return "WARNING: could not terminate " + join(ids) + ": " + e.what(); });
    } catch (...) {
      note([&] { return "WARNING: could not terminate " + join(ids); });
    }
  } else if (launched_.empty()) {
    note([] { return std::string("cleanup: no instance was launched; nothing to terminate"); });
  }
  done_ = true;  // only now: the terminate was attempted (a throw before here leaves it to the destructor)
  final_status_ = status;
  if (status == 0 && !live().empty()) {
    // Native difference from bash, which exits 0 here: found by spotcheck explore (an outage of
    // terminate-instances), a run that leaves a spot running has failed, whatever its workload did.
    note([&] { return "FAILED: " + join(live()) + " still running after cleanup; its watchdog ends it"; });
    final_status_ = 1;
  } else if (status == 0 && !unstaged) {
    note([&] { return "FAILED: the staged copies under " + session_.staging + "/ are left in S3"; });
    final_status_ = 1;
  }
  if (!session_.tmpdir.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(session_.tmpdir, ec);
  }
  return final_status_;
}

}  // namespace spot_launch
