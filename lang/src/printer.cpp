// Printing trees back as EventScript. The output re-parses to the same tree: the printer
// adds no parentheses of its own (ExprParen nodes print theirs), spaces binary operators,
// and separates tokens that would otherwise lex differently ("- -x", "@@ -5", "t/ /12/24").

#include <string>

#include "lang/printer.h"
#include "string_join.h"

namespace er::lang {

namespace {

// Precedence levels, loosest first (spec §3.1).
enum Precedence : int {
  kOr = 1,
  kAnd,
  kCoalesce,
  kComparison,
  kRange,
  kSchedule,
  kAdditive,
  kMultiplicative,
  kUnary,
  kPower,
  kPostfix,
};

int binary_precedence(BinaryOp op) {
  switch (op) {
    case BinaryOp::Or: return kOr;
    case BinaryOp::And: return kAnd;
    case BinaryOp::Coalesce: return kCoalesce;
    case BinaryOp::Between:
    case BinaryOp::Concat: return kRange;
    case BinaryOp::Add:
    case BinaryOp::Sub: return kAdditive;
    case BinaryOp::Mul:
    case BinaryOp::Div:
    case BinaryOp::IntDiv:
    case BinaryOp::Mod: return kMultiplicative;
    case BinaryOp::Pow: return kPower;
    default: return kComparison;
  }
}

int expr_precedence(const Expr& expr) {
  switch (expr.kind) {
    case NodeKind::ExprBinary: return binary_precedence(static_cast<const ExprBinary&>(expr).op);
    case NodeKind::ExprUnary: return kUnary;
    case NodeKind::ExprSchedule: return kSchedule;
    // A lambda's body extends as far as possible, so the parser only builds one
    // as the last operand of an expression (or inside an ExprParen): it never needs
    // parentheses of its own.
    default: return kPostfix;
  }
}

// The leftmost node of an expression: what its first token is.
const Expr& leftmost(const Expr& expr) {
  switch (expr.kind) {
    case NodeKind::ExprBinary: return leftmost(*static_cast<const ExprBinary&>(expr).left);
    case NodeKind::ExprIndex: return leftmost(*static_cast<const ExprIndex&>(expr).object);
    case NodeKind::ExprField: return leftmost(*static_cast<const ExprField&>(expr).object);
    case NodeKind::ExprCall: return leftmost(*static_cast<const ExprCall&>(expr).function);
    case NodeKind::ExprMethodCall: return leftmost(*static_cast<const ExprMethodCall&>(expr).object);
    case NodeKind::ExprProperty: return leftmost(*static_cast<const ExprProperty&>(expr).object);
    default: return expr;
  }
}

// A statement starting with one of these would continue the previous statement (as
// call arguments, an index, or a division), so it is printed after a ';'.
bool needs_separator(const Expr& expr) {
  switch (leftmost(expr).kind) {
    case NodeKind::ExprParen:
    case NodeKind::ExprTable:
    case NodeKind::ExprComprehension:
    case NodeKind::ExprString:
    case NodeKind::ExprDate:
      return true;
    default:
      return false;
  }
}


class SourcePrinter {
 public:
  explicit SourcePrinter(const PrintOptions& options) : options_(options) {}

  std::string take() { return std::move(out_); }

  void chunk(const Chunk& chunk) {
    if (chunk.rule != nullptr) {
      rule(*chunk.rule);
    } else if (chunk.script != nullptr) {
      statements(*chunk.script);
    }
  }

  void rule(const Rule& rule) {
    // Everything after the first line is indented, so that in a rules file only the
    // rule's first line starts in column 1.
    ++indent_;
    expr(*rule.condition);
    for (const RuleModifier& modifier : rule.modifiers) {
      out_.push_back(' ');
      out_.append(modifier_spelling(modifier.kind));
      if (modifier.operand != nullptr) {
        out_.push_back(' ');
        expr(*modifier.operand);
      }
    }
    out_.append(" =>");
    --indent_;
    block_lines(*rule.action);
  }

  // The statements of a block, one per line, at the current indentation.
  void statements(const StatBlock& block) {
    bool first = true;
    for (const Stat* s : block.body) {
      if (!first) newline();
      first = false;
      stat(*s);
    }
  }

  // A nested block: each statement on its own line, one level deeper.
  void block_lines(const StatBlock& block) {
    ++indent_;
    for (const Stat* s : block.body) {
      newline();
      stat(*s);
    }
    --indent_;
  }

  void stat(const Stat& s);
  void expr(const Expr& e) { expr_at(e, 0); }
  void expr_at(const Expr& e, int min_precedence);

 private:
  void newline() {
    out_.push_back('\n');
    out_.append(static_cast<std::size_t>(indent_ * options_.indent_width), ' ');
  }
  void end_line() {
    newline();
    out_.append("end");
  }
  void list(AstArray<Expr*> exprs) {
    for (std::size_t i = 0; i < exprs.size; ++i) {
      if (i > 0) out_.append(", ");
      expr(*exprs[i]);
    }
  }
  void names(AstArray<Binding> bindings) {
    for (std::size_t i = 0; i < bindings.size; ++i) {
      if (i > 0) out_.append(", ");
      out_.append(bindings[i].name.text);
    }
  }
  // '[' before an expression: "[ [" keeps it from opening a long string.
  void open_bracket(const Expr& inside) {
    out_.push_back('[');
    if (leftmost(inside).is<ExprComprehension>()) out_.push_back(' ');
  }

  void expr_body(const Expr& e);
  void binary(const ExprBinary& e);
  void unary(const ExprUnary& e);
  void schedule(const ExprSchedule& e);
  void table(const ExprTable& e);
  void comprehension(const ExprComprehension& e);
  void function_body(const ExprFunction& e);
  void lambda(const ExprLambda& e);
  void postfix(const Expr& e);
  void literal(const Expr& e);

  void stat_assign(const StatAssign& s);
  void stat_expression(const Stat& s);
  void stat_loop(const Stat& s);
  void stat_if(const StatIf& s);
  void stat_case(const StatCase& s);
  void stat_for(const Stat& s);
  void stat_function(const StatFunction& s);
  void stat_local(const StatLocal& s);

  const PrintOptions& options_;
  std::string out_;
  int indent_ = 0;
};

void SourcePrinter::expr_at(const Expr& e, int min_precedence) {
  // Parser-built trees never need these parentheses (their ExprParen nodes print
  // theirs); they keep hand-built trees printable.
  const bool wrap = expr_precedence(e) < min_precedence;
  if (wrap) out_.push_back('(');
  expr_body(e);
  if (wrap) out_.push_back(')');
}

void SourcePrinter::expr_body(const Expr& e) {
  switch (e.kind) {
    case NodeKind::ExprBinary: binary(static_cast<const ExprBinary&>(e)); break;
    case NodeKind::ExprUnary: unary(static_cast<const ExprUnary&>(e)); break;
    case NodeKind::ExprSchedule: schedule(static_cast<const ExprSchedule&>(e)); break;
    case NodeKind::ExprTable: table(static_cast<const ExprTable&>(e)); break;
    case NodeKind::ExprComprehension: comprehension(static_cast<const ExprComprehension&>(e)); break;
    case NodeKind::ExprFunction:
      out_.append("function ");
      function_body(static_cast<const ExprFunction&>(e));
      break;
    case NodeKind::ExprLambda: lambda(static_cast<const ExprLambda&>(e)); break;
    case NodeKind::ExprParen:
      out_.push_back('(');
      expr(*static_cast<const ExprParen&>(e).inner);
      out_.push_back(')');
      break;
    case NodeKind::ExprIndex:
    case NodeKind::ExprField:
    case NodeKind::ExprCall:
    case NodeKind::ExprMethodCall:
    case NodeKind::ExprProperty: postfix(e); break;
    default: literal(e); break;
  }
}

void SourcePrinter::binary(const ExprBinary& e) {
  const int precedence = binary_precedence(e.op);
  if (e.op == BinaryOp::Pow) {  // Right-associative; the right operand may be unary.
    expr_at(*e.left, kPostfix);
    out_.append(" ^ ");
    expr_at(*e.right, kUnary);
    return;
  }
  const bool comparison = precedence == kComparison;
  expr_at(*e.left, comparison ? precedence + 1 : precedence);
  out_.push_back(' ');
  out_.append(binary_op_spelling(e.op));
  out_.push_back(' ');
  expr_at(*e.right, precedence + 1);
}

void SourcePrinter::unary(const ExprUnary& e) {
  out_.append(unary_op_spelling(e.op));
  const Expr& first = leftmost(*e.operand);
  const bool starts_with_minus =
      (first.is<ExprUnary>() && static_cast<const ExprUnary&>(first).op == UnaryOp::Minus);
  const bool starts_with_slash = first.is<ExprDate>() && !static_cast<const ExprDate&>(first).has_year;
  if ((e.op == UnaryOp::Minus && starts_with_minus) || starts_with_slash) out_.push_back(' ');
  expr_at(*e.operand, kUnary);
}

void SourcePrinter::schedule(const ExprSchedule& e) {
  out_.append(schedule_spelling(e.schedule));
  const Expr& first = leftmost(*e.operand);
  if (first.is<ExprUnary>() && static_cast<const ExprUnary&>(first).op == UnaryOp::Minus) {
    out_.push_back(' ');  // "@@ -5" is not "@@-5".
  }
  expr_at(*e.operand, kAdditive);
}

void SourcePrinter::table(const ExprTable& e) {
  out_.push_back('{');
  for (std::size_t i = 0; i < e.fields.size; ++i) {
    if (i > 0) out_.append(", ");
    const TableField& field = e.fields[i];
    if (field.kind == TableFieldKind::Keyed) {
      open_bracket(*field.key);
      expr(*field.key);
      out_.append("] = ");
    } else if (field.kind == TableFieldKind::Named) {
      out_.append(field.name.text);
      out_.append(" = ");
    }
    expr(*field.value);
  }
  out_.push_back('}');
}

void SourcePrinter::comprehension(const ExprComprehension& e) {
  open_bracket(*e.element);
  expr(*e.element);
  out_.append(" for ");
  names(e.names);
  out_.append(" in ");
  expr(*e.source);
  if (e.filter != nullptr) {
    out_.append(" if ");
    expr(*e.filter);
  }
  out_.push_back(']');
}

void SourcePrinter::function_body(const ExprFunction& e) {
  out_.push_back('(');
  names(e.params);
  if (e.is_vararg) out_.append(e.params.empty() ? "..." : ", ...");
  out_.push_back(')');
  block_lines(*e.body);
  end_line();
}

void SourcePrinter::lambda(const ExprLambda& e) {
  if (e.parenthesized || e.params.size != 1) {
    out_.push_back('(');
    names(e.params);
    out_.push_back(')');
  } else {
    out_.append(e.params[0].name.text);
  }
  out_.append(" -> ");
  expr(*e.body);
}

void SourcePrinter::postfix(const Expr& e) {
  switch (e.kind) {
    case NodeKind::ExprIndex: {
      const auto& index = static_cast<const ExprIndex&>(e);
      expr_at(*index.object, kPostfix);
      open_bracket(*index.key);
      expr(*index.key);
      out_.push_back(']');
      break;
    }
    case NodeKind::ExprField: {
      const auto& field = static_cast<const ExprField&>(e);
      expr_at(*field.object, kPostfix);
      if (field.object->is<ExprNumber>()) out_.push_back(' ');  // "5 .x", not "5.x".
      out_.push_back('.');
      out_.append(field.name.text);
      break;
    }
    case NodeKind::ExprCall: {
      const auto& call = static_cast<const ExprCall&>(e);
      expr_at(*call.function, kPostfix);
      out_.push_back('(');
      list(call.args);
      out_.push_back(')');
      break;
    }
    case NodeKind::ExprMethodCall: {
      const auto& call = static_cast<const ExprMethodCall&>(e);
      expr_at(*call.object, kPostfix);
      out_.push_back(':');
      out_.append(call.method.text);
      out_.push_back('(');
      list(call.args);
      out_.push_back(')');
      break;
    }
    default: {
      const auto& property = static_cast<const ExprProperty&>(e);
      expr_at(*property.object, kPostfix);
      out_.push_back(':');
      out_.append(property.name.text);
      break;
    }
  }
}

void SourcePrinter::literal(const Expr& e) {
  switch (e.kind) {
    case NodeKind::ExprNil: out_.append("nil"); break;
    case NodeKind::ExprBool: out_.append(static_cast<const ExprBool&>(e).value ? "true" : "false"); break;
    case NodeKind::ExprNumber: out_.append(static_cast<const ExprNumber&>(e).lexeme); break;
    case NodeKind::ExprString: append_quoted(static_cast<const ExprString&>(e).value, out_); break;
    case NodeKind::ExprTime: out_.append(static_cast<const ExprTime&>(e).lexeme); break;
    case NodeKind::ExprDate: out_.append(static_cast<const ExprDate&>(e).lexeme); break;
    case NodeKind::ExprVararg: out_.append("..."); break;
    case NodeKind::ExprEvent: {
      const auto& event = static_cast<const ExprEvent&>(e);
      out_.push_back('#');
      out_.append(event.name.text);
      if (event.fields != nullptr) table(*event.fields);
      break;
    }
    case NodeKind::ExprPersistent:
      out_.push_back('$');
      out_.append(static_cast<const ExprPersistent&>(e).name.text);
      break;
    case NodeKind::ExprName: out_.append(static_cast<const ExprName&>(e).name.text); break;
    default: out_.append("--[[error]]"); break;
  }
}

void SourcePrinter::stat(const Stat& s) {
  switch (s.kind) {
    case NodeKind::StatLocal: stat_local(static_cast<const StatLocal&>(s)); break;
    case NodeKind::StatAssign: stat_assign(static_cast<const StatAssign&>(s)); break;
    case NodeKind::StatCompoundAssign:
    case NodeKind::StatCall:
    case NodeKind::StatPropertyGet: stat_expression(s); break;
    case NodeKind::StatDo:
    case NodeKind::StatWhile:
    case NodeKind::StatRepeat: stat_loop(s); break;
    case NodeKind::StatIf: stat_if(static_cast<const StatIf&>(s)); break;
    case NodeKind::StatCase: stat_case(static_cast<const StatCase&>(s)); break;
    case NodeKind::StatNumericFor:
    case NodeKind::StatGenericFor: stat_for(s); break;
    case NodeKind::StatFunction: stat_function(static_cast<const StatFunction&>(s)); break;
    case NodeKind::StatLocalFunction: {
      const auto& function = static_cast<const StatLocalFunction&>(s);
      out_.append("local function ");
      out_.append(function.name.name.text);
      function_body(*function.function);
      break;
    }
    case NodeKind::StatReturn:
      out_.append("return");
      if (!static_cast<const StatReturn&>(s).values.empty()) out_.push_back(' ');
      list(static_cast<const StatReturn&>(s).values);
      break;
    case NodeKind::StatBreak: out_.append("break"); break;
    case NodeKind::StatBlock: statements(static_cast<const StatBlock&>(s)); break;
    default: out_.append("--[[error]]"); break;
  }
}

// Calls, property gets and compound assignments: statements that start with an
// expression, which may need a ';' before it.
void SourcePrinter::stat_expression(const Stat& s) {
  if (const auto* assign = s.as<StatCompoundAssign>()) {
    if (needs_separator(*assign->target)) out_.push_back(';');
    expr(*assign->target);
    out_.push_back(' ');
    out_.append(binary_op_spelling(assign->op));
    out_.append("= ");
    expr(*assign->value);
    return;
  }
  const Expr& call = s.is<StatCall>() ? *static_cast<const StatCall&>(s).call
                                      : *static_cast<const StatPropertyGet&>(s).property;
  if (needs_separator(call)) out_.push_back(';');
  expr(call);
}

// do ... end, while c do ... end, repeat ... until c
void SourcePrinter::stat_loop(const Stat& s) {
  if (const auto* block = s.as<StatDo>()) {
    out_.append("do");
    block_lines(*block->body);
    end_line();
  } else if (const auto* loop = s.as<StatWhile>()) {
    out_.append("while ");
    expr(*loop->condition);
    out_.append(" do");
    block_lines(*loop->body);
    end_line();
  } else {
    const auto& repeat = static_cast<const StatRepeat&>(s);
    out_.append("repeat");
    block_lines(*repeat.body);
    newline();
    out_.append("until ");
    expr(*repeat.condition);
  }
}

void SourcePrinter::stat_local(const StatLocal& s) {
  out_.append("local ");
  names(s.names);
  if (!s.values.empty()) {
    out_.append(" = ");
    list(s.values);
  }
}

void SourcePrinter::stat_assign(const StatAssign& s) {
  if (needs_separator(*s.targets[0])) out_.push_back(';');
  list(s.targets);
  out_.append(" = ");
  list(s.values);
}

void SourcePrinter::stat_if(const StatIf& s) {
  for (std::size_t i = 0; i < s.clauses.size; ++i) {
    if (i > 0) newline();
    out_.append(i == 0 ? "if " : "elseif ");
    expr(*s.clauses[i].condition);
    out_.append(" then");
    block_lines(*s.clauses[i].body);
  }
  if (s.else_body != nullptr) {
    newline();
    out_.append("else");
    block_lines(*s.else_body);
  }
  end_line();
}

void SourcePrinter::stat_case(const StatCase& s) {
  out_.append("case");
  ++indent_;
  for (const ConditionalClause& clause : s.clauses) {
    newline();
    out_.append("|| ");
    expr(*clause.condition);
    out_.append(" >>");
    block_lines(*clause.body);
  }
  --indent_;
  end_line();
}

void SourcePrinter::stat_for(const Stat& s) {
  out_.append("for ");
  const StatBlock* body = nullptr;
  if (const auto* numeric = s.as<StatNumericFor>()) {
    out_.append(numeric->var.name.text);
    out_.append(" = ");
    expr(*numeric->from);
    out_.append(", ");
    expr(*numeric->to);
    if (numeric->step != nullptr) {
      out_.append(", ");
      expr(*numeric->step);
    }
    body = numeric->body;
  } else {
    const auto& generic = static_cast<const StatGenericFor&>(s);
    names(generic.names);
    out_.append(" in ");
    list(generic.values);
    body = generic.body;
  }
  out_.append(" do");
  block_lines(*body);
  end_line();
}

void SourcePrinter::stat_function(const StatFunction& s) {
  out_.append("function ");
  for (std::size_t i = 0; i < s.path.size; ++i) {
    if (i > 0) out_.push_back('.');
    out_.append(s.path[i].name.text);
  }
  if (s.has_method) {
    out_.push_back(':');
    out_.append(s.method.name.text);
  }
  function_body(*s.function);
}

}  // namespace

// Shared with ast_dump.cpp (string_join.h).
void append_quoted(std::string_view value, std::string& out) {
  static constexpr char kDigits[] = "0123456789";
  out.push_back('"');
  for (const char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '"': out.append("\\\""); break;
      case '\\': out.append("\\\\"); break;
      case '\n': out.append("\\n"); break;
      case '\t': out.append("\\t"); break;
      case '\r': out.append("\\r"); break;
      default:
        if (byte < 0x20 || byte == 0x7F) {
          out.push_back('\\');  // Always three digits, so a following digit cannot join.
          out.push_back(kDigits[byte / 100]);
          out.push_back(kDigits[(byte / 10) % 10]);
          out.push_back(kDigits[byte % 10]);
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

std::string print_chunk(const Chunk& chunk, const PrintOptions& options) {
  SourcePrinter printer(options);
  printer.chunk(chunk);
  return printer.take() + "\n";
}

std::string print_source_file(const SourceFile& file, const PrintOptions& options) {
  std::string out;
  for (const Chunk* item : file.items) {
    SourcePrinter printer(options);
    printer.chunk(*item);
    out += printer.take();
    out += "\n";
  }
  return out;
}

std::string print_stat(const Stat& stat, const PrintOptions& options) {
  SourcePrinter printer(options);
  printer.stat(stat);
  return printer.take();
}

std::string print_expr(const Expr& expr, const PrintOptions& options) {
  SourcePrinter printer(options);
  printer.expr(expr);
  return printer.take();
}

}  // namespace er::lang
