// Internal to the fake aws: JMESPath top-down operator-precedence (Pratt) parser.
#pragma once
#include <string_view>

#include "jmespath/ast.hpp"

namespace spotcheck::fakes::jmespath {

// Throws Error(Syntax) with the column and the expression; unknown functions and bad arity fail here too.
NodePtr parse(std::string_view expression);

}  // namespace spotcheck::fakes::jmespath
