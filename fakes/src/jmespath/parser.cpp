// Internal to the fake aws: JMESPath Pratt parser, same binding powers and messages as jmespath.py.
#include "jmespath/parser.hpp"

#include <algorithm>
#include <utility>

#include "jmespath/functions.hpp"
#include "jmespath/jmespath.hpp"
#include "jmespath/lexer.hpp"

namespace spotcheck::fakes::jmespath {
namespace {

constexpr int kProjectionStop = 10;      // tokens binding weaker than this end a projection
constexpr std::size_t kMaxDepth = 1000;  // nesting limit: a clear error instead of a stack overflow

int binding_power(TokenType type) {
  switch (type) {
    case TokenType::Pipe:
      return 1;
    case TokenType::Or:
      return 2;
    case TokenType::And:
      return 3;
    case TokenType::Eq:
    case TokenType::Ne:
    case TokenType::Lt:
    case TokenType::Le:
    case TokenType::Gt:
    case TokenType::Ge:
      return 5;
    case TokenType::Flatten:
      return 9;
    case TokenType::Star:
      return 20;
    case TokenType::Filter:
      return 21;
    case TokenType::Dot:
      return 40;
    case TokenType::Not:
      return 45;
    case TokenType::LBrace:
      return 50;
    case TokenType::LBracket:
      return 55;
    case TokenType::LParen:
      return 60;
    default:
      return 0;
  }
}

NodePtr make(NodeKind kind) {
  return std::make_unique<Node>(kind);
}

// Appends a child, keeping the node's height current.
void adopt(Node& parent, NodePtr child) {
  parent.height = std::max(parent.height, child->height + 1);
  parent.children.push_back(std::move(child));
}

NodePtr make(NodeKind kind, NodePtr left, NodePtr right) {
  NodePtr node = make(kind);
  adopt(*node, std::move(left));
  adopt(*node, std::move(right));
  return node;
}

// left then right; `@.x` is just `x`.
NodePtr chain(NodePtr left, NodePtr right) {
  if (left->kind == NodeKind::Current) return right;
  return make(NodeKind::Subexpression, std::move(left), std::move(right));
}

CompareOp compare_op(TokenType type) {
  switch (type) {
    case TokenType::Ne:
      return CompareOp::NotEqual;
    case TokenType::Lt:
      return CompareOp::Less;
    case TokenType::Le:
      return CompareOp::LessEqual;
    case TokenType::Gt:
      return CompareOp::Greater;
    case TokenType::Ge:
      return CompareOp::GreaterEqual;
    default:
      return CompareOp::Equal;
  }
}

class Parser {
 public:
  explicit Parser(std::string_view expression) : expr_(expression), tokens_(tokenize(expression)) {}

  NodePtr parse_all() {
    NodePtr root = expression(0);
    if (type() != TokenType::Eof) fail(current(), "Unexpected token: " + std::string(current().text));
    for (Node* call : calls_) resolve(*call);
    return root;
  }

 private:
  // --- token cursor ---
  const Token& current() const { return tokens_[pos_]; }
  TokenType type() const { return current().type; }
  TokenType lookahead(std::size_t n) const {
    return pos_ + n < tokens_.size() ? tokens_[pos_ + n].type : TokenType::Eof;
  }
  void advance() {
    if (pos_ + 1 < tokens_.size()) ++pos_;
  }

  [[noreturn]] void fail(const Token& token, std::string_view reason) const {
    throw Error(ErrorKind::Syntax, parse_error_message(expr_, token, reason));
  }
  [[noreturn]] void fail_expecting(std::string_view expected) const {
    if (type() == TokenType::Eof) fail(current(), "Invalid jmespath expression: Incomplete expression");
    fail(current(), "Expecting: " + std::string(expected) + ", got: " + std::string(token_type_name(type())));
  }
  void match(TokenType expected) {
    if (type() != expected) fail_expecting(token_type_name(expected));
    advance();
  }

  // --- the Pratt loop ---
  NodePtr expression(int power) {
    if (++depth_ > kMaxDepth) fail(current(), "Expression nested too deeply");
    std::size_t token = pos_;
    advance();
    NodePtr left = nud(token);
    while (power < binding_power(type())) {
      left = led(std::move(left));
      if (left->height > kMaxDepth) fail(current(), "Expression nested too deeply");
    }
    --depth_;
    return left;
  }

  NodePtr nud(std::size_t index) {
    const Token& token = tokens_[index];
    switch (token.type) {
      case TokenType::Literal:
        return literal(token.value);
      case TokenType::UnquotedIdentifier:
        return field(token.name);
      case TokenType::QuotedIdentifier:
        if (type() == TokenType::LParen) fail(current(), "Quoted identifier not allowed for function names.");
        return field(token.name);
      case TokenType::Star:
        return nud_star();
      case TokenType::Filter:
        return led_filter(make(NodeKind::Current));
      case TokenType::LBrace:
        return multi_select_hash();
      case TokenType::LParen:
        return nud_paren();
      case TokenType::Flatten:
        return led_flatten(make(NodeKind::Current));
      case TokenType::Not:
        return unary(NodeKind::Not, expression(binding_power(TokenType::Not)));
      case TokenType::LBracket:
        return nud_bracket();
      case TokenType::Current:
        return make(NodeKind::Current);
      case TokenType::Expref:
        return unary(NodeKind::ExpressionRef, expression(0));
      case TokenType::Eof:
        fail(token, "Invalid jmespath expression: Incomplete expression");
      default:
        fail(token, "invalid token");
    }
  }

  NodePtr led(NodePtr left) {
    TokenType op = type();
    advance();
    switch (op) {
      case TokenType::Dot:
        return led_dot(std::move(left));
      case TokenType::Pipe:
        return binary(NodeKind::Pipe, std::move(left), op);
      case TokenType::Or:
        return binary(NodeKind::Or, std::move(left), op);
      case TokenType::And:
        return binary(NodeKind::And, std::move(left), op);
      case TokenType::LParen:
        return function_call(std::move(left));
      case TokenType::Filter:
        return led_filter(std::move(left));
      case TokenType::Flatten:
        return led_flatten(std::move(left));
      case TokenType::LBracket:
        return led_bracket(std::move(left));
      case TokenType::Eq:
      case TokenType::Ne:
      case TokenType::Lt:
      case TokenType::Le:
      case TokenType::Gt:
      case TokenType::Ge:
        return comparator(std::move(left), op);
      default:
        fail(tokens_[pos_ - 1], "invalid token");
    }
  }

  // --- simple nodes ---
  static NodePtr literal(const Json& value) {
    NodePtr node = make(NodeKind::Literal);
    node->literal = value;
    return node;
  }
  static NodePtr field(const std::string& name) {
    NodePtr node = make(NodeKind::Field);
    node->name = name;
    return node;
  }
  static NodePtr unary(NodeKind kind, NodePtr child) {
    NodePtr node = make(kind);
    adopt(*node, std::move(child));
    return node;
  }
  NodePtr binary(NodeKind kind, NodePtr left, TokenType op) {
    return make(kind, std::move(left), expression(binding_power(op)));
  }
  NodePtr comparator(NodePtr left, TokenType op) {
    NodePtr node = binary(NodeKind::Comparator, std::move(left), op);
    node->op = compare_op(op);
    return node;
  }
  NodePtr nud_paren() {
    NodePtr inner = expression(0);
    match(TokenType::RParen);
    return inner;
  }

  // --- projections ---
  NodePtr projection(NodeKind kind, NodePtr left, int power) {
    return make(kind, std::move(left), projection_rhs(power));
  }

  NodePtr nud_star() {
    if (type() == TokenType::RBracket)
      return make(NodeKind::ValueProjection, make(NodeKind::Current), make(NodeKind::Current));
    return projection(NodeKind::ValueProjection, make(NodeKind::Current), binding_power(TokenType::Star));
  }

  NodePtr led_flatten(NodePtr left) {
    return projection(NodeKind::Projection, unary(NodeKind::Flatten, std::move(left)),
                      binding_power(TokenType::Flatten));
  }

  NodePtr led_filter(NodePtr left) {
    NodePtr condition = expression(0);
    match(TokenType::RBracket);
    NodePtr node = projection(NodeKind::FilterProjection, std::move(left), binding_power(TokenType::Filter));
    adopt(*node, std::move(condition));
    return node;
  }

  NodePtr led_dot(NodePtr left) {
    if (type() != TokenType::Star) return chain(std::move(left), dot_rhs(binding_power(TokenType::Dot)));
    advance();
    return projection(NodeKind::ValueProjection, std::move(left), binding_power(TokenType::Dot));
  }

  // What may follow a projection: nothing (a stopping token), [..], [?..], or .rhs
  NodePtr projection_rhs(int power) {
    if (binding_power(type()) < kProjectionStop) return make(NodeKind::Current);
    if (type() == TokenType::LBracket || type() == TokenType::Filter) return expression(power);
    if (type() == TokenType::Dot) {
      advance();
      return dot_rhs(power);
    }
    fail(current(), "syntax error");
  }

  NodePtr dot_rhs(int power) {
    switch (type()) {
      case TokenType::QuotedIdentifier:
      case TokenType::UnquotedIdentifier:
      case TokenType::Star:
        return expression(power);
      case TokenType::LBracket:
        advance();
        return multi_select_list();
      case TokenType::LBrace:
        advance();
        return multi_select_hash();
      default:  // jmespath.py says "got: eof" here rather than "Incomplete expression"
        fail(current(), "Expecting: ['quoted_identifier', 'unquoted_identifier', 'lbracket', 'lbrace'], got: " +
                            std::string(token_type_name(type())));
    }
  }

  // --- brackets: index, slice, [*], multi-select list ---
  NodePtr nud_bracket() {
    if (type() == TokenType::Number || type() == TokenType::Colon)
      return project_if_slice(make(NodeKind::Current), index_or_slice());
    if (type() == TokenType::Star && lookahead(1) == TokenType::RBracket) {
      advance();
      advance();
      return projection(NodeKind::Projection, make(NodeKind::Current), binding_power(TokenType::Star));
    }
    return multi_select_list();
  }

  // As in jmespath.py (so the real CLI): a slice straight after an index extends the index chain and
  // does not start a projection, e.g. `a[0][1:3].b` is (a[0][1:3]).b.
  NodePtr led_bracket(NodePtr left) {
    if (type() == TokenType::Number || type() == TokenType::Colon) {
      if (!left->index_expression) return project_if_slice(std::move(left), index_or_slice());
      NodePtr node = chain(std::move(left), index_or_slice());
      node->index_expression = true;
      return node;
    }
    match(TokenType::Star);
    match(TokenType::RBracket);
    return projection(NodeKind::Projection, std::move(left), binding_power(TokenType::Star));
  }

  NodePtr project_if_slice(NodePtr left, NodePtr right) {
    bool is_slice = right->kind == NodeKind::Slice;
    NodePtr node = chain(std::move(left), std::move(right));
    node->index_expression = !is_slice;
    if (!is_slice) return node;
    return projection(NodeKind::Projection, std::move(node), binding_power(TokenType::Star));
  }

  NodePtr index_or_slice() {
    if (type() == TokenType::Colon || lookahead(1) == TokenType::Colon) return slice();
    NodePtr node = make(NodeKind::Index);
    node->index = current().number;
    advance();
    match(TokenType::RBracket);
    return node;
  }

  NodePtr slice() {
    NodePtr node = make(NodeKind::Slice);
    std::size_t part = 0;
    while (type() != TokenType::RBracket) {
      if (type() == TokenType::Colon && part < 2) {
        ++part;
      } else if (type() == TokenType::Number && !node->slice[part]) {
        node->slice[part] = current().number;
      } else {
        fail(current(), "syntax error");
      }
      advance();
    }
    match(TokenType::RBracket);
    if (node->slice[2] == 0)
      throw Error(ErrorKind::InvalidValue, "Invalid slice, step cannot be 0: " + std::string(expr_));
    return node;
  }

  NodePtr multi_select_list() {
    NodePtr node = make(NodeKind::MultiSelectList);
    while (true) {
      adopt(*node, expression(0));
      if (type() == TokenType::RBracket) break;
      match(TokenType::Comma);
    }
    match(TokenType::RBracket);
    return node;
  }

  NodePtr multi_select_hash() {
    NodePtr node = make(NodeKind::MultiSelectHash);
    while (true) {
      if (type() != TokenType::QuotedIdentifier && type() != TokenType::UnquotedIdentifier)
        fail_expecting("['quoted_identifier', 'unquoted_identifier']");
      node->keys.push_back(current().name);
      advance();
      match(TokenType::Colon);
      adopt(*node, expression(0));
      if (type() != TokenType::Comma) break;
      advance();
    }
    match(TokenType::RBrace);
    return node;
  }

  // --- functions: name(arg, ...), resolved and arity-checked now ---
  NodePtr function_call(NodePtr left) {
    const Token& name_token = tokens_[pos_ - 2];
    if (left->kind != NodeKind::Field || name_token.type != TokenType::UnquotedIdentifier)
      fail(name_token, "Invalid function name '" + std::string(name_token.text) + "'");
    NodePtr node = make(NodeKind::FunctionCall);
    node->name = left->name;
    for (NodePtr& arg : arguments()) adopt(*node, std::move(arg));
    calls_.push_back(node.get());
    return node;
  }

  // After the whole expression parsed, so a syntax error anywhere is reported first, as jmespath.py does.
  static void resolve(Node& call) {
    call.function = find_function(call.name);
    if (call.function == nullptr) throw Error(ErrorKind::UnknownFunction, "Unknown function: " + call.name + "()");
    check_arity(*call.function, call.children.size());
  }

  std::vector<NodePtr> arguments() {
    std::vector<NodePtr> args;
    if (type() == TokenType::RParen) {
      advance();
      return args;
    }
    while (true) {
      args.push_back(expression(0));
      if (type() != TokenType::Comma) break;
      advance();
    }
    match(TokenType::RParen);
    return args;
  }

  std::string_view expr_;
  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
  std::size_t depth_ = 0;
  std::vector<Node*> calls_;  // function calls to resolve once parsing succeeded
};

}  // namespace

NodePtr parse(std::string_view expression) {
  return Parser(expression).parse_all();
}

}  // namespace spotcheck::fakes::jmespath
