// One shim invocation: reserves its seq at start, buffers what it prints, writes its record at the end.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "spotcheck/fakes/context.hpp"
#include "spotcheck/fakes/rules.hpp"
#include "spotcheck/record.hpp"

namespace spotcheck::fakes {

class Call {
 public:
  Call(Context ctx, std::vector<std::string> argv);

  const Context& ctx() const { return ctx_; }
  const std::vector<std::string>& argv() const { return record_.argv; }
  const std::string& tool() const { return record_.tool; }
  std::int64_t seq() const { return record_.seq; }
  double started_at() const { return record_.t; }

  // Output is buffered and written to fd 1/2 by finish(); streaming shims (ssh) use passthrough_*.
  void out(const std::string& text) { record_.stdout_text += text; }
  void err(const std::string& text) { record_.stderr_text += text; }
  void passthrough_out(const std::string& text);  // already written to fd 1; only recorded
  void passthrough_err(const std::string& text);

  // Reads all of stdin (only tools that really consume it call this) and records it.
  const std::string& read_stdin();
  void set_stdin(const std::string& bytes);

  void add_payload(const std::string& path, const std::string& bytes);
  void add_effect(const std::string& effect);
  void set_effects(std::vector<std::string> effects);
  void mark_unscripted() { record_.unscripted = true; }
  void set_rule(std::string id) { record_.rule = std::move(id); }
  bool unscripted() const { return record_.unscripted; }
  // A transport whose remote step is sent asynchronously (ssm send-command) gets its rule's answer here, to
  // apply to the step, while the call itself succeeds.
  void set_step_answer(RuleAnswer answer) { step_answer_ = std::move(answer); }
  const std::optional<RuleAnswer>& step_answer() const { return step_answer_; }

  // Classifies (unless set_effects was called), appends the record, flushes buffered output.
  // Returns `exit` so shims can `return call.finish(code);`.
  int finish(int exit);

  const Record& record() const { return record_; }

 private:
  Context ctx_;
  Record record_;
  std::optional<RuleAnswer> step_answer_;
  std::string stdin_bytes_;
  bool effects_set_ = false;
  bool streamed_out_ = false;
  bool streamed_err_ = false;
  bool finished_ = false;
};

}  // namespace spotcheck::fakes
