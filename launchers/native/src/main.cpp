// spot-launch: the native launcher; everything lives in spot_launch_core.
#include "spot_launch/launcher.hpp"

int main(int argc, char** argv) {
  return spot_launch::spot_launch_main(argc, argv);
}
