#pragma once
// What fake-devices prints: one whole line per event, "fake-devices: ..." on stdout
// (traffic, readiness) or stderr (problems). The network threads and the command
// thread print at once, so each line is written in one piece under a lock and flushed
// at once for a test or a user reading the output as it comes.

#include <cstdio>
#include <mutex>
#include <string>

namespace er::fake_devices {

inline void print_line(std::FILE* stream, const std::string& text) {
  static std::mutex printing;
  const std::string line = "fake-devices: " + text + "\n";
  std::lock_guard lock(printing);
  std::fwrite(line.data(), 1, line.size(), stream);
  std::fflush(stream);
}

/// An event: a message published or received, readiness.
inline void say(const std::string& text) {
  print_line(stdout, text);
}

/// A problem: a command that cannot be carried out, a message that cannot be used.
inline void complain(const std::string& text) {
  print_line(stderr, text);
}

}  // namespace er::fake_devices
