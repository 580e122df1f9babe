// eventrunner check FILE...: compiles each rules file and prints its diagnostics in
// the spec §13.1 shape on standard output. Exit 1 if any file has an error, 2 on usage
// errors or an unreadable file, else 0.

#include <ostream>

#include "cli.h"
#include "compile_args.h"
#include "lang/compiler.h"

namespace er::cli {

int command_check(std::span<const std::string_view> args, Streams& streams) {
  const CompileArgs parsed = parse_compile_args(args, streams);
  if (!parsed.ok) return kExitUsage;
  int status = kExitOk;
  for (const std::string_view path : parsed.files) {
    const std::optional<SourceText> source = read_source(path, streams);
    if (!source) {
      status = kExitUsage;
      continue;
    }
    lang::CompileOptions options;
    options.file = source->name;
    options.kind = lang::SourceKind::rules_file;
    options.trigger_variables = parsed.trigger_variables;
    const lang::CompileResult result = lang::compile(source->text, options);
    // The diagnostics are what check produces, so they go to standard output.
    streams.out << lang::format_diagnostics(result, source->text, source->name);
    if (!result.ok() && status == kExitOk) status = kExitErrors;
  }
  return status;
}

}  // namespace er::cli
