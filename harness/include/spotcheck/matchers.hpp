// GoogleMock matchers over recordings, for scenarios written in C++ (STYLE.md 9). Header-only; link gmock.
#pragma once
#include <gmock/gmock.h>

#include <ostream>
#include <string>
#include <vector>

#include "spotcheck/expectations.hpp"
#include "spotcheck/record.hpp"
#include "spotcheck/scenario.hpp"
#include "spotcheck/timeline.hpp"

// GoogleTest finds a printer by argument-dependent lookup: it lives beside Record, in spotcheck.
namespace spotcheck {
inline void PrintTo(const Record& r, std::ostream* os) {
  *os << harness::describe_record(r);
}
}  // namespace spotcheck

namespace spotcheck::harness {

// Builds a CallMatcher fluently: call().tool("python").on_spot().argv_contains({"--mode=smoke"}).
class CallSpec {
 public:
  CallSpec& tool(std::string t) {
    m_.tool = std::move(t);
    return *this;
  }
  CallSpec& host(std::string h) {
    m_.host = std::move(h);
    return *this;
  }
  CallSpec& on_spot() {
    m_.host = "spot";
    return *this;
  }
  CallSpec& on_dispatcher() {
    m_.host = "dispatcher";
    return *this;
  }
  CallSpec& argv_prefix(std::vector<std::string> p) {
    m_.argv_prefix = std::move(p);
    return *this;
  }
  CallSpec& argv_contains(std::vector<std::string> c) {
    m_.argv_contains = std::move(c);
    return *this;
  }
  CallSpec& argv_regex(std::string r) {
    m_.argv_regex = std::move(r);
    return *this;
  }
  CallSpec& effect(std::string e) {
    m_.effect = std::move(e);
    return *this;
  }
  operator const CallMatcher&() const { return m_; }  // NOLINT: a spec is a matcher
  const CallMatcher& matcher() const { return m_; }

 private:
  CallMatcher m_;
};
inline CallSpec call() {
  return {};
}

namespace internal {

class CalledMatcher {
 public:
  using is_gtest_matcher = void;
  CalledMatcher(CallMatcher m, CountBound bound) : m_(std::move(m)), bound_(bound) {}

  bool MatchAndExplain(const std::vector<Record>& records, ::testing::MatchResultListener* listener) const {
    int n = 0;
    const Record* first = nullptr;
    for (const auto& r : records) {
      if (!matches(m_, r)) continue;
      if (!first) first = &r;
      ++n;
    }
    if (bound_.holds(n)) {
      if (first) *listener << "first such call is " << describe_record(*first);
      return true;
    }
    *listener << "the recording has " << n << " such calls";
    if (n == 0) {
      Expectations e;
      e.calls.push_back({m_, bound_});
      Observed o;
      o.records = &records;
      for (const auto& f : evaluate(e, o)) {
        for (const auto& note : f.notes) *listener << "; " << note;
      }
    }
    return false;
  }
  void DescribeTo(std::ostream* os) const { *os << "has " << bound_.describe() << " × " << m_.describe(); }
  void DescribeNegationTo(std::ostream* os) const {
    *os << "does not have " << bound_.describe() << " × " << m_.describe();
  }

 private:
  CallMatcher m_;
  CountBound bound_;
};

class EffectCountMatcher {
 public:
  using is_gtest_matcher = void;
  EffectCountMatcher(std::string effect, CountBound bound) : effect_(std::move(effect)), bound_(bound) {}

  bool MatchAndExplain(const std::vector<Record>& records, ::testing::MatchResultListener* listener) const {
    int n = 0;
    std::vector<const Record*> where;
    for (const auto& r : records) {
      if (std::find(r.effects.begin(), r.effects.end(), effect_) == r.effects.end()) continue;
      ++n;
      if (where.size() < 3) where.push_back(&r);
    }
    *listener << "the recording has " << n << " " << effect_;
    for (const auto* r : where) *listener << "; " << describe_record(*r);
    return bound_.holds(n);
  }
  void DescribeTo(std::ostream* os) const { *os << "has " << bound_.describe() << " " << effect_ << " effects"; }
  void DescribeNegationTo(std::ostream* os) const {
    *os << "does not have " << bound_.describe() << " " << effect_ << " effects";
  }

 private:
  std::string effect_;
  CountBound bound_;
};

}  // namespace internal

// The recording has at least one call matching `m` (or as many as `bound` says).
inline auto Called(const CallMatcher& m) {
  return internal::CalledMatcher(m, CountBound{std::nullopt, 1, std::nullopt});
}
inline auto CalledTimes(const CallMatcher& m, int n) {
  return internal::CalledMatcher(m, CountBound{n, std::nullopt, std::nullopt});
}
inline auto NotCalled(const CallMatcher& m) {
  return internal::CalledMatcher(m, CountBound{0, std::nullopt, std::nullopt});
}
inline auto HasNoEffect(const std::string& effect) {
  return internal::EffectCountMatcher(effect, CountBound{0, std::nullopt, std::nullopt});
}
inline auto HasEffectCount(const std::string& effect, int n) {
  return internal::EffectCountMatcher(effect, CountBound{n, std::nullopt, std::nullopt});
}
inline auto HasEffectAtLeast(const std::string& effect, int n) {
  return internal::EffectCountMatcher(effect, CountBound{std::nullopt, n, std::nullopt});
}

}  // namespace spotcheck::harness
