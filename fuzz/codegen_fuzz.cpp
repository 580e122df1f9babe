// Fuzzes the whole compiler: lexer, parser, trigger analysis and Lua code generation,
// for single definitions (with and without declared trigger variables) and rules
// files. A crash or sanitizer report is a bug; so is a successful compile that
// returns no item, an item without Lua text, or a diagnostic text holding a control
// character other than the line ends and the tabs a caret line copies.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "lang/compiler.h"

namespace {

using namespace er::lang;

// Diagnostics must never pass raw control characters from the source to a terminal.
void check_diagnostic_text(std::string_view text) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && c != '\n' && c != '\t') || byte == 0x7F) {
      std::fprintf(stderr, "a diagnostic holds control byte 0x%02x\n", byte);
      std::abort();
    }
  }
}

void compile_and_check(std::string_view source, const CompileOptions& options) {
  const CompileResult result = compile(source, options);
  if (!result.ok()) {
    check_diagnostic_text(format_diagnostics(result, source, options.file));
    return;
  }
  if (result.items.empty() && options.kind != SourceKind::rules_file) {
    std::fprintf(stderr, "compiled without errors but produced no item\n");
    std::abort();
  }
  for (const CompiledItem& item : result.items) {
    if (item.lua.empty()) {
      std::fprintf(stderr, "an item without Lua text\n");
      std::abort();
    }
    (void)render_item(item, 1);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view source(reinterpret_cast<const char*>(data), size);
  CompileOptions options;
  options.embed_line_map = true;
  options.header_comment = true;
  compile_and_check(source, options);
  options.trigger_variables = {"x", "lamp"};
  compile_and_check(source, options);
  options.kind = SourceKind::rules_file;
  compile_and_check(source, options);
  return 0;
}
