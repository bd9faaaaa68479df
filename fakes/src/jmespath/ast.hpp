// Internal to the fake aws: the JMESPath syntax tree shared by the parser, evaluator and functions.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ordered_json.hpp"

namespace spotcheck::fakes::jmespath {

struct Function;  // a built-in, see jmespath_functions.hpp

enum class NodeKind {
  Current,           // @, and the implicit right side of a projection
  Field,             // name
  Subexpression,     // children[0] then children[1] (a.b, a[0])
  Index,             // index
  Slice,             // slice[0..2]
  Projection,        // children[0] is a list; children[1] applied to each element
  ValueProjection,   // children[0] is an object; children[1] applied to each value
  FilterProjection,  // children[0] list, children[1] rhs, children[2] condition
  Flatten,           // children[0] flattened one level
  Literal,           // literal
  MultiSelectList,   // [a, b]
  MultiSelectHash,   // {k: a}; keys parallel to children
  Or,
  And,
  Not,
  Pipe,
  Comparator,     // op
  FunctionCall,   // function, children are the arguments
  ExpressionRef,  // &children[0]
};

enum class CompareOp { Equal, NotEqual, Less, LessEqual, Greater, GreaterEqual };

struct Node;
using NodePtr = std::unique_ptr<Node>;

struct Node {
  explicit Node(NodeKind k) : kind(k) {}
  NodeKind kind;
  std::vector<NodePtr> children;
  std::string name;                      // Field name, FunctionCall name
  std::vector<std::string> keys;         // MultiSelectHash keys
  Json literal;                          // Literal value
  std::int64_t index = 0;                // Index
  std::optional<std::int64_t> slice[3];  // Slice start, stop, step
  CompareOp op = CompareOp::Equal;       // Comparator
  const Function* function = nullptr;    // FunctionCall, resolved at compile time
  bool index_expression = false;         // an unprojected x[i] chain (see Parser::led_bracket)
  std::size_t height = 1;                // levels below and including this node (bounds recursion)
};

}  // namespace spotcheck::fakes::jmespath
