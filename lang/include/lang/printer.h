#pragma once
// Printing a tree back as EventScript source: canonical spacing, parentheses only where
// needed, so that parse(print(tree)) gives the same tree. (The S-expression dump for
// golden tests is in lang/ast_dump.h.)

#include <string>
#include <string_view>

#include "lang/ast.h"

namespace er::lang {

struct PrintOptions {
  int indent_width = 2;  ///< Spaces per block level.
};

/// EventScript text for a chunk, a rules file, a statement or an expression.
std::string print_chunk(const Chunk& chunk, const PrintOptions& options = {});
std::string print_source_file(const SourceFile& file, const PrintOptions& options = {});
std::string print_stat(const Stat& stat, const PrintOptions& options = {});
std::string print_expr(const Expr& expr, const PrintOptions& options = {});

}  // namespace er::lang
