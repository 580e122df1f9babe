// Fuzzes the lexer, the parser (single definitions and rules files) and the printer.
// Crashes and sanitizer reports are bugs; so is a source that parses without errors
// but whose printed form does not parse back to the same tree.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "common/arena.h"
#include "common/diagnostic.h"
#include "common/interner.h"
#include "lang/ast.h"
#include "lang/ast_dump.h"
#include "lang/lexer.h"
#include "lang/parser.h"
#include "lang/printer.h"

namespace {

using namespace er::lang;

[[noreturn]] void fail(const char* what, std::string_view source, const std::string& printed) {
  std::fprintf(stderr, "%s\n--- source:\n%.*s\n--- printed:\n%s\n", what,
               static_cast<int>(source.size()), source.data(), printed.c_str());
  std::abort();
}

// Every token, and every string literal decoded.
void lex_everything(std::string_view source) {
  Lexer lexer(source);
  std::string decoded;
  for (;;) {
    const Token token = lexer.next();
    if (token.kind == TokenKind::Eof) return;
    if (token.kind == TokenKind::String) {
      decoded.clear();
      decode_string(token.text, decoded);
    }
  }
}

// Visits every node (checks that the visitor reaches all children without crashing).
struct CountingVisitor : AstVisitor {
  std::size_t nodes = 0;
  bool visit_node(AstNode*) override {
    ++nodes;
    return true;
  }
};

void round_trip_chunk(std::string_view source) {
  common::Arena arena;
  common::Interner names;
  common::DiagnosticList diagnostics;
  const ParseResult first = parse(source, arena, names, diagnostics);
  CountingVisitor visitor;
  first.chunk->visit(visitor);
  (void)dump_ast(*first.chunk, DumpOptions{true});
  if (!first.ok()) return;
  const std::string printed = print_chunk(*first.chunk);
  common::DiagnosticList second_diagnostics;
  const ParseResult second = parse(printed, arena, names, second_diagnostics);
  if (!second.ok()) fail("printed chunk does not parse", source, printed);
  if (dump_ast(*first.chunk) != dump_ast(*second.chunk)) fail("printed chunk parses differently", source, printed);
}

void round_trip_file(std::string_view source) {
  common::Arena arena;
  common::Interner names;
  common::DiagnosticList diagnostics;
  const FileParseResult first = parse_file(source, arena, names, diagnostics);
  if (!first.ok()) return;
  const std::string printed = print_source_file(*first.file);
  common::DiagnosticList second_diagnostics;
  const FileParseResult second = parse_file(printed, arena, names, second_diagnostics);
  if (!second.ok()) fail("printed file does not parse", source, printed);
  if (dump_ast(*first.file) != dump_ast(*second.file)) fail("printed file parses differently", source, printed);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view source(reinterpret_cast<const char*>(data), size);
  lex_everything(source);
  round_trip_chunk(source);
  round_trip_file(source);
  return 0;
}
