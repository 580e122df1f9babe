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
    case NodeKind::ExprBinary: return binary_precedence(expr.cast<ExprBinary>()->op);
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
    case NodeKind::ExprBinary: return leftmost(*expr.cast<ExprBinary>()->left);
    case NodeKind::ExprIndex: return leftmost(*expr.cast<ExprIndex>()->object);
    case NodeKind::ExprField: return leftmost(*expr.cast<ExprField>()->object);
    case NodeKind::ExprCall: return leftmost(*expr.cast<ExprCall>()->function);
    case NodeKind::ExprMethodCall: return leftmost(*expr.cast<ExprMethodCall>()->object);
    case NodeKind::ExprProperty: return leftmost(*expr.cast<ExprProperty>()->object);
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
    case NodeKind::ExprBinary: binary(*e.cast<ExprBinary>()); break;
    case NodeKind::ExprUnary: unary(*e.cast<ExprUnary>()); break;
    case NodeKind::ExprSchedule: schedule(*e.cast<ExprSchedule>()); break;
    case NodeKind::ExprTable: table(*e.cast<ExprTable>()); break;
    case NodeKind::ExprComprehension: comprehension(*e.cast<ExprComprehension>()); break;
    case NodeKind::ExprFunction:
      out_.append("function ");
      function_body(*e.cast<ExprFunction>());
      break;
    case NodeKind::ExprLambda: lambda(*e.cast<ExprLambda>()); break;
    case NodeKind::ExprParen:
      out_.push_back('(');
      expr(*e.cast<ExprParen>()->inner);
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
      (first.is<ExprUnary>() && first.cast<ExprUnary>()->op == UnaryOp::Minus);
  const bool starts_with_slash = first.is<ExprDate>() && !first.cast<ExprDate>()->has_year;
  if ((e.op == UnaryOp::Minus && starts_with_minus) || starts_with_slash) out_.push_back(' ');
  expr_at(*e.operand, kUnary);
}

void SourcePrinter::schedule(const ExprSchedule& e) {
  out_.append(schedule_spelling(e.schedule));
  const Expr& first = leftmost(*e.operand);
  if (first.is<ExprUnary>() && first.cast<ExprUnary>()->op == UnaryOp::Minus) {
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
      const auto& index = *e.cast<ExprIndex>();
      expr_at(*index.object, kPostfix);
      open_bracket(*index.key);
      expr(*index.key);
      out_.push_back(']');
      break;
    }
    case NodeKind::ExprField: {
      const auto& field = *e.cast<ExprField>();
      expr_at(*field.object, kPostfix);
      if (field.object->is<ExprNumber>()) out_.push_back(' ');  // "5 .x", not "5.x".
      out_.push_back('.');
      out_.append(field.name.text);
      break;
    }
    case NodeKind::ExprCall: {
      const auto& call = *e.cast<ExprCall>();
      expr_at(*call.function, kPostfix);
      out_.push_back('(');
      list(call.args);
      out_.push_back(')');
      break;
    }
    case NodeKind::ExprMethodCall: {
      const auto& call = *e.cast<ExprMethodCall>();
      expr_at(*call.object, kPostfix);
      out_.push_back(':');
      out_.append(call.method.text);
      out_.push_back('(');
      list(call.args);
      out_.push_back(')');
      break;
    }
    default: {
      const auto& property = *e.cast<ExprProperty>();
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
    case NodeKind::ExprBool: out_.append(e.cast<ExprBool>()->value ? "true" : "false"); break;
    case NodeKind::ExprNumber: out_.append(e.cast<ExprNumber>()->lexeme); break;
    case NodeKind::ExprString: append_quoted(e.cast<ExprString>()->value, out_); break;
    case NodeKind::ExprTime: out_.append(e.cast<ExprTime>()->lexeme); break;
    case NodeKind::ExprDate: out_.append(e.cast<ExprDate>()->lexeme); break;
    case NodeKind::ExprVararg: out_.append("..."); break;
    case NodeKind::ExprEvent: {
      const auto& event = *e.cast<ExprEvent>();
      out_.push_back('#');
      out_.append(event.name.text);
      if (event.fields != nullptr) table(*event.fields);
      break;
    }
    case NodeKind::ExprPersistent:
      out_.push_back('$');
      out_.append(e.cast<ExprPersistent>()->name.text);
      break;
    case NodeKind::ExprName: out_.append(e.cast<ExprName>()->name.text); break;
    default: out_.append("--[[error]]"); break;
  }
}

void SourcePrinter::stat(const Stat& s) {
  switch (s.kind) {
    case NodeKind::StatLocal: stat_local(*s.cast<StatLocal>()); break;
    case NodeKind::StatAssign: stat_assign(*s.cast<StatAssign>()); break;
    case NodeKind::StatCompoundAssign:
    case NodeKind::StatCall:
    case NodeKind::StatPropertyGet: stat_expression(s); break;
    case NodeKind::StatDo:
    case NodeKind::StatWhile:
    case NodeKind::StatRepeat: stat_loop(s); break;
    case NodeKind::StatIf: stat_if(*s.cast<StatIf>()); break;
    case NodeKind::StatCase: stat_case(*s.cast<StatCase>()); break;
    case NodeKind::StatNumericFor:
    case NodeKind::StatGenericFor: stat_for(s); break;
    case NodeKind::StatFunction: stat_function(*s.cast<StatFunction>()); break;
    case NodeKind::StatLocalFunction: {
      const auto& function = *s.cast<StatLocalFunction>();
      out_.append("local function ");
      out_.append(function.name.name.text);
      function_body(*function.function);
      break;
    }
    case NodeKind::StatReturn:
      out_.append("return");
      if (!s.cast<StatReturn>()->values.empty()) out_.push_back(' ');
      list(s.cast<StatReturn>()->values);
      break;
    case NodeKind::StatBreak: out_.append("break"); break;
    case NodeKind::StatBlock: statements(*s.cast<StatBlock>()); break;
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
  const Expr& call = s.is<StatCall>() ? *s.cast<StatCall>()->call
                                      : *s.cast<StatPropertyGet>()->property;
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
    const auto& repeat = *s.cast<StatRepeat>();
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
    const auto& generic = *s.cast<StatGenericFor>();
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
