#include "compile_args.h"

#include <ostream>

namespace er::cli {

CompileArgs parse_compile_args(std::span<const std::string_view> args, Streams& streams) {
  CompileArgs out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg == "--trigger-var") {
      if (i + 1 == args.size()) {
        streams.err << "eventrunner: --trigger-var needs a NAME\n";
        out.ok = false;
        return out;
      }
      out.trigger_variables.emplace_back(args[++i]);
    } else if (arg.size() > 1 && arg.front() == '-') {
      streams.err << "eventrunner: unknown option '" << arg << "'\n";
      out.ok = false;
      return out;
    } else {
      out.files.push_back(arg);
    }
  }
  if (out.files.empty()) {
    streams.err << "eventrunner: no input files\n";
    out.ok = false;
  }
  return out;
}

}  // namespace er::cli
