#pragma once
// A stable, indented S-expression dump of a syntax tree, for golden tests and debugging.

#include <string>

#include "lang/ast.h"

namespace er::lang {

struct DumpOptions {
  bool positions = false;  ///< Append "@line:col-line:col" to every node.
};

/// A stable, indented S-expression dump of any node ("(ExprBinary + (ExprName x) ...)").
std::string dump_ast(const AstNode& node, const DumpOptions& options = {});

}  // namespace er::lang
