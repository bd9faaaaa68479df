// spotcheck: thin driver over spotcheck_cli.
#include "spotcheck/cli.hpp"

int main(int argc, char** argv) {
  return spotcheck::harness::spotcheck_main(argc, argv);
}
