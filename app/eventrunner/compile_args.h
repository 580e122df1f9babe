#pragma once
// Arguments shared by check and compile: --trigger-var NAME (repeatable) and files.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cli.h"

namespace er::cli {

struct CompileArgs {
  std::vector<std::string> trigger_variables;
  std::vector<std::string_view> files;
  bool ok = true;  ///< False after a usage error (already reported).
};

/// Parses `args`; reports usage errors on streams.err.
CompileArgs parse_compile_args(std::span<const std::string_view> args, Streams& streams);

}  // namespace er::cli
