// Internal to the fake aws: JMESPath entry points (compile once, search many documents).
#include "jmespath/jmespath.hpp"

#include <utility>

#include "jmespath/ast.hpp"
#include "jmespath/eval.hpp"
#include "jmespath/parser.hpp"

namespace spotcheck::fakes::jmespath {

Expression::Expression(std::shared_ptr<const Node> root) : root_(std::move(root)) {}

Json Expression::search(const Json& data) const {
  return evaluate(*root_, data);
}

Expression compile(std::string_view expression) {
  return Expression(parse(expression));
}

Json search(std::string_view expression, const Json& data) {
  return compile(expression).search(data);
}

}  // namespace spotcheck::fakes::jmespath
