// Internal to the fakes: the launcher's parent inside the dispatcher's sandbox. It runs the launcher as bwrap
// ran it before (its own session, the same environment and argv), waits for it, and then lists the processes
// it left behind (a heartbeat loop never killed, a background ssh): the run's pid namespace kills them when
// the supervisor exits, which would otherwise hide them. The list goes to RunPaths::survivors().
#pragma once
#include "spotcheck/sandbox_plan.hpp"  // kSuperviseFlag

namespace spotcheck::fakes {

// argv: LAUNCHER [ARGS...]. Returns the launcher's exit status (128 + N when signal N ended it, as bwrap
// reports it).
int supervise(int argc, char** argv);

}  // namespace spotcheck::fakes
