#pragma once
// Calls a subcommand function with string streams and returns what it wrote.

#include <cstdlib>
#include <initializer_list>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "cli.h"

namespace er::cli::testing {

struct Invocation {
  int status = -1;
  std::string out;
  std::string err;
};

inline Invocation invoke(CommandFunction command, std::initializer_list<std::string> args,
                         const std::string& input = {}) {
  const std::vector<std::string> owned(args);
  const std::vector<std::string_view> views(owned.begin(), owned.end());
  std::istringstream in(input);
  std::ostringstream out;
  std::ostringstream err;
  Streams streams{in, out, err};
  Invocation result;
  result.status = command(views, streams);
  result.out = out.str();
  result.err = err.str();
  return result;
}

/// The source tree (tests read fixtures from it).
inline std::string source_dir() {
  const char* dir = std::getenv("ER_SOURCE_DIR");
  return dir != nullptr ? dir : ER_SOURCE_DIR;
}

}  // namespace er::cli::testing
