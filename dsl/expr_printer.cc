#include "dsl/expr_printer.h"

namespace kyc::dsl {

namespace {

// Binding strength, loosest first.
enum Prec { kOr = 1, kAnd, kNot, kCompare, kAdd, kMul, kNeg, kPrimary };

int precedence(const Expr& e) {
  switch (e.kind) {
    case ExprKind::Binary:
      switch (e.binary) {
        case BinaryOp::Or:
          return kOr;
        case BinaryOp::And:
          return kAnd;
        case BinaryOp::Add:
        case BinaryOp::Sub:
          return kAdd;
        case BinaryOp::Mul:
        case BinaryOp::Div:
          return kMul;
        default:
          return kCompare;
      }
    case ExprKind::Presence:
      return kCompare;
    case ExprKind::Unary:
      return e.unary == UnaryOp::Not ? kNot : kNeg;
    default:
      return kPrimary;
  }
}

const char* op_text(BinaryOp op) {
  switch (op) {
    case BinaryOp::And:
      return "and";
    case BinaryOp::Or:
      return "or";
    case BinaryOp::Eq:
      return "==";
    case BinaryOp::Ne:
      return "!=";
    case BinaryOp::Lt:
      return "<";
    case BinaryOp::Le:
      return "<=";
    case BinaryOp::Gt:
      return ">";
    case BinaryOp::Ge:
      return ">=";
    case BinaryOp::Add:
      return "+";
    case BinaryOp::Sub:
      return "-";
    case BinaryOp::Mul:
      return "*";
    case BinaryOp::Div:
      return "/";
    case BinaryOp::In:
      return "in";
    case BinaryOp::NotIn:
      return "not in";
  }
  return "?";
}

void print(const Expr& e, int min_prec, std::string& out);

void print_list(const std::vector<ExprPtr>& kids, std::string& out) {
  for (size_t i = 0; i < kids.size(); ++i) {
    if (i) out += ", ";
    print(*kids[i], kOr, out);
  }
}

void print(const Expr& e, int min_prec, std::string& out) {
  int prec = precedence(e);
  bool parens = prec < min_prec;
  if (parens) out += '(';
  switch (e.kind) {
    case ExprKind::Binary: {
      // Operands as tight as the operator need brackets on the right (left-associative)
      // and, for the non-associative comparisons and n-ary and/or, on both sides.
      bool nary = e.binary == BinaryOp::And || e.binary == BinaryOp::Or;
      bool compare = prec == kCompare;
      int left = nary || compare ? prec + 1 : prec;
      for (size_t i = 0; i < e.kids.size(); ++i) {
        if (i) {
          out += ' ';
          out += op_text(e.binary);
          out += ' ';
        }
        print(*e.kids[i], i == 0 ? left : prec + 1, out);
      }
      break;
    }
    case ExprKind::Unary:
      out += e.unary == UnaryOp::Not ? "not " : "-";
      print(*e.kids[0], prec, out);
      break;
    case ExprKind::Presence:
      print(*e.kids[0], kCompare + 1, out);
      out += e.present ? " is present" : " is missing";
      break;
    case ExprKind::Call:
      out += e.text;
      out += '(';
      print_list(e.kids, out);
      out += ')';
      break;
    case ExprKind::Map:
      if (e.from_file) {
        out += e.text;
        break;
      }
      out += '{';
      for (size_t i = 0; i + 1 < e.kids.size(); i += 2) {
        if (i) out += ", ";
        out += e.kids[i]->text;
        out += ": ";
        print(*e.kids[i + 1], kOr, out);
      }
      out += '}';
      break;
    case ExprKind::List:
      if (e.from_file) {
        out += e.text;
        break;
      }
      out += '[';
      print_list(e.kids, out);
      out += ']';
      break;
    default:
      out += e.text;
      break;
  }
  if (parens) out += ')';
}

}  // namespace

std::string print_expr(const Expr& e) {
  std::string out;
  print(e, kOr, out);
  return out;
}

}  // namespace kyc::dsl
