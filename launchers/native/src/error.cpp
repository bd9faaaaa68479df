// Error helpers: throw the typed error at the bottom; the top prints it once.
#include "spot_launch/error.hpp"

namespace spot_launch {

void fail(int status, const std::string& message) {
  throw Error(status, message);
}
void fail(const std::string& message) {
  throw Error(1, message);
}
void usage_error(const std::string& message) {
  throw Error(2, message, ErrorKind::Usage);
}

}  // namespace spot_launch
