#pragma once
// The EventScript parser (spec §2): source text in, syntax tree and diagnostics out.
// Parsing never throws and always returns a tree; constructs that could not be parsed
// become ExprError / StatError nodes. Every node is allocated in the caller's Arena and
// names are interned in the caller's Interner, so the tree lives as long as those two
// (and the source text, which tokens and literals point into).

#include <cstddef>
#include <string_view>

#include "common/arena.h"
#include "common/diagnostic.h"
#include "common/interner.h"
#include "lang/ast.h"

namespace er::lang {

/// What parse() should accept.
enum class ChunkMode : unsigned char {
  Auto,    ///< A rule iff the source contains '=>' outside brackets, strings and comments.
  Script,  ///< Always a block ('=>' is then a syntax error).
  Rule,    ///< Always a rule (a source without '=>' is reported as missing one).
};

struct ParseOptions {
  /// Name of the source in diagnostics; the parser itself records only positions, so
  /// this is for callers that format (common::format_diagnostic) with it.
  std::string_view file = "eval";
  ChunkMode mode = ChunkMode::Auto;
};

struct ParseResult {
  Chunk* chunk = nullptr;       ///< Never null, even after errors.
  std::size_t error_count = 0;  ///< Errors this parse added to the DiagnosticList.
  [[nodiscard]] bool ok() const { return error_count == 0; }
};

/// Parses one definition (what er.eval compiles): a rule or a script. Syntax errors
/// stop the parse at the first one (spec §13.1); static errors the parser can detect
/// ('break' outside a loop, '@' outside a condition, ...) are reported and parsing goes on.
ParseResult parse(std::string_view source, common::Arena& arena, common::Interner& names,
                  common::DiagnosticList& diagnostics, const ParseOptions& options = {});

struct FileParseResult {
  SourceFile* file = nullptr;   ///< Never null.
  std::size_t error_count = 0;
  [[nodiscard]] bool ok() const { return error_count == 0; }
};

/// Parses a rules file (.er): a sequence of items (Chunk), each starting at a line that
/// starts in column 1 (the first item may be indented).
///  - An item whose lines, up to the next line starting in column 1, contain '=>' outside
///    brackets is a rule; its action ends before that next line, so continuation lines
///    are indented.
///  - Otherwise it is a script: consecutive top-level statements, which may span lines
///    (an 'end' in column 1 is fine), up to the next line that starts a rule. Statements
///    of one script share its locals.
/// Blank lines and comments may appear anywhere; items of only ';' are dropped. A syntax
/// error stops its item only (Chunk::has_syntax_error): parsing resumes at the next line
/// that starts in column 1.
FileParseResult parse_file(std::string_view source, common::Arena& arena,
                           common::Interner& names, common::DiagnosticList& diagnostics,
                           const ParseOptions& options = {});

/// True if `source` is a rule: it contains '=>' outside brackets, strings and comments.
bool is_rule_source(std::string_view source);

}  // namespace er::lang
