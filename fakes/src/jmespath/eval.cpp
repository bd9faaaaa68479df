// Internal to the fake aws: JMESPath tree-walking evaluator (projections, slices, comparisons).
#include "jmespath/eval.hpp"

#include <algorithm>
#include <limits>

#include "jmespath/functions.hpp"
#include "jmespath/jmespath.hpp"
#include "jmespath/values.hpp"

namespace spotcheck::fakes::jmespath {
namespace {

Json field(const Node& node, const Json& current) {
  if (!current.is_object()) return nullptr;
  auto it = current.find(node.name);
  return it == current.end() ? Json() : *it;
}

Json index(const Node& node, const Json& current) {
  if (!current.is_array()) return nullptr;
  auto size = static_cast<std::int64_t>(current.size());
  std::int64_t i = node.index < 0 ? node.index + size : node.index;
  if (i < 0 || i >= size) return nullptr;
  return current[static_cast<std::size_t>(i)];
}

// Python slice bounds: negative counts from the end, then clamp to the range the step walks.
std::int64_t slice_bound(std::optional<std::int64_t> given, std::int64_t size, std::int64_t step, bool is_start) {
  if (!given) return step < 0 ? (is_start ? size - 1 : -1) : (is_start ? 0 : size);
  std::int64_t bound = *given;
  if (bound < 0) {
    bound += size;
    if (bound < 0) return step < 0 ? -1 : 0;
    return bound;
  }
  if (bound >= size) return step < 0 ? size - 1 : size;
  return bound;
}

Json slice(const Node& node, const Json& current) {
  if (!current.is_array()) return nullptr;
  auto size = static_cast<std::int64_t>(current.size());
  std::int64_t step = node.slice[2].value_or(1);
  std::int64_t start = slice_bound(node.slice[0], size, step, true);
  std::int64_t stop = slice_bound(node.slice[1], size, step, false);
  Json out = Json::array();
  for (std::int64_t i = start; step > 0 ? i < stop : i > stop; i += step) {
    out.push_back(current[static_cast<std::size_t>(i)]);
    if ((step > 0 && i > std::numeric_limits<std::int64_t>::max() - step) ||
        (step < 0 && i < std::numeric_limits<std::int64_t>::min() - step))
      break;
  }
  return out;
}

// Applies `rhs` to each element, dropping nulls: the heart of every projection.
template <typename Elements>
Json project(const Elements& elements, const Node& rhs) {
  Json out = Json::array();
  for (const Json& element : elements) {
    Json value = evaluate(rhs, element);
    if (!value.is_null()) out.push_back(std::move(value));
  }
  return out;
}

Json list_projection(const Node& node, const Json& current) {
  Json base = evaluate(*node.children[0], current);
  if (!base.is_array()) return nullptr;
  return project(base, *node.children[1]);
}

Json value_projection(const Node& node, const Json& current) {
  Json base = evaluate(*node.children[0], current);
  if (!base.is_object()) return nullptr;
  Json out = Json::array();
  for (const auto& [key, element] : base.items()) {
    Json value = evaluate(*node.children[1], element);
    if (!value.is_null()) out.push_back(std::move(value));
  }
  return out;
}

Json filter_projection(const Node& node, const Json& current) {
  Json base = evaluate(*node.children[0], current);
  if (!base.is_array()) return nullptr;
  Json out = Json::array();
  for (const Json& element : base) {
    if (!is_truthy(evaluate(*node.children[2], element))) continue;
    Json value = evaluate(*node.children[1], element);
    if (!value.is_null()) out.push_back(std::move(value));
  }
  return out;
}

Json flatten(const Node& node, const Json& current) {
  Json base = evaluate(*node.children[0], current);
  if (!base.is_array()) return nullptr;
  Json out = Json::array();
  for (const Json& element : base) {
    if (element.is_array()) {
      for (const Json& inner : element) out.push_back(inner);
    } else {
      out.push_back(element);
    }
  }
  return out;
}

Json multi_select_list(const Node& node, const Json& current) {
  if (current.is_null()) return nullptr;
  Json out = Json::array();
  for (const NodePtr& child : node.children) out.push_back(evaluate(*child, current));
  return out;
}

Json multi_select_hash(const Node& node, const Json& current) {
  if (current.is_null()) return nullptr;
  Json out = Json::object();
  for (std::size_t i = 0; i < node.children.size(); ++i) out[node.keys[i]] = evaluate(*node.children[i], current);
  return out;
}

bool ordered(CompareOp op, int order) {
  switch (op) {
    case CompareOp::Less:
      return order < 0;
    case CompareOp::LessEqual:
      return order <= 0;
    case CompareOp::Greater:
      return order > 0;
    case CompareOp::GreaterEqual:
      return order >= 0;
    default:
      return false;
  }
}

// == and != are deep; ordering is defined for two numbers (or two strings, as the real CLI allows), else null.
Json comparator(const Node& node, const Json& current) {
  Json left = evaluate(*node.children[0], current);
  Json right = evaluate(*node.children[1], current);
  if (node.op == CompareOp::Equal) return deep_equal(left, right);
  if (node.op == CompareOp::NotEqual) return !deep_equal(left, right);
  if (!is_ordered_pair(left, right)) return nullptr;
  return ordered(node.op, compare_ordered(left, right));
}

Json logical(const Node& node, const Json& current) {
  Json left = evaluate(*node.children[0], current);
  bool take_left = node.kind == NodeKind::Or ? is_truthy(left) : !is_truthy(left);
  return take_left ? left : evaluate(*node.children[1], current);
}

}  // namespace

Json evaluate(const Node& node, const Json& current) {
  switch (node.kind) {
    case NodeKind::Current:
      return current;
    case NodeKind::Field:
      return field(node, current);
    case NodeKind::Subexpression:
    case NodeKind::Pipe:
      return evaluate(*node.children[1], evaluate(*node.children[0], current));
    case NodeKind::Index:
      return index(node, current);
    case NodeKind::Slice:
      return slice(node, current);
    case NodeKind::Projection:
      return list_projection(node, current);
    case NodeKind::ValueProjection:
      return value_projection(node, current);
    case NodeKind::FilterProjection:
      return filter_projection(node, current);
    case NodeKind::Flatten:
      return flatten(node, current);
    case NodeKind::Literal:
      return node.literal;
    case NodeKind::MultiSelectList:
      return multi_select_list(node, current);
    case NodeKind::MultiSelectHash:
      return multi_select_hash(node, current);
    case NodeKind::Or:
    case NodeKind::And:
      return logical(node, current);
    case NodeKind::Not:
      return !is_truthy(evaluate(*node.children[0], current));
    case NodeKind::Comparator:
      return comparator(node, current);
    case NodeKind::FunctionCall:
      return call_function(node, current);
    case NodeKind::ExpressionRef:
      throw Error(ErrorKind::InvalidType, "An expression reference (&expr) is only valid as a function argument");
  }
  throw Error(ErrorKind::InvalidValue, "Unsupported JMESPath node");
}

}  // namespace spotcheck::fakes::jmespath
