// eventrunner check FILE|HOME...: compiles each rules file and prints its diagnostics
// (file:line:col, the source line and a caret) on standard output. A HOME folder is
// loaded as `run` would load it (devices, trigger variables, every rules file checked
// against the devices) without running anything. Exit 1 if anything has an error, 2 on
// usage errors or an unreadable file, else 0.

#include <filesystem>
#include <ostream>
#include <system_error>

#include "cli.h"
#include "compile_args.h"
#include "lang/compiler.h"
#include "session.h"

namespace er::cli {

namespace {

bool is_home(std::string_view path) {
  std::error_code error;
  return std::filesystem::is_directory(path, error) &&
         std::filesystem::is_regular_file(std::filesystem::path(path) / "home.lua", error);
}

// Loads the home in a virtual-clock engine of its own and reports what failed.
int check_home(std::string_view path, Streams& streams) {
  Session session(streams, {});
  if (!session.ok()) return kExitErrors;
  LuaRequest request;
  request.strings = {{"home", std::string(path)}};
  const LuaReply reply = session.call("check", request);
  if (!reply.ok) {
    streams.err << "eventrunner: " << reply.message << '\n';
    return kExitErrors;
  }
  return static_cast<int>(reply.values[0]);
}

}  // namespace

int command_check(std::span<const std::string_view> args, Streams& streams) {
  const CompileArgs parsed = parse_compile_args(args, streams);
  if (!parsed.ok) return kExitUsage;
  int status = kExitOk;
  for (const std::string_view path : parsed.files) {
    if (is_home(path)) {
      const int home_status = check_home(path, streams);
      if (home_status != kExitOk && status == kExitOk) status = home_status;
      continue;
    }
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
