// The fake multi-call binary: everything lives in spotcheck_fakes (STYLE.md 3).
#include "spotcheck/fakes/shim.hpp"

int main(int argc, char** argv) {
  return spotcheck::fakes::fake_main(argc, argv);
}
