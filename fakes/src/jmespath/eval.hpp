// Internal to the fake aws: JMESPath tree-walking evaluator.
#pragma once
#include "jmespath/ast.hpp"

namespace spotcheck::fakes::jmespath {

// The value of `node` against `current`; throws Error on type errors in functions.
Json evaluate(const Node& node, const Json& current);

}  // namespace spotcheck::fakes::jmespath
