// eventrunner compile FILE: prints each item's generated Lua chunk, preceded by a
// comment block with its kind, source position and trigger descriptors.

#include <ostream>

#include "cli.h"
#include "compile_args.h"
#include "lang/compiler.h"

namespace er::cli {


int command_compile(std::span<const std::string_view> args, Streams& streams) {
  const CompileArgs parsed = parse_compile_args(args, streams);
  if (!parsed.ok) return kExitUsage;
  if (parsed.files.size() != 1) {
    streams.err << "eventrunner: compile takes exactly one FILE\n";
    return kExitUsage;
  }
  const std::optional<SourceText> source = read_source(parsed.files[0], streams);
  if (!source) return kExitUsage;
  lang::CompileOptions options;
  options.file = source->name;
  options.kind = lang::SourceKind::rules_file;
  options.trigger_variables = parsed.trigger_variables;
  options.header_comment = true;
  const lang::CompileResult result = lang::compile(source->text, options);
  if (!result.ok()) {
    streams.err << lang::format_diagnostics(result, source->text, source->name);
    return kExitErrors;
  }
  for (std::size_t i = 0; i < result.items.size(); ++i) {
    streams.out << lang::render_item(result.items[i], i + 1) << '\n';
  }
  return kExitOk;
}

}  // namespace er::cli
