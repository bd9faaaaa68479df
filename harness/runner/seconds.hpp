// Internal to the runner: real-time limits given in (fractional) seconds, as steady-clock durations.
#pragma once
#include <chrono>

namespace spotcheck::harness {

inline std::chrono::steady_clock::duration seconds(double s) {
  return std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(s));
}

}  // namespace spotcheck::harness
