// STS of the World: get-caller-identity (a fake user on the dispatcher, the instance role on a spot host).
#include "aws/service.hpp"
#include "world/common.hpp"

namespace spotcheck::fakes::aws {
namespace {

Json get_caller_identity(Invocation& inv, const Params&) {
  const std::string account = world::kAccountId;
  if (inv.call.ctx().on_spot()) {
    const std::string id = inv.call.ctx().host;
    return {{"UserId", "AROA" + world::hex_id("role", 17) + ":" + id},
            {"Account", account},
            {"Arn", "arn:aws:sts::" + account + ":assumed-role/spotcheck-instance-role/" + id}};
  }
  return {{"UserId", "AIDA" + world::hex_id("user", 17)},
          {"Account", account},
          {"Arn", "arn:aws:iam::" + account + ":user/spotcheck"}};
}

}  // namespace

const ServiceDef& sts_service() {
  static const ServiceDef def{"sts", {{"get-caller-identity", {}, get_caller_identity}}};
  return def;
}

}  // namespace spotcheck::fakes::aws
