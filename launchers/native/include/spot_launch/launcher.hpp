// The launcher: `spot-launch MODULE [FLAGS]`, one module description driving the whole run.
#pragma once

namespace spot_launch {

struct Session;

// The whole program (main.cpp forwards here): returns the exit status.
int spot_launch_main(int argc, char** argv);

void arm_cleanup(Session& s);  // signal handlers, temp dir; the guard terminates from here on
void run_module(Session& s);   // boot, setup, then preflight | smoke-only | full run

}  // namespace spot_launch
